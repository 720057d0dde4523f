import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../scripts/receiver/server';
import { SEED_PASSWORD } from '../../scripts/wiki/content';
import { ReportSchema, type Report } from '../../utils/reports/schema';
import { axeViolations, chooseInterfaceLanguage, emulateUiLanguage, focusInfo, OVERLAY_HOST_ID, tabUntil } from './support/a11y';
import { launchWithExtension, type ExtensionBrowser } from './support/chromium';

/**
 * Inclusion (WCAG 2.2 AA): axe-core finds nothing on any of Kalkan's surfaces, in English and in Arabic (RTL);
 * the whole report and masking flows work with the keyboard alone, with focus moved into each dialog and back
 * out; and the report form is photographed in Kyrgyz, Arabic and Russian for review
 * (.output/screenshots/report-form-{ky,ar,ru}.png).
 */
const wikiUrl = inject('wikiUrl');
const wikiProblem = inject('wikiProblem');

const DEMO = 'Talk:Kalkan_demo';
/** Seeded talk pages on which Bakyt replies to Aigerim: they give the patroller view a ranked pair. */
const FOLLOWED = ['Talk:Felt_making', 'Talk:Komuz'];
/** A page of this file's own: the keyboard test saves edits to it. */
const SANDBOX = 'Talk:Inclusion_sandbox';
const PHONE = '+996 555 321 987';
const DELIVERY_TIMEOUT_MS = 60_000;
const SCREENSHOT_DIR = '.output/screenshots';
const SCREENSHOT_LANGUAGES = ['ky', 'ar', 'ru'] as const;
const CONTROL_TIMEOUT_MS = 20_000;
/** Narrowest viewport WCAG 1.4.10 asks content to reflow into without horizontal scrolling. */
const REFLOW_WIDTH_PX = 320;

const uselang = (lang: string, sep: '?' | '&') => (lang === 'en' ? '' : `${sep}uselang=${lang}`);

async function addEndpoint(browser: ExtensionBrowser, label: string, baseUrl: string): Promise<void> {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.getByTestId('destination-kind').selectOption('endpoint');
  await options.getByTestId('destination-label').fill(label);
  await options.getByTestId('destination-url').fill(baseUrl);
  // A key press, not a click: the permission request still counts as the user's own gesture.
  await options.getByTestId('destination-add').press('Enter');
  await expect.poll(() => options.getByTestId('destinations-status').innerText()).toContain(label);
  await options.close();
}

/** Waits for the first report control beside a comment (placed by the overlay after the page model is built). */
async function commentControl(page: Page, author?: string) {
  const control = author
    ? page.locator(`button.kalkan-report-control[data-kind="comment"][data-item-id^="c-${author}-"]`)
    : page.locator('button.kalkan-report-control[data-kind="comment"]');
  await control.first().waitFor({ timeout: CONTROL_TIMEOUT_MS });
  return control.first();
}

async function pressControl(browser: ExtensionBrowser, page: Page, author: string): Promise<Page> {
  const control = await commentControl(page, author);
  const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('/report.html'), timeout: CONTROL_TIMEOUT_MS });
  await control.focus();
  await control.press('Enter');
  const form = await opened;
  await form.getByTestId('evidence-item').first().waitFor({ timeout: CONTROL_TIMEOUT_MS });
  return form;
}

async function tabIdOf(browser: ExtensionBrowser, prefix: string): Promise<number> {
  return browser.worker.evaluate(async (p: string) => (await chrome.tabs.query({})).find((tab) => tab.url?.startsWith(p))?.id ?? -1, prefix);
}

function storedReports(receiver: RunningReceiver): Report[] {
  return receiver.store.list().map((stored) => ReportSchema.parse(JSON.parse(stored.body)));
}

/** Sets up a browser whose extension pages use `lang` (Kalkan's own setting when it exists, else emulated). */
async function browserIn(lang: string): Promise<{ browser: ExtensionBrowser; via: 'setting' | 'emulated' | 'default' }> {
  const browser = await launchWithExtension();
  if (lang === 'en') return { browser, via: 'default' };
  const viaSetting = await chooseInterfaceLanguage(browser.context, browser.extensionId, lang);
  if (!viaSetting) await emulateUiLanguage(browser.context, lang);
  return { browser, via: viaSetting ? 'setting' : 'emulated' };
}

describe.skipIf(Boolean(wikiProblem))('inclusion: accessibility of every surface, keyboard-only flows, translated screenshots', () => {
  let receiver: RunningReceiver;
  const dir = mkdtempSync(join(tmpdir(), 'kalkan-a11y-e2e-'));
  beforeAll(async () => {
    receiver = await startReceiver({ port: 0, dbFile: join(dir, 'reports.sqlite') });
  });
  afterAll(async () => {
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const lang of ['en', 'ar'] as const) {
    it(`axe-core: 0 violations on every surface (${lang})`, async () => {
      const { browser, via } = await browserIn(lang);
      const found: Record<string, string[]> = {};
      const check = async (surface: string, page: Page, scope: 'page' | 'overlay') => {
        found[surface] = await axeViolations(page, scope);
        if (scope === 'overlay') return;
        // Extension pages follow the system's dark mode (Codex dark tokens): contrast is checked there too.
        await page.emulateMedia({ colorScheme: 'dark' });
        found[`${surface}, dark mode`] = await axeViolations(page, scope);
        await page.emulateMedia({ colorScheme: 'light' });
      };
      try {
        console.info(`[a11y e2e] ${lang}: extension pages' language ${via}`);
        await addEndpoint(browser, 'Safety team', receiver.url);
        for (const title of FOLLOWED) {
          const visit = await browser.context.newPage();
          await visit.goto(`${wikiUrl}/wiki/${title}${uselang(lang, '?')}`);
          await commentControl(visit);
          await visit.close();
        }

        // In-page: report controls, highlight badges, then the reasons popover and the selection control.
        const wiki = await browser.context.newPage();
        await wiki.goto(`${wikiUrl}/wiki/${DEMO}${uselang(lang, '?')}`);
        if (lang === 'ar') expect(await wiki.evaluate(() => document.documentElement.dir)).toBe('rtl');
        await commentControl(wiki, 'Bakyt');
        const badge = wiki.getByTestId('kalkan-hl-badge').first();
        await badge.waitFor({ timeout: 30_000 });
        await check('report controls and highlight badges', wiki, 'overlay');
        await badge.focus();
        await wiki.keyboard.press('Enter');
        await wiki.getByTestId('kalkan-hl-popover').waitFor();
        await check('reasons popover', wiki, 'overlay');
        await wiki.keyboard.press('Escape');
        await wiki.evaluate(() => {
          const text = Array.from(document.querySelectorAll('.mw-parser-output dd, .mw-parser-output p'))
            .find((el) => el.textContent?.includes('stupid idiot'))?.firstChild;
          if (!text) throw new Error('Bakyt’s comment is not on the page');
          const range = document.createRange();
          range.setStart(text, 0);
          range.setEnd(text, Math.min(20, text.textContent?.length ?? 0));
          getSelection()?.removeAllRanges();
          getSelection()?.addRange(range);
        });
        await wiki.locator('button.kalkan-report-control[data-kind="selection"]:not([hidden])').waitFor();
        await check('selection control', wiki, 'overlay');
        await wiki.evaluate(() => getSelection()?.removeAllRanges());

        // The report form: with evidence, then with an emergency chosen.
        const form = await pressControl(browser, wiki, 'Bakyt');
        if (lang === 'ar') expect(await form.evaluate(() => document.documentElement.dir)).toBe('rtl');
        await wiki.getByRole('status').filter({ hasText: /\S/ }).first().waitFor();
        await check('"added to report" notice', wiki, 'overlay');
        await check('report form with evidence', form, 'page');
        await form.locator('input[data-harm="threat_physical_harm"]').check();
        await form.getByTestId('emergency-guidance').waitFor();
        await check('report form, emergency chosen', form, 'page');
        await form.getByTestId('report-submit').press('Enter');
        await expect.poll(() => form.getByTestId('report-status').getAttribute('data-state'), { timeout: DELIVERY_TIMEOUT_MS }).toBe('sent');
        await check('report form, sent', form, 'page');

        // The reports page with a draft (a new report started after the first was sent) and a sent report.
        const second = await pressControl(browser, wiki, 'Aigerim');
        await second.close();
        const reports = await browser.context.newPage();
        await reports.goto(`chrome-extension://${browser.extensionId}/reports.html`);
        await expect.poll(() => reports.getByTestId('draft-row').count()).toBeGreaterThan(0);
        await expect.poll(() => reports.getByTestId('receipt-row').count()).toBeGreaterThan(0);
        await check('drafts and reports page', reports, 'page');
        await reports.getByTestId('wipe').press('Enter');
        await reports.getByTestId('wipe-confirm').waitFor();
        await check('drafts and reports page, wipe confirmation', reports, 'page');
        await reports.keyboard.press('Escape');

        const options = await browser.context.newPage();
        await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
        await options.getByTestId('own-identifiers').waitFor();
        await check('options page', options, 'page');

        const patrol = await browser.context.newPage();
        await patrol.goto(`chrome-extension://${browser.extensionId}/patrol.html`);
        const rows = patrol.getByTestId('patrol-pair-row');
        await expect.poll(() => rows.count()).toBeGreaterThan(0);
        await check('patroller view', patrol, 'page');
        await rows.first().getByRole('button').press('Enter');
        await patrol.getByTestId('patrol-pair-detail').waitFor();
        await check('patroller view, pair opened', patrol, 'page');

        const tabId = await tabIdOf(browser, `${wikiUrl}/wiki/${DEMO}`);
        const popup = await browser.context.newPage();
        await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
        await popup.getByTestId('popup-count').waitFor();
        await check('popup', popup, 'page');

        // Masking, logged out: the notice on opening the editor, the count while typing, the save dialog.
        const edit = await browser.context.newPage();
        await edit.goto(`${wikiUrl}/w/index.php?title=${SANDBOX}&action=edit&section=new${uselang(lang, '&')}`);
        await edit.getByTestId('masking-warning').waitFor({ timeout: CONTROL_TIMEOUT_MS });
        await check('masking logged-out notice', edit, 'overlay');
        await edit.getByTestId('masking-warning').getByRole('button').press('Enter');
        await edit.locator('#wpSummary').fill('Contact');
        await edit.locator('#wpTextbox1').fill(`Call me on ${PHONE}.`);
        await edit.getByTestId('masking-badge').waitFor({ timeout: CONTROL_TIMEOUT_MS });
        await check('masking count badge', edit, 'overlay');
        await edit.locator('#wpSave').press('Enter');
        await edit.getByTestId('masking-dialog').waitFor();
        await check('masking save dialog', edit, 'overlay');
        await edit.keyboard.press('Escape');
      } finally {
        await browser.close();
      }
      for (const [surface, violations] of Object.entries(found)) expect.soft(violations, `${surface} (${lang})`).toEqual([]);
      // 7 in-page views, 9 extension-page views in light and dark mode: none skipped.
      expect(Object.keys(found)).toHaveLength(7 + 9 * 2);
    });
  }

  it('keyboard only: Tab to a comment, report it to the chosen destination, then mask a phone number at save', async () => {
    const browser = await launchWithExtension();
    try {
      await addEndpoint(browser, 'Other team', `${receiver.url.replace(/\/$/, '')}/elsewhere`);
      await addEndpoint(browser, 'Safety team', receiver.url);
      const before = storedReports(receiver).length;

      // From the top of the page, Tab until a report control beside Bakyt's comment has focus.
      const wiki = await browser.context.newPage();
      await wiki.goto(`${wikiUrl}/wiki/${DEMO}`);
      await commentControl(wiki, 'Bakyt');
      const presses = await tabUntil(wiki, (f) => f.inOverlay && /^Report comment by Bakyt /.test(f.label));
      console.info(`[a11y e2e] Tab presses from the top of ${DEMO} to Bakyt's report control: ${presses}`);
      const control = await focusInfo(wiki);

      const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('/report.html'), timeout: CONTROL_TIMEOUT_MS });
      await wiki.keyboard.press('Enter');
      const form = await opened;
      await form.getByTestId('evidence-item').first().waitFor();
      // The notice that the comment was added is a live region on the wiki page.
      await expect.poll(() => wiki.getByRole('status').first().innerText()).toMatch(/^Added 1 comment/);
      // The form takes focus at its heading, so a screen reader starts reading the form.
      await expect.poll(async () => (await focusInfo(form)).tag).toBe('h1');

      await tabUntil(form, (f) => f.tag === 'input' && f.dialog === '' && f.label === 'Intimidation or aggression');
      await form.keyboard.press('ArrowDown');
      await expect.poll(() => form.getByLabel('Sexual harassment').isChecked()).toBe(true);
      await tabUntil(form, (f) => f.testId === 'report-description');
      await form.keyboard.type('He insults me in every thread.');
      await tabUntil(form, (f) => f.tag === 'input' && /Other team/.test(f.label));
      await form.keyboard.press('ArrowDown');
      await expect.poll(() => form.getByRole('radio', { name: /Safety team/ }).isChecked()).toBe(true);
      await tabUntil(form, (f) => f.testId === 'report-submit');
      await form.keyboard.press('Enter');
      await expect.poll(() => form.getByTestId('report-status').getAttribute('data-state'), { timeout: DELIVERY_TIMEOUT_MS }).toBe('sent');
      const reports = storedReports(receiver);
      expect(reports).toHaveLength(before + 1);
      const report = reports[reports.length - 1] as Report;
      expect(report.harm).toEqual({ kind: 'incident', category: 'sexual_harassment' });
      expect(report.description).toBe('He insults me in every thread.');
      expect(report.evidence[0]?.author).toBe('Bakyt');

      // Back on the wiki tab, focus is still on the control that opened the form.
      await wiki.bringToFront();
      expect(await focusInfo(wiki)).toEqual(control);

      // Log in and write a new section with a phone number, all from the keyboard.
      const edit = await browser.context.newPage();
      await edit.goto(`${wikiUrl}/w/index.php?title=Special:UserLogin&returnto=${SANDBOX}`);
      await tabUntil(edit, (f) => f.id === 'wpName1');
      await edit.keyboard.type('Aigerim');
      await tabUntil(edit, (f) => f.id === 'wpPassword1');
      await edit.keyboard.type(SEED_PASSWORD);
      await Promise.all([edit.waitForNavigation(), edit.keyboard.press('Enter')]);
      await edit.goto(`${wikiUrl}/w/index.php?title=${SANDBOX}&action=edit&section=new`);
      await edit.locator('#wpTextbox1').waitFor();
      await tabUntil(edit, (f) => f.id === 'wpSummary');
      await edit.keyboard.type('How to reach me');
      await tabUntil(edit, (f) => f.id === 'wpTextbox1');
      await edit.keyboard.type(`You can call me on ${PHONE} after six. ~~~~`);
      await edit.getByTestId('masking-badge').waitFor({ timeout: CONTROL_TIMEOUT_MS });
      // The count is announced, not only drawn.
      await expect.poll(() => edit.getByTestId('masking-live').innerText()).toMatch(/1 identifying detail/);
      await tabUntil(edit, (f) => f.id === 'wpSave');

      // Publish → the dialog holds the save and takes focus; Escape closes it and focus is back on Publish.
      await edit.keyboard.press('Enter');
      const dialog = edit.getByTestId('masking-dialog');
      await dialog.waitFor();
      await expect.poll(async () => (await focusInfo(edit)).dialog).toBe('masking-dialog');
      await edit.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
      await expect.poll(async () => (await focusInfo(edit)).id).toBe('wpSave');
      expect(edit.url()).toContain('action=edit');

      // Again, and this time "mask" by keyboard, then save.
      await edit.keyboard.press('Enter');
      await dialog.waitFor();
      await expect.poll(async () => (await focusInfo(edit)).dialog).toBe('masking-dialog');
      // The dialog opens with focus on its first control, "mask".
      await tabUntil(edit, (f) => f.action === 'mask', { orCurrent: true, max: 3 });
      // No pause: the click guard (entrypoints/content/click-guard.ts) takes a key press on the focused control at
      // once, even while the browser's visibility report still lags behind the freshly opened dialog.
      await edit.keyboard.press('Enter');
      await dialog.getByTestId('masking-clear').waitFor({ timeout: CONTROL_TIMEOUT_MS }).catch(async (error: unknown) => {
        await edit.screenshot({ path: '.tmp/a11y-mask-failure.png' });
        throw new Error(`no "all masked" state; focus ${JSON.stringify(await focusInfo(edit))}, text ${JSON.stringify(await edit.locator('#wpTextbox1').inputValue())}`, { cause: error });
      });
      await expect.poll(async () => (await focusInfo(edit)).dialog).toBe('masking-dialog');
      await tabUntil(edit, (f) => f.action === 'publish', { orCurrent: true, max: 3 });
      await Promise.all([edit.waitForNavigation(), edit.keyboard.press('Enter')]);
      const raw = await (await fetch(`${wikiUrl}/w/index.php?title=${SANDBOX}&action=raw&_=${Date.now()}`)).text();
      expect(raw).toContain('You can call me on [phone removed] after six.');
      expect(raw).not.toContain('555 321 987');

      // The reasons popover: Enter opens it with focus inside, Escape closes it and focus returns to the badge.
      await wiki.bringToFront();
      const badge = wiki.getByTestId('kalkan-hl-badge').first();
      await badge.waitFor({ timeout: 30_000 });
      await tabUntil(wiki, (f) => f.testId === 'kalkan-hl-badge');
      await wiki.keyboard.press('Enter');
      await wiki.getByTestId('kalkan-hl-popover').waitFor();
      await expect.poll(async () => (await focusInfo(wiki)).dialog).toBe('kalkan-hl-popover');
      await wiki.keyboard.press('Escape');
      await expect.poll(() => wiki.getByTestId('kalkan-hl-popover').count()).toBe(0);
      await expect.poll(async () => (await focusInfo(wiki)).testId).toBe('kalkan-hl-badge');

      // The reports page's wipe confirmation: focus moves to it, Escape cancels and focus returns to "wipe".
      const list = await browser.context.newPage();
      await list.goto(`chrome-extension://${browser.extensionId}/reports.html`);
      await list.getByTestId('receipt-row').first().waitFor();
      await tabUntil(list, (f) => f.testId === 'wipe');
      await list.keyboard.press('Enter');
      await expect.poll(async () => (await focusInfo(list)).dialog).not.toBe('');
      await list.keyboard.press('Escape');
      await expect.poll(() => list.getByTestId('wipe-confirm').count()).toBe(0);
      await expect.poll(async () => (await focusInfo(list)).testId).toBe('wipe');
      expect(await list.getByTestId('receipt-row').count()).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  });

  it('screenshots of the report form in Kyrgyz, Arabic and Russian; reflow at 320 px; reduced motion', async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const { browser } = await browserIn('en');
    try {
      await addEndpoint(browser, 'Safety team', receiver.url);
      const wiki = await browser.context.newPage();
      await wiki.goto(`${wikiUrl}/wiki/${DEMO}`);
      const form = await pressControl(browser, wiki, 'Bakyt');
      const draft = new URL(form.url()).searchParams.get('draft') ?? '';
      await form.close();
      for (const lang of SCREENSHOT_LANGUAGES) {
        const viaSetting = await chooseInterfaceLanguage(browser.context, browser.extensionId, lang);
        const page = await browser.context.newPage();
        if (!viaSetting) await emulateUiLanguage(page, lang);
        await page.goto(`chrome-extension://${browser.extensionId}/report.html?draft=${draft}`);
        await page.getByTestId('evidence-item').first().waitFor();
        await page.locator('input[data-harm="intimidation_aggression"]').check();
        expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang, lang === 'ar' ? 'rtl' : 'ltr']);
        // Chromium puts the scrollbar on the left of an RTL page, and a full-page capture would cut the right edge.
        await page.screenshot({ path: join(SCREENSHOT_DIR, `report-form-${lang}.png`), fullPage: true, style: 'html { scrollbar-width: none; }' });
        // Nothing may overflow its box (clipped text) in any language.
        const clipped = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('label, legend, button, h1, h2, p'))
          .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible')
          .map((el) => el.textContent?.slice(0, 40)));
        expect(clipped).toEqual([]);
        await page.close();
      }

      // Reflow (WCAG 1.4.10): at 320 CSS pixels wide, no extension page scrolls sideways (here in Russian, the
      // longest labels of the three); with reduced motion nothing on them or on the wiki page moves.
      const pages = [`report.html?draft=${draft}`, 'reports.html', 'options.html', 'patrol.html', 'popup.html'];
      for (const path of pages) {
        const page = await browser.context.newPage();
        await page.setViewportSize({ width: REFLOW_WIDTH_PX, height: 800 });
        await page.emulateMedia({ reducedMotion: 'reduce' });
        await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForTimeout(300);
        const layout = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          // Elements past the right edge, or whose text overflows them, name the culprit when this fails.
          const past = (el: Element) => el.getBoundingClientRect().right > width + 1 || el.scrollWidth > el.clientWidth + 1;
          const wide = Array.from(document.querySelectorAll('body *')).filter((el) => past(el) && !Array.from(el.children).some(past));
          return {
            overflow: document.documentElement.scrollWidth - width,
            wide: wide.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className} "${el.textContent?.slice(0, 30) ?? ''}"`).join('; '),
            moving: document.getAnimations().length,
          };
        });
        expect.soft({ overflow: layout.overflow, moving: layout.moving }, `${path}: ${layout.wide}`).toEqual({ overflow: 0, moving: 0 });
        await page.close();
      }
      await wiki.emulateMedia({ reducedMotion: 'reduce' });
      const moving = await wiki.evaluate((host) => {
        const root = document.getElementById(host)?.shadowRoot;
        const elements = root ? Array.from(root.querySelectorAll('*')) : [];
        return {
          elements: elements.length,
          animated: elements.filter((el) => getComputedStyle(el).transitionDuration.split(',').some((d) => parseFloat(d) > 0) || el.getAnimations().length > 0).length,
        };
      }, OVERLAY_HOST_ID);
      expect(moving.elements).toBeGreaterThan(0);
      expect(moving.animated).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
