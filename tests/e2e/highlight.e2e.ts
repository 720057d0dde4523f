import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from './support/chromium';

/**
 * Highlighting on the seeded local MediaWiki: Bakyt's comment on Talk:Kalkan demo is an insult. The overlay's
 * shadow root is open in the e2e build, so Playwright's locators reach the badges.
 */
const wikiUrl = inject('wikiUrl');
const wikiProblem = inject('wikiProblem');
const DONE_MARK = 'kalkan:highlight-done';

async function donePasses(page: Page): Promise<number> {
  return page.evaluate((name) => performance.getEntriesByName(name).length, DONE_MARK);
}

async function setOption(options: Page, testId: string, checked: boolean): Promise<void> {
  const box = options.getByTestId(testId);
  await box.waitFor();
  if ((await box.isChecked()) !== checked) {
    await box.setChecked(checked);
    await expect.poll(() => options.getByTestId('highlight-status').innerText()).toContain('Saved');
  }
}

describe.skipIf(Boolean(wikiProblem))('highlight: flagged comments on a real MediaWiki talk page', () => {
  let browser: ExtensionBrowser;
  let options: Page;
  beforeAll(async () => {
    browser = await launchWithExtension();
    options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('badges the abusive comment with its category; the reasons open and close by keyboard', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/Talk:Kalkan_demo`);
    const badge = page.getByTestId('kalkan-hl-badge');
    await badge.first().waitFor({ timeout: 30_000 });
    expect(await badge.count()).toBe(1);
    expect(await badge.getAttribute('data-category')).toBe('insult');
    expect(await badge.getAttribute('data-comment')).toMatch(/^c-Bakyt-/);
    expect(await badge.innerText()).toBe('Insult');

    // The matched words are marked with the CSS Custom Highlight API: no node was added to the page.
    const registry = await page.evaluate(() => ({
      rule: (CSS as unknown as { highlights: Map<string, Set<AbstractRange>> }).highlights.get('kalkan-hl-rule')?.size ?? 0,
      sheets: document.adoptedStyleSheets.length,
    }));
    expect(registry.rule).toBeGreaterThan(0);
    expect(registry.sheets).toBe(1);

    await badge.focus();
    await page.keyboard.press('Enter');
    const popover = page.getByTestId('kalkan-hl-popover');
    await popover.waitFor();
    expect(await badge.getAttribute('aria-expanded')).toBe('true');
    const reasons = await page.getByTestId('kalkan-hl-reasons').innerText();
    expect(reasons).toContain('stupid');
    expect(reasons).toContain('en.insult.');
    expect(await popover.innerText()).toContain('Computed on your device');
    // Focus moved into the popover (its heading), inside the overlay's shadow root.
    const focused = await page.evaluate(() => document.getElementById('kalkan-overlay')?.shadowRoot?.activeElement?.tagName);
    expect(focused).toBe('H2');
    await page.keyboard.press('Escape');
    await expect.poll(() => popover.count()).toBe(0);
    const back = await page.evaluate(() => (document.getElementById('kalkan-overlay')?.shadowRoot?.activeElement as HTMLElement | null)?.dataset.testid);
    expect(back).toBe('kalkan-hl-badge');

    // The popup shows the page's flagged count.
    const tabId = await browser.worker.evaluate(async (url: string) => (await chrome.tabs.query({ url: `${url}/wiki/Talk:Kalkan_demo` }))[0]?.id ?? -1, wikiUrl);
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
    await expect.poll(() => popup.getByTestId('popup-flagged').getAttribute('data-flagged'), { timeout: 10_000 }).toBe('1');
    expect(await popup.getByTestId('popup-flagged').innerText()).toBe('1 comment flagged by highlighting.');
    await popup.close();
    await page.close();
  });

  it('enabling makes no network request, and disabling gives back the exact HTML', async () => {
    await setOption(options, 'highlight-enabled', false);
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/Talk:Kalkan_demo`, { waitUntil: 'networkidle' });
    // Kalkan ran (the model was built) but, switched off, left the page alone.
    await page.waitForFunction(() => performance.getEntriesByName('kalkan:model-build').length > 0);
    await page.waitForTimeout(500);
    const before = await page.evaluate(() => document.documentElement.outerHTML);
    // Other capabilities may keep the overlay host (then it is in both snapshots); highlighting has no layer.
    const hasLayer = () => page.evaluate(() => Boolean(document.getElementById('kalkan-overlay')?.shadowRoot?.querySelector('.kalkan-layer-highlight')));
    expect(await hasLayer()).toBe(false);

    const requests: string[] = [];
    const record = (request: { url(): string }) => requests.push(request.url());
    browser.context.on('request', record);
    const passes = await donePasses(page);
    await setOption(options, 'highlight-enabled', true);
    await page.waitForFunction(([name, n]) => performance.getEntriesByName(name as string).length > (n as number), [DONE_MARK, passes] as const, { timeout: 30_000 });
    await page.getByTestId('kalkan-hl-badge').waitFor();
    browser.context.off('request', record);
    const outside = requests.filter((url) => !url.startsWith('chrome-extension://'));
    expect(outside).toEqual([]);

    await setOption(options, 'highlight-enabled', false);
    await expect.poll(hasLayer).toBe(false);
    const after = await page.evaluate(() => document.documentElement.outerHTML);
    expect(after.length).toBe(before.length);
    expect(after === before).toBe(true);
    const leftovers = await page.evaluate(() => ({
      highlights: (CSS as unknown as { highlights: Map<string, unknown> }).highlights.size,
      sheets: document.adoptedStyleSheets.length,
    }));
    expect(leftovers).toEqual({ highlights: 0, sheets: 0 });
    await setOption(options, 'highlight-enabled', true);
    await page.close();
  });

  it('blurs flagged comments until "Show comment" is clicked', async () => {
    await setOption(options, 'highlight-blur', true);
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/Talk:Kalkan_demo`);
    const cover = page.getByTestId('kalkan-hl-blur');
    await cover.waitFor({ timeout: 30_000 });
    expect(await cover.getAttribute('data-comment')).toMatch(/^c-Bakyt-/);
    // The cover lies over the comment's text.
    const box = await cover.boundingBox();
    const text = await page.evaluate(() => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.textContent?.includes('stupid idiot')) {
          const range = document.createRange();
          range.selectNodeContents(n);
          const r = range.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        }
      }
      return null;
    });
    expect(box && text).toBeTruthy();
    expect(box!.y).toBeLessThanOrEqual(text!.y);
    expect(box!.y + box!.height).toBeGreaterThanOrEqual(text!.y + text!.height);
    await page.screenshot({ path: `${process.env.KALKAN_SCREENSHOT_DIR ?? '/tmp'}/kalkan-highlight-blur.png` });
    await cover.getByRole('button', { name: /Show the comment/ }).click();
    await expect.poll(() => cover.count()).toBe(0);
    await setOption(options, 'highlight-blur', false);
    await page.screenshot({ path: `${process.env.KALKAN_SCREENSHOT_DIR ?? '/tmp'}/kalkan-highlight.png` });
    await page.close();
  });
});
