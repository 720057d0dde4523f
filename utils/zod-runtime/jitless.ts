/**
 * Turns off zod's JIT before zod itself loads. zod reads `globalThis.__zod_globalConfig` once, when its core module
 * is evaluated, and object schemas read `jitless` when they are built; setting it later (z.config) would miss the
 * schemas created at import time. With jitless on, zod never calls `new Function` (neither its capability probe
 * nor its compiled fast path), so the extension's CSP (no 'unsafe-eval') never reports a violation.
 */
interface ZodGlobalConfigHolder {
  __zod_globalConfig?: { jitless?: boolean };
}

const holder = globalThis as ZodGlobalConfigHolder;
holder.__zod_globalConfig ??= {};
holder.__zod_globalConfig.jitless = true;
