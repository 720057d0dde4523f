import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from './support/chromium';
import { startFixtureWiki, type FixtureWiki } from './support/fixture-wiki';

/**
 * Languages, direction and theme end to end ("Inclusion"): the in-page overlay and the extension pages speak the
 * resolved language with its direction, controls sit beside the text on the side the text ends, the interface
 * language setting applies without reinstalling, and the overlay follows the wiki's night theme.
 * - ?uselang=ar on the seeded (English) MediaWiki: Arabic interface, left-to-right content.
 * - A real arwiki talk page (../shared/data, DiscussionTools markup) on the fixture wiki: right-to-left content.
 */
const wikiUrl = inject('wikiUrl');
const wikiProblem = inject('wikiProblem');
const DEMO_PAGE = 'Talk:Kalkan_demo';
const ARWIKI_PAGE = resolve(process.env.KALKAN_SHARED_DATA ?? '../shared/data', 'pages/arwiki-User_talk_Khaled-DT-formatted-mobile.html');
const ARWIKI_TITLE = 'نقاش المستخدم:Khaled';
/** Signature time zones as the two wikis write them (MediaWiki 1.39 en: "(UTC)"; arwiki: "(ت ع م)" with NBSPs). */
const TIME_ZONE_SUFFIX = '\\((UTC|ت\\s?ع\\s?م)\\)';
/** Most pixels between a signature's end and its report control (report-controls.ts: a 4 px gap). */
const MAX_CONTROL_GAP_PX = 12;
/** Codex's dark --background-color-base (#101418), as computed. */
const CODEX_DARK_BACKGROUND = 'rgb(16, 20, 24)';

function message(domain: string, lang: string, key: string): string | undefined {
  const file = resolve('utils/i18n/messages', domain, `${lang}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)[key] : undefined;
}

/** lang, dir and theme of every overlay layer, and whether the page-visible host carries lang/dir. */
async function overlayLanguage(page: Page): Promise<{ layers: string[][]; hostAttributes: string[] }> {
  return page.evaluate(() => {
    const host = document.getElementById('kalkan-overlay');
    const layers = [...(host?.shadowRoot?.querySelectorAll<HTMLElement>('.kalkan-layer') ?? [])];
    return {
      layers: layers.map((layer) => [layer.lang, layer.dir, layer.getAttribute('data-kalkan-theme') ?? '']),
      hostAttributes: host ? host.getAttributeNames().filter((name) => name === 'lang' || name === 'dir' || name.startsWith('data-')) : ['missing'],
    };
  });
}

/**
 * Pairs each visible comment control with the time-zone text of the signature on its line: where the control
 * sits relative to the end of the signature.
 */
async function controlPlacement(page: Page): Promise<Array<{ control: [number, number]; signatureEnd: [number, number] }>> {
  return page.evaluate((suffix) => {
    const pattern = new RegExp(suffix, 'g');
    const stamps: DOMRect[] = [];
    const walker = document.createTreeWalker(document.getElementById('mw-content-text') ?? document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of (node.textContent ?? '').matchAll(pattern)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rect = [...range.getClientRects()].pop();
        if (rect) stamps.push(rect);
      }
    }
    const controls = [...(document.getElementById('kalkan-overlay')?.shadowRoot?.querySelectorAll<HTMLElement>('.kalkan-report-control[data-kind="comment"]') ?? [])]
      .filter((button) => !button.hidden);
    const out: Array<{ control: [number, number]; signatureEnd: [number, number] }> = [];
    for (const control of controls) {
      const box = control.getBoundingClientRect();
      const middle = box.top + box.height / 2;
      const stamp = stamps.find((rect) => middle >= rect.top - 2 && middle <= rect.bottom + 2);
      if (stamp) out.push({ control: [box.left, box.right], signatureEnd: [stamp.left, stamp.right] });
    }
    return out;
  }, TIME_ZONE_SUFFIX);
}

async function setInterfaceLanguage(browser: ExtensionBrowser, value: string): Promise<Page> {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  const select = options.getByTestId('language-settings').locator('select');
  await expect.poll(() => select.isEnabled()).toBe(true);
  await select.selectOption(value);
  return options;
}

describe.skipIf(Boolean(wikiProblem))('languages, direction and theme', () => {
  let browser: ExtensionBrowser;
  let fixture: FixtureWiki | null = null;

  beforeAll(async () => {
    browser = await launchWithExtension();
    if (existsSync(ARWIKI_PAGE)) {
      // From the first discussion on: the page's header boxes are positioned and scrolled by inline styles that
      // need the skin's CSS, which the fixture wiki does not serve. Wrapped as newer MediaWiki marks content.
      const saved = readFileSync(ARWIKI_PAGE, 'utf8');
      const discussions = saved.slice(Math.max(0, saved.indexOf('<div class="mw-heading mw-heading2')));
      const html = `<div class="mw-content-rtl mw-parser-output" lang="ar" dir="rtl">${discussions}</div>`;
      fixture = await startFixtureWiki([{ title: ARWIKI_TITLE, namespace: 3, html, lang: 'ar', dir: 'rtl' }], { apiFixture: 'mw139-ar' });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  it('?uselang=ar on an English wiki: Arabic interface inside the overlay only, controls after the (LTR) signatures', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/${DEMO_PAGE}?uselang=ar`);
    const control = page.locator('.kalkan-report-control[data-kind="comment"]').first();
    await control.waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');

    const { layers, hostAttributes } = await overlayLanguage(page);
    expect(layers.length).toBeGreaterThan(0);
    for (const [lang, dir] of layers) expect([lang, dir]).toEqual(['ar', 'rtl']);
    // The language is set inside the closed shadow root: the page's DOM shows nothing of the user's choice.
    expect(hostAttributes).toEqual([]);

    const arabicLabel = message('reporting', 'ar', 'kalkan-report-control-comment');
    const label = await control.getAttribute('aria-label');
    if (arabicLabel) expect(label).toContain(arabicLabel.split('$1')[0]?.trim() ?? '');
    expect(label).not.toMatch(/^Report comment by/);

    const placed = await controlPlacement(page);
    expect(placed.length).toBeGreaterThanOrEqual(3);
    for (const { control: [left], signatureEnd: [, end] } of placed) {
      expect(left).toBeGreaterThanOrEqual(end - 1);
      expect(left - end).toBeLessThanOrEqual(MAX_CONTROL_GAP_PX);
    }
    await page.screenshot({ path: '/tmp/kalkan-i18n-uselang-ar.png' });

    // The report form is about this wiki, so it follows the wiki's user language (Arabic), not the browser's.
    const formOpened = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('/report.html'), timeout: 30_000 });
    await control.click();
    const form = await formOpened;
    await expect.poll(() => form.evaluate(() => [document.documentElement.lang, document.documentElement.dir].join()), { timeout: 15_000 }).toBe('ar,rtl');
    await form.close();
    await page.close();
  });

  it('a right-to-left wiki: controls sit to the left of each signature', async (context) => {
    if (!fixture) return context.skip(`${ARWIKI_PAGE} is missing (set KALKAN_SHARED_DATA)`);
    const page = await browser.context.newPage();
    await page.goto(fixture.pageUrl(ARWIKI_TITLE));
    await page.locator('.kalkan-report-control[data-kind="comment"]').first().waitFor({ timeout: 30_000 });
    const { layers } = await overlayLanguage(page);
    for (const [lang, dir] of layers) expect([lang, dir]).toEqual(['ar', 'rtl']);
    const placed = await controlPlacement(page);
    await page.screenshot({ path: '/tmp/kalkan-i18n-arwiki.png' });
    expect(placed.length).toBeGreaterThanOrEqual(3);
    for (const { control: [, right], signatureEnd: [start] } of placed) {
      expect(right).toBeLessThanOrEqual(start + 1);
      expect(start - right).toBeLessThanOrEqual(MAX_CONTROL_GAP_PX);
    }
    await page.close();
  });

  it('the interface-language setting wins everywhere and applies without reinstalling', async () => {
    const options = await setInterfaceLanguage(browser, 'fa');
    // The options page itself switches at once.
    await expect.poll(() => options.evaluate(() => [document.documentElement.lang, document.documentElement.dir].join())).toBe('fa,rtl');
    const persianTitle = message('core', 'fa', 'kalkan-options-title');
    if (persianTitle) await expect.poll(() => options.locator('h1').innerText()).toBe(persianTitle);
    // Each language is listed by its own name.
    const names = await options.getByTestId('language-settings').locator('option').allInnerTexts();
    expect(names).toEqual(expect.arrayContaining(['English', 'العربية', 'кыргызча', 'қазақ тілі', 'فارسی', 'עברית', '简体中文']));

    // A wiki page opened now (English user language) uses the override.
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/${DEMO_PAGE}`);
    await page.locator('.kalkan-report-control[data-kind="comment"]').first().waitFor({ timeout: 30_000 });
    for (const [lang, dir] of (await overlayLanguage(page)).layers) expect([lang, dir]).toEqual(['fa', 'rtl']);

    // The popup too.
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await expect.poll(() => popup.evaluate(() => document.documentElement.lang)).toBe('fa');
    await popup.close();

    // Back to Automatic: the wiki's language again after a reload, the browser's on the options page.
    await options.getByTestId('language-settings').locator('select').selectOption('');
    await expect.poll(() => options.evaluate(() => [document.documentElement.lang, document.documentElement.dir].join())).toBe('en,ltr');
    await page.reload();
    await page.locator('.kalkan-report-control[data-kind="comment"]').first().waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await overlayLanguage(page)).layers[0]?.slice(0, 2).join()).toBe('en,ltr');
    expect(await page.locator('.kalkan-report-control[data-kind="comment"]').first().getAttribute('aria-label')).toMatch(/^Report comment by/);
    await options.close();
    await page.close();
  });

  it('follows the wiki\'s night theme (Codex dark tokens) and switches with it', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/${DEMO_PAGE}`);
    const control = page.locator('.kalkan-report-control[data-kind="comment"]').first();
    await control.waitFor({ timeout: 30_000 });
    const background = () => control.evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(await background()).toBe('rgb(255, 255, 255)');
    // MediaWiki 1.43+ sets these classes on <html> when the reader picks "Dark" (clientpref-os: follow the OS).
    await page.evaluate(() => document.documentElement.classList.add('skin-theme-clientpref-night'));
    await expect.poll(background).toBe(CODEX_DARK_BACKGROUND);
    for (const [, , theme] of (await overlayLanguage(page)).layers) expect(theme).toBe('night');
    await page.evaluate(() => document.documentElement.classList.replace('skin-theme-clientpref-night', 'skin-theme-clientpref-os'));
    await expect.poll(background).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).toBe(CODEX_DARK_BACKGROUND);
    // A light OS with "os": light again; a dark OS on a wiki without theme classes stays light like the page.
    await page.evaluate(() => document.documentElement.classList.remove('skin-theme-clientpref-os'));
    await expect.poll(background).toBe('rgb(255, 255, 255)');
    await page.close();
  });
});
