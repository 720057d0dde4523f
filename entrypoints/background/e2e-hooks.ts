import browser, { type Tabs } from 'webextension-polyfill';
import { pageToOpen } from './e2e-hook-url';

/**
 * Test-only (the KALKAN_E2E=1 build; index.ts calls this behind __KALKAN_E2E__, so other builds leave it out):
 * Firefox's WebDriver BiDi refuses to navigate to moz-extension:// pages, so an e2e test navigates a loopback
 * tab to `…#kalkan-e2e-open=options.html` and the extension opens its own page in a new tab. Only Kalkan's own
 * pages in E2E_OPENABLE_PAGES, only from loopback tabs; nothing is read from or sent to the page.
 */

export function startE2eHooks(): void {
  browser.tabs.onUpdated.addListener((_tabId: number, change: Tabs.OnUpdatedChangeInfoType) => {
    const page = pageToOpen(change.url);
    if (page) void browser.tabs.create({ url: browser.runtime.getURL(`/${page}`) }).catch((error: unknown) => console.error('[kalkan] e2e hook:', error));
  });
}
