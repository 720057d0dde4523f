import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from './support/chromium';
import { countSections, countSignatures, rawWikitext } from './support/wikitext';

const wikiUrl = inject('wikiUrl');
const wikiProblem = inject('wikiProblem');

describe.skipIf(Boolean(wikiProblem))('foundation: the extension on a real MediaWiki talk page', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the content script learns the wiki from the background and reports the page model back', async () => {
    // Other e2e files may have added comments: count what the wiki holds now (seeded: 7 + 1 signed live by ~~~~).
    const wikitext = await rawWikitext(wikiUrl, 'Talk:Kalkan demo');
    const expected = countSignatures(wikitext);
    expect(expected).toBeGreaterThanOrEqual(8);
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/Talk:Kalkan_demo`);
    // The background stores what the content script reported; read it through the popup (an extension page).
    const tabId = await browser.worker.evaluate(async (url: string) => {
      const tabs = await chrome.tabs.query({ url: `${url}/*` });
      return tabs[0]?.id ?? -1;
    }, wikiUrl);
    expect(tabId).toBeGreaterThan(0);
    const popup = await browser.context.newPage();
    let comments = 0;
    for (let attempt = 0; attempt < 50 && comments !== expected; attempt += 1) {
      await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
      const count = popup.getByTestId('popup-count');
      if (await count.count()) comments = Number(await count.getAttribute('data-comments'));
      if (comments !== expected) await popup.waitForTimeout(200);
    }
    expect(comments).toBe(expected);
    await expect.poll(() => popup.getByTestId('popup-status').innerText()).toContain(`${expected} signed comments in ${countSections(wikitext)} threads`);
    // The background learned and cached the profile of this wiki (extension storage, not the page's).
    const profile = await browser.worker.evaluate(async (url: string) => {
      const all = await chrome.storage.local.get(null);
      return Object.entries(all).find(([key]) => key.startsWith(`profile:${url}`))?.[1] as { dateLocales: Array<{ dateFormat: string }> } | undefined;
    }, wikiUrl);
    expect(profile?.dateLocales[0]?.dateFormat).toBe('H:i, j F Y');
  });

  it('a page cannot reach the background: window messages and forged runtime calls change nothing', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/Talk:Kalkan_demo`);
    const exposed = await page.evaluate(() => {
      const w = window as unknown as { chrome?: { runtime?: { sendMessage?: unknown; id?: unknown } } };
      window.postMessage({ type: 'sites/add', origin: 'https://evil.example' }, '*');
      return { sendMessage: typeof w.chrome?.runtime?.sendMessage, id: w.chrome?.runtime?.id ?? null };
    });
    // Pages get no extension id for Kalkan (it lists no externally_connectable), so nothing can be addressed.
    expect(exposed.id).toBeNull();
    const sites = await browser.worker.evaluate(async () => (await chrome.storage.local.get('sites')).sites ?? []);
    expect(sites).toEqual([]);
  });
});
