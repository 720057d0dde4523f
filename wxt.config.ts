import { defineConfig } from 'wxt';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { E2E_MATCH_PATTERNS, WIKIMEDIA_MATCH_PATTERNS } from './utils/sites/wikimedia';

/**
 * KALKAN_E2E=1 builds the test variant into .output/<browser>-mv3-e2e: it may also run on loopback wikis (the
 * local MediaWiki and fixture pages) and opens its shadow roots to the accessibility checker. Nothing else differs.
 */
const e2e = process.env.KALKAN_E2E === '1';

/** Fixed ids so that tests, the demo and Firefox profiles can address the extension. */
const GECKO_ID = 'kalkan@kalkan-safety.org';

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  publicDir: 'public',
  imports: false,
  manifestVersion: 3,
  // KALKAN_OUT_SUFFIX lets parallel test runs build into separate folders (e.g. "-e2e-reporting").
  outDirTemplate: `{{browser}}-mv{{manifestVersion}}${e2e ? '-e2e' : ''}${process.env.KALKAN_OUT_SUFFIX ?? ''}`,
  vite: () => ({
    plugins: [preact()],
    // Exactly "zod": a wrapper that turns zod's JIT (new Function) off before zod loads; see utils/zod-runtime.
    resolve: { alias: [{ find: /^zod$/, replacement: fileURLToPath(new URL('./utils/zod-runtime/index.ts', import.meta.url)) }] },
    define: { __KALKAN_E2E__: JSON.stringify(e2e) },
    // KALKAN_NO_MINIFY=1 keeps function names readable in CPU profiles (benchmarks of the content script).
    build: { chunkSizeWarningLimit: 2000, ...(process.env.KALKAN_NO_MINIFY === '1' ? { minify: false } : {}) },
  }),
  hooks: {
    'build:manifestGenerated': (wxt, manifest) => {
      // Probe resistance: a resource pages may load would let any site detect Kalkan at a fixed
      // chrome-extension://<id>/ URL. Kalkan exposes none today; should one be added (by us or by WXT), Chrome must
      // serve it only under a per-session URL (tests/e2e/hardening-clickjack.e2e.ts checks the built manifest).
      if (wxt.config.browser === 'chrome') {
        for (const entry of manifest.web_accessible_resources ?? []) {
          if (typeof entry === 'object') Object.assign(entry, { use_dynamic_url: true });
        }
      }
      // The e2e build also runs on the loopback wikis; the production manifest never names them.
      if (!e2e) return;
      for (const script of manifest.content_scripts ?? []) script.matches = [...(script.matches ?? []), ...E2E_MATCH_PATTERNS];
    },
  },
  manifest: ({ browser }) => {
    const hosts = [...WIKIMEDIA_MATCH_PATTERNS, ...(e2e ? E2E_MATCH_PATTERNS : [])];
    return {
      name: '__MSG_extName__',
      description: '__MSG_extDescription__',
      default_locale: 'en',
      // alarms: report retries and daily retention of sent reports outlive the service worker.
      permissions: ['storage', 'scripting', 'alarms'],
      host_permissions: hosts,
      // Any other MediaWiki site: asked for host by host when the user adds it in the options page.
      optional_host_permissions: ['https://*/*', 'http://*/*'],
      content_security_policy: {
        extension_pages: "script-src 'self'; object-src 'self'",
      },
      // Screenshot-safe view (replace user names with pseudonyms) from the keyboard; no permission needed.
      commands: {
        'toggle-screenshot-safe': {
          suggested_key: { default: 'Alt+Shift+U' },
          description: '__MSG_commandScreenshotSafe__',
        },
      },
      ...(browser === 'firefox'
        ? {
            browser_specific_settings: {
              gecko: {
                id: GECKO_ID,
                strict_min_version: '142.0',
                data_collection_permissions: {
                  // Kalkan sends nothing by itself. Only a report the user submits leaves the browser, to the
                  // destination the user chose; it can hold the user's own words and the reported comments.
                  required: ['none'],
                  optional: ['personalCommunications'],
                },
              },
            },
          }
        : {}),
    };
  },
});
