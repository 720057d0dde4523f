/**
 * The URL form of the test-only "open an extension page" hook (e2e-hooks.ts), without browser APIs so the e2e
 * tests can import it in Node.
 */

export const E2E_OPEN_HASH = '#kalkan-e2e-open=';
export const E2E_OPENABLE_PAGES = ['options.html', 'reports.html', 'popup.html'] as const;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

export function pageToOpen(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname) || !parsed.hash.startsWith(E2E_OPEN_HASH)) return null;
    const page = parsed.hash.slice(E2E_OPEN_HASH.length);
    return (E2E_OPENABLE_PAGES as readonly string[]).includes(page) ? page : null;
  } catch {
    // Not a URL (e.g. about:blank variants): nothing to open.
    return null;
  }
}
