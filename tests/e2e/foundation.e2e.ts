import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { draftCount, launchWithExtension, type ExtensionBrowser } from './support/chromium';
import { countSections, countSignatures, rawWikitext } from './support/wikitext';

const wikiUrl = inject('wikiUrl');
const wikiProblem = inject('wikiProblem');

/**
 * One of each privileged request kind: settings writes, private-data reads, report submission, wipes. Only
 * Kalkan's own pages may send them (utils/messaging/protocol.ts).
 */
const PRIVILEGED_MESSAGES = [
  { type: 'sites/add', origin: 'https://evil.example' },
  { type: 'sites/list' },
  { type: 'highlight/settings/set', settings: { enabled: false } },
  { type: 'highlight/settings/get' },
  { type: 'masking/own-get' },
  { type: 'masking/own-set', own: { salt: 'x', entries: [] } },
  { type: 'masking/own-clear' },
  { type: 'report/send-now' },
  { type: 'profile/forget', wikiId: 'x' },
  { type: 'tab/summary', tabId: 1 },
];
/** How long forged input is given to (wrongly) change something. */
const NOTHING_HAPPENS_MS = 1_500;

/** Everything the background keeps in storage.local, minus the wiki-profile cache the page visit itself refreshes. */
async function storedState(browser: ExtensionBrowser): Promise<string> {
  return browser.worker.evaluate(async () => {
    const all = await chrome.storage.local.get(null);
    return JSON.stringify(Object.entries(all).filter(([key]) => !key.startsWith('profile:')).sort(([a], [b]) => a.localeCompare(b)));
  });
}

/** Runs `expression` in the content script's isolated world, as a compromised content script would. */
async function inContentScript(browser: ExtensionBrowser, page: Page, expression: string): Promise<unknown> {
  const cdp = await browser.context.newCDPSession(page);
  const contexts: Array<{ id: number; origin: string; auxData?: { type?: string } }> = [];
  cdp.on('Runtime.executionContextCreated', (event) => contexts.push(event.context as (typeof contexts)[number]));
  await cdp.send('Runtime.enable');
  const isolated = contexts.find((context) => context.auxData?.type === 'isolated' && context.origin === `chrome-extension://${browser.extensionId}`);
  if (!isolated) throw new Error('Kalkan\'s content script world was not found in the page');
  const answer = await cdp.send('Runtime.evaluate', { contextId: isolated.id, expression, awaitPromise: true, returnByValue: true });
  await cdp.detach();
  return answer.result.value;
}

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

  it('forged privileged messages change nothing: not from the page, not even from the content script\'s own world', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/Talk:Kalkan_demo`);
    await page.getByRole('button', { name: /^Report comment by / }).first().waitFor({ timeout: 20_000 });
    const before = await storedState(browser);
    const drafts = await draftCount(browser);
    // The page: window messages (Kalkan listens to none), and no chrome.runtime to call at all.
    const reach = await page.evaluate((messages) => {
      for (const message of messages) {
        window.postMessage(message, '*');
        window.postMessage(JSON.stringify(message), '*');
        document.dispatchEvent(new CustomEvent('kalkan', { detail: message }));
      }
      const w = window as unknown as { chrome?: { runtime?: { sendMessage?: unknown; connect?: unknown } } };
      return { sendMessage: typeof w.chrome?.runtime?.sendMessage, connect: typeof w.chrome?.runtime?.connect };
    }, PRIVILEGED_MESSAGES);
    expect(reach).toEqual({ sendMessage: 'undefined', connect: 'undefined' });
    // The content script's world (what a page would reach through a bug in it): the background decides by the
    // sender, so every privileged type is refused with "forbidden-sender" whatever the payload says.
    const answers = await inContentScript(browser, page,
      `Promise.all(${JSON.stringify(PRIVILEGED_MESSAGES)}.map((message) => chrome.runtime.sendMessage(message)))`) as Array<{ ok: boolean; error?: { code: string } }>;
    expect(answers.map((answer) => answer.error?.code ?? 'accepted')).toEqual(PRIVILEGED_MESSAGES.map(() => 'forbidden-sender'));
    await page.waitForTimeout(NOTHING_HAPPENS_MS);
    expect(await storedState(browser)).toBe(before);
    expect(await draftCount(browser)).toBe(drafts);
    await page.close();
  });

  it('synthetic clicks and key presses dispatched by the page do nothing, even on the controls themselves', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/Talk:Kalkan_demo`);
    const control = page.getByRole('button', { name: /^Report comment by / }).first();
    await control.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(NOTHING_HAPPENS_MS);
    const drafts = await draftCount(browser);
    const opened: string[] = [];
    const onPage = (p: Page) => opened.push(p.url());
    browser.context.on('page', onPage);
    const box = await control.boundingBox();
    const dispatched = await page.evaluate((point) => {
      const host = document.getElementById('kalkan-overlay');
      if (!host) return -1;
      const mouse = { bubbles: true, composed: true, clientX: point?.x ?? 0, clientY: point?.y ?? 0 };
      const keys = ['Enter', ' '].flatMap((key) => ['keydown', 'keypress', 'keyup'].map((type) => new KeyboardEvent(type, { key, bubbles: true, composed: true })));
      for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) host.dispatchEvent(new MouseEvent(type, mouse));
      for (const event of keys) host.dispatchEvent(event);
      // The e2e build opens the shadow root (production closes it): even handed the buttons, a script gets nowhere.
      const buttons = [...(host.shadowRoot?.querySelectorAll('button') ?? [])];
      for (const button of buttons) {
        button.click();
        button.dispatchEvent(new MouseEvent('click', { ...mouse, detail: 1 }));
        for (const type of ['keydown', 'keyup']) button.dispatchEvent(new KeyboardEvent(type, { key: 'Enter', bubbles: true, composed: true }));
      }
      return buttons.length;
    }, box && { x: box.x + box.width / 2, y: box.y + box.height / 2 });
    expect(dispatched).toBeGreaterThan(0);
    await page.waitForTimeout(NOTHING_HAPPENS_MS);
    browser.context.off('page', onPage);
    expect(opened.filter((url) => url.includes('/report.html'))).toEqual([]);
    expect(await draftCount(browser)).toBe(drafts);
    // No surface opened (highlight explanation) and no notice shown: script-made events are ignored silently.
    expect(await page.locator('#kalkan-overlay [data-testid="kalkan-hl-popover"]').count()).toBe(0);
    expect(await page.locator('#kalkan-overlay .kalkan-guard-notice').count()).toBe(0);
    await page.close();
  });
});
