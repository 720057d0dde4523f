import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from './support/chromium';
import { countSignatures, rawWikitext } from './support/wikitext';

const wikiUrl = inject('wikiUrl');
const wikiProblem = inject('wikiProblem');

async function summaryOf(browser: ExtensionBrowser, urlPrefix: string): Promise<{ comments: number; headings: number } | null> {
  return browser.worker.evaluate(async (prefix: string) => {
    const tab = (await chrome.tabs.query({ url: `${prefix}*` }))[0];
    if (tab?.id === undefined) return null;
    const key = `summary:${tab.id}`;
    return ((await chrome.storage.session.get(key))[key] as { comments: number; headings: number } | undefined) ?? null;
  }, urlPrefix);
}

describe.skipIf(Boolean(wikiProblem))('page model on a live page', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('keeps the model current when a reply appears on the page (as the reply tool inserts it)', async () => {
    const expected = countSignatures(await rawWikitext(wikiUrl, 'Talk:Kalkan demo'));
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/Talk:Kalkan_demo`);
    // Batching waits for animation frames, which browsers pause in background tabs.
    await page.bringToFront();
    await expect.poll(async () => (await summaryOf(browser, `${wikiUrl}/wiki/Talk:Kalkan_demo`))?.comments, { timeout: 15_000 }).toBe(expected);
    // What DiscussionTools' reply tool does after saving: a new indented, signed comment appears in the thread.
    await page.evaluate(() => {
      const dl = document.createElement('dl');
      const dd = document.createElement('dd');
      const user = document.createElement('a');
      user.href = '/wiki/User:Chloe';
      user.textContent = 'Chloe';
      const talk = document.createElement('a');
      talk.href = '/wiki/User_talk:Chloe';
      talk.textContent = 'talk';
      dd.append('Agreed, thank you. ', user, ' (', talk, ') 10:00, 5 April 2026 (UTC)');
      dl.append(dd);
      const headings = document.querySelectorAll('.mw-parser-output h2');
      const second = headings[1];
      second?.parentNode?.insertBefore(dl, second);
    });
    await expect.poll(async () => (await summaryOf(browser, `${wikiUrl}/wiki/Talk:Kalkan_demo`))?.comments, { timeout: 15_000 }).toBe(expected + 1);
  });

  it('stays silent on pages that are not discussions, and on non-MediaWiki pages', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/Felt_making`);
    await page.waitForTimeout(1500);
    const summary = await summaryOf(browser, `${wikiUrl}/wiki/Felt_making`);
    expect(summary?.comments ?? 0).toBe(0);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${wikiUrl}/w/resources/assets/poweredby_mediawiki_88x31.png`);
    expect(errors).toEqual([]);
  });
});
