import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchWithExtension } from './support/chromium';

/**
 * Supply chain: the production builds must not evaluate strings as code or load code from elsewhere, whatever a
 * dependency brings in. Every built JS and HTML file is scanned; a new occurrence fails here and has to be either
 * removed or explained in ALLOWED below. (The manifest CSP itself is pinned by tests/e2e/manifest.e2e.ts, "strict
 * extension-page CSP"; this test checks the code the CSP would have to stop.)
 */

/** KALKAN_OUT_SUFFIX selects a parallel run's own folders, as in wxt.config.ts. */
const SUFFIX = process.env.KALKAN_OUT_SUFFIX ?? '';
const BUILDS = [`chrome-mv3${SUFFIX}`, `firefox-mv3${SUFFIX}`];

interface Pattern {
  name: string;
  /** Must be global (the scan counts every occurrence). */
  regex: RegExp;
  only?: 'js' | 'html';
}

/** An identifier can follow these; `(?<![\w$.])` keeps `foo.eval(` and `myeval(` apart from a bare `eval(`. */
const PATTERNS: readonly Pattern[] = [
  { name: 'eval', regex: /(?<![\w$])eval\s*\(/g },
  // The Function constructor used as a value: `new Function(`, `Function(`, or an alias `x=Function`. Property
  // reads like `Function.prototype` / `Function.call.bind` are harmless and excluded by the look-ahead.
  { name: 'Function constructor', regex: /(?<![\w$.])Function(?![\w$])(?!\s*\.)/g, only: 'js' },
  { name: 'string timer', regex: /(?<![\w$])set(?:Timeout|Interval)\s*\(\s*["'`]/g },
  { name: 'remote import()', regex: /(?<![\w$])import\s*\(\s*["'`](?:https?:)?\/\//g },
  { name: 'importScripts', regex: /(?<![\w$])importScripts\s*\(/g },
  { name: 'WebAssembly compile', regex: /WebAssembly\s*\.\s*(?:compile|instantiate|compileStreaming|instantiateStreaming|Module)\b/g },
  { name: 'remote <script src>', regex: /<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\//gi, only: 'html' },
  { name: 'inline <script> code', regex: /<script\b(?![^>]*\bsrc\s*=)[^>]*>\s*[^<\s]/gi, only: 'html' },
];

/**
 * Known third-party occurrences, each pinned to its exact snippet (minified names as [\w$]+, since minified names
 * may hold `$`). zod 4 carries a
 * `Function('')` capability probe and a JIT compiler (`Doc.compile`). Both are dead code in Kalkan: the builds
 * alias `zod` to utils/zod-runtime, which sets zod's `jitless` flag before zod's core module runs, so neither is
 * ever called (zod checks the flag first). `requiresJitlessFlag` makes the scan prove that for every file where
 * they appear: the flag must be set in that file, before zod reads its configuration.
 */
const ALLOWED: readonly { pattern: string; snippet: RegExp; why: string; requiresJitlessFlag: true }[] = [
  {
    pattern: 'Function constructor',
    snippet: /try\{const ([\w$]+)=Function;return new \1\(""\),!0\}catch/,
    why: "zod's allowsEval probe (zod/v4/core/util.js); skipped when globalConfig.jitless is set",
    requiresJitlessFlag: true,
  },
  {
    pattern: 'Function constructor',
    snippet: /compile\(\)\{const ([\w$]+)=Function,[\w$]+=this\?\.content\?\?\[""\];return new \1\(/,
    why: "zod's JIT (zod/v4/core/doc.js Doc.compile); only called when jitless is off",
    requiresJitlessFlag: true,
  },
];

/** Where utils/zod-runtime/jitless.ts lands, and where zod's core first reads its configuration. */
const JITLESS_FLAG = /([\w$]+)\.__zod_globalConfig\?\?=\{\}[,;]\1\.__zod_globalConfig\.jitless=!0/;
const ZOD_CONFIG_READ = /\.__zod_globalConfig\?\?\([\w$]+\.__zod_globalConfig=\{\}\)/;

/** How much text around an unexpected hit the failure message shows. */
const CONTEXT_CHARS = 80;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(path));
    else if (/\.(?:js|mjs|html)$/.test(entry.name)) out.push(path);
  }
  return out;
}

interface Hit {
  file: string;
  pattern: string;
  index: number;
  context: string;
}

/** Every pattern hit in one file that no ALLOWED entry covers, plus allowed hits whose file lacks the flag. */
export function scanFile(file: string, text: string): Hit[] {
  const kind = file.endsWith('.html') ? 'html' : 'js';
  const allowedSpans: [number, number][] = [];
  for (const allowed of ALLOWED) {
    const match = new RegExp(allowed.snippet.source, 'g');
    for (let m = match.exec(text); m; m = match.exec(text)) allowedSpans.push([m.index, m.index + m[0].length]);
  }
  const hits: Hit[] = [];
  for (const pattern of PATTERNS) {
    if (pattern.only && pattern.only !== kind) continue;
    const regex = new RegExp(pattern.regex.source, pattern.regex.flags);
    for (let m = regex.exec(text); m; m = regex.exec(text)) {
      const at = m.index;
      if (allowedSpans.some(([s, e]) => at >= s && at < e)) continue;
      hits.push({ file, pattern: pattern.name, index: at, context: text.slice(Math.max(0, at - CONTEXT_CHARS), at + CONTEXT_CHARS) });
    }
  }
  if (allowedSpans.length > 0) {
    const flag = JITLESS_FLAG.exec(text);
    const configRead = ZOD_CONFIG_READ.exec(text);
    if (!flag || !configRead || flag.index > configRead.index) {
      hits.push({ file, pattern: 'zod JIT present without the jitless flag set before zod loads', index: 0, context: '' });
    }
  }
  return hits;
}

describe.each(BUILDS)('%s bundle', (build) => {
  const dir = resolve('.output', build);

  it('has no eval, Function constructor, string timers, remote scripts, importScripts or WebAssembly', () => {
    if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`${dir} is missing: run "npx wxt build -b chrome" and "-b firefox" first (npm test does).`);
    const all = files(dir);
    expect(all.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(3);
    expect(all.filter((f) => f.endsWith('.html')).length).toBeGreaterThan(0);
    const hits = all.flatMap((file) => scanFile(relative(dir, file), readFileSync(file, 'utf8')));
    expect(hits).toEqual([]);
  });

  it('sets zod jitless in every file that bundles zod', () => {
    const withZod = files(dir).filter((file) => ZOD_CONFIG_READ.test(readFileSync(file, 'utf8')));
    expect(withZod.length).toBeGreaterThan(0);
    for (const file of withZod) expect(JITLESS_FLAG.test(readFileSync(file, 'utf8')), relative(dir, file)).toBe(true);
  });
});

describe('the scanner itself', () => {
  const must: [string, string][] = [
    ['eval("1")', 'eval'],
    ['x=window.eval ( code )', 'eval'],
    ['new Function("return 1")', 'Function constructor'],
    ['const F=Function;new F(s)', 'Function constructor'],
    ['Function("a","return a")', 'Function constructor'],
    ['setTimeout("alert(1)",10)', 'string timer'],
    ["setInterval('x()', 5)", 'string timer'],
    ['import("https://cdn.example.org/x.js")', 'remote import()'],
    ['import(`//cdn.example.org/x.js`)', 'remote import()'],
    ['importScripts("https://cdn.example.org/x.js")', 'importScripts'],
    ['WebAssembly.instantiate(await (await fetch(u)).arrayBuffer())', 'WebAssembly compile'],
    ['WebAssembly.compileStreaming(fetch(u))', 'WebAssembly compile'],
    // zod's probe in a file without the jitless flag is not excused.
    ['try{const e=Function;return new e(""),!0}catch{return!1}', 'zod JIT present without the jitless flag set before zod loads'],
  ];
  it.each(must)('flags %s', (code, pattern) => {
    expect(scanFile('x.js', code).map((h) => h.pattern)).toContain(pattern);
  });

  it.each([
    ['<script src="https://cdn.example.org/a.js"></script>', 'remote <script src>'],
    ['<script type="module" src=//cdn.example.org/a.js></script>', 'remote <script src>'],
    ['<script>alert(1)</script>', 'inline <script> code'],
  ])('flags HTML %s', (html, pattern) => {
    expect(scanFile('x.html', html).map((h) => h.pattern)).toContain(pattern);
  });

  const mustNot = [
    'let p=Function.call.bind(Object.prototype.hasOwnProperty)',
    'Function.toString.call(e).indexOf("[native code]")',
    'retrieval(x); medieval(y); o.evaluate(z)',
    'setTimeout(() => run(), 10); setTimeout(fn, 0)',
    'import("./chunks/a.js")',
    'typeof Functions; myFunction(1); isFunction(x)',
    // zod's two snippets with the flag set before zod's config read: excused.
    'const a=globalThis;a.__zod_globalConfig??={},a.__zod_globalConfig.jitless=!0;(b=globalThis).__zod_globalConfig??(b.__zod_globalConfig={});' +
      'try{const e=Function;return new e(""),!0}catch{return!1} compile(){const a=Function,n=this?.content??[""];return new a(...k)}',
  ];
  it.each(mustNot)('does not flag %s', (code) => {
    expect(scanFile('x.js', code)).toEqual([]);
  });

  it('does not flag a same-origin module script', () => {
    expect(scanFile('x.html', '<script type="module" crossorigin src="/chunks/options.js"></script>')).toEqual([]);
  });
});

describe('zod never reaches for new Function at run time', () => {
  /** Extension pages load in well under this on the shared machine. */
  const PAGE_SETTLE_MS = 1_500;

  it('options page and service worker of the production build report no CSP eval violation', async () => {
    const browser = await launchWithExtension({ extensionDir: resolve('.output', `chrome-mv3${SUFFIX}`) });
    try {
      const page = await browser.context.newPage();
      const messages: string[] = [];
      page.on('console', (message) => messages.push(message.text()));
      page.on('pageerror', (error) => messages.push(error.message));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => console.error(`csp-violation ${event.violatedDirective} ${event.blockedURI}`));
      });
      await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
      await page.waitForLoadState('load');
      await page.waitForTimeout(PAGE_SETTLE_MS);
      // zod must have been configured before it parsed anything on the page (the settings form parses on load).
      expect(await page.evaluate(() => (globalThis as { __zod_globalConfig?: { jitless?: boolean } }).__zod_globalConfig?.jitless)).toBe(true);
      expect(await browser.worker.evaluate(() => (globalThis as { __zod_globalConfig?: { jitless?: boolean } }).__zod_globalConfig?.jitless)).toBe(true);
      expect(messages.filter((m) => /csp-violation|unsafe-eval|Refused to evaluate/i.test(m))).toEqual([]);

      // The check above can fail: a string evaluation on the same page is reported. (DevTools' own evaluate is
      // exempt from the CSP, so `new Function` here would run; a string timer goes through the page's CSP.)
      await page.evaluate(() => {
        (setTimeout as unknown as (code: string, ms: number) => number)('void 0', 0);
      });
      await page.waitForTimeout(200);
      expect(messages.some((m) => /csp-violation|unsafe-eval|Refused to evaluate/i.test(m))).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
