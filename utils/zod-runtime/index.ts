// Must stay the first import: it has to run before zod's core module is evaluated (see jitless.ts).
import './jitless';

/**
 * What `import … from 'zod'` resolves to in the extension builds (wxt.config.ts aliases exactly "zod" here):
 * zod itself, loaded only after the jitless flag is set.
 */
export * from 'zod/v4';
export { default } from 'zod/v4';
