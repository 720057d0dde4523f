import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MediaWikiApiSession } from '../../scripts/wiki/api-session';
import { SEED_PASSWORD } from '../../scripts/wiki/content';
import { ADMIN_PASSWORD, ADMIN_USER } from '../../scripts/wiki/mediawiki';
import { launchWithExtension, type ExtensionBrowser } from './support/chromium';

/**
 * Public noticeboard delivery end to end: the real local MediaWiki 1.39, the e2e build in Chromium, a user
 * logged in to the wiki in that browser. Kalkan must use the browser's own wiki session (background fetch with
 * credentials), show the public confirmation and the duplicate check, and post exactly one section.
 */
const wikiUrl = inject('wikiUrl');
const wikiApiUrl = inject('wikiApiUrl');
const wikiProblem = inject('wikiProblem');

const DEMO_PAGE = 'Talk:Kalkan_demo';
const DELIVERY_TIMEOUT_MS = 60_000;
const BOARD = 'Project:Noticeboard';
const LOGGED_OUT_BOARD = 'Project:Noticeboard for logged-out tests';
const MARKER = /<!-- kalkan-report: ([0-9a-f-]{36}) -->/g;

interface BoardState {
  revid: number;
  user: string;
  text: string;
  revisions: number;
}

/** The page as the wiki has it (Node side, anonymous): an oracle independent of the extension. */
async function board(title: string): Promise<BoardState> {
  const url = new URL(wikiApiUrl);
  const params = { action: 'query', prop: 'revisions', titles: title, rvprop: 'ids|user|content', rvslots: 'main', format: 'json', formatversion: '2' };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const answer = (await (await fetch(url)).json()) as { query: { pages: Array<{ revisions: Array<{ revid: number; user: string; slots: { main: { content: string } } }> }> } };
  const latest = answer.query.pages[0]?.revisions[0];
  if (!latest) throw new Error(`${title} has no revision`);
  const history = new URL(wikiApiUrl);
  for (const [key, value] of Object.entries({ action: 'query', prop: 'revisions', titles: title, rvprop: 'ids', rvlimit: '50', format: 'json', formatversion: '2' })) history.searchParams.set(key, value);
  const revisions = ((await (await fetch(history)).json()) as { query: { pages: Array<{ revisions: unknown[] }> } }).query.pages[0]?.revisions.length ?? 0;
  return { revid: latest.revid, user: latest.user, text: latest.slots.main.content, revisions };
}

async function logIn(browser: ExtensionBrowser, user: string): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(`${wikiUrl}/w/index.php?title=Special:UserLogin`);
  await page.fill('#wpName1', user);
  await page.fill('#wpPassword1', SEED_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('#wpLoginAttempt')]);
  expect(await page.evaluate(() => (window as unknown as { mw?: { config: { get(key: string): unknown } } }).mw?.config.get('wgUserName'))).toBe(user);
  await page.close();
}

/** Adds a noticeboard destination for the local wiki through the options page, as a user would. */
async function addNoticeboard(browser: ExtensionBrowser, label: string, page: string): Promise<void> {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.getByTestId('destination-kind').selectOption('noticeboard');
  // Labelled PUBLIC before anything is added.
  await expect(options.getByTestId('destination-public-warning').innerText()).resolves.toMatch(/PUBLIC/);
  await options.getByTestId('destination-label').fill(label);
  await options.getByTestId('destination-scope').fill(`${wikiUrl}/w`);
  await options.getByTestId('destination-page').fill(page);
  await options.getByTestId('destination-add').click();
  await expect.poll(() => options.getByTestId('destinations-status').innerText()).toContain(label);
  await options.close();
}

async function reportBakyt(browser: ExtensionBrowser, label: string): Promise<Page> {
  const wiki = await browser.context.newPage();
  await wiki.goto(`${wikiUrl}/wiki/${DEMO_PAGE}`);
  const control = wiki.getByRole('button', { name: /^Report comment by Bakyt / });
  await control.waitFor({ timeout: 15_000 });
  const formOpened = browser.context.waitForEvent('page', { predicate: (page) => page.url().includes('/report.html'), timeout: 20_000 });
  await control.focus();
  await control.press('Enter');
  const form = await formOpened;
  await form.waitForLoadState('domcontentloaded');
  await expect.poll(() => form.getByTestId('evidence-item').count()).toBe(1);
  await form.getByLabel('Intimidation or aggression').check();
  await form.getByTestId('report-description').fill('Called me a stupid idiot in the merge discussion. ~~~~ {{delete}}');
  await form.getByRole('radio', { name: new RegExp(label) }).check();
  return form;
}

describe.skipIf(Boolean(wikiProblem))('reporting to a PUBLIC noticeboard on a real MediaWiki', () => {
  beforeAll(async () => {
    const admin = new MediaWikiApiSession(wikiApiUrl);
    await admin.login(ADMIN_USER, ADMIN_PASSWORD);
    await admin.edit(BOARD, { text: 'Report conduct problems here. Start a new section at the bottom.\n', summary: 'noticeboard for the Kalkan e2e test' });
    await admin.edit(LOGGED_OUT_BOARD, { text: 'Nothing may be posted here by a logged-out Kalkan.\n', summary: 'noticeboard for the Kalkan e2e test' });
  });
  afterAll(() => undefined);

  it('(1) logged in: public confirmation, duplicate check, exactly one section with the evidence and the marker; the next report sees it', async () => {
    const browser = await launchWithExtension();
    try {
      await logIn(browser, 'Aigerim');
      await addNoticeboard(browser, 'Local noticeboard', BOARD);
      const before = await board(BOARD);
      const form = await reportBakyt(browser, 'Local noticeboard');
      const started = Date.now();
      await form.getByTestId('report-submit').click();

      // The confirmation step: focus on its title, PUBLIC said plainly, who posts, the duplicate check, the preview.
      const confirm = form.getByTestId('noticeboard-confirm');
      await confirm.waitFor();
      await expect.poll(() => form.evaluate(() => document.activeElement?.closest('[data-testid="noticeboard-confirm"]') !== null && document.activeElement?.tagName)).toBe('H2');
      expect(await form.getByTestId('noticeboard-public-warning').innerText()).toMatch(/public wiki page.*including the reported user.*Bakyt.*account name/s);
      await expect.poll(() => form.getByTestId('noticeboard-posting-as').innerText().catch(() => ''), { timeout: 15_000 }).toContain('Aigerim');
      const checkMs = Date.now() - started;
      expect(await form.getByTestId('noticeboard-no-duplicate').innerText()).toContain('Bakyt');
      const preview = await form.getByTestId('noticeboard-preview-text').innerText();
      expect(preview).toMatch(/^<!-- kalkan-report: [0-9a-f-]{36} -->\n/);
      expect(preview).toContain('<nowiki>Called me a stupid idiot in the merge discussion. ~~~~ {{delete}}</nowiki>');
      expect(await form.getByTestId('noticeboard-preview-title').innerText()).toBe('Bakyt');
      // Nothing was posted by looking.
      expect((await board(BOARD)).revid).toBe(before.revid);

      // Keyboard only: the post button stays disabled until the checkbox is ticked.
      const post = form.getByTestId('noticeboard-post');
      expect(await post.isDisabled()).toBe(true);
      await form.getByTestId('noticeboard-understand').focus();
      await form.keyboard.press('Space');
      expect(await post.isDisabled()).toBe(false);
      await form.keyboard.press('Tab');
      expect(await form.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('noticeboard-post');
      const posting = Date.now();
      await form.keyboard.press('Enter');
      await expect.poll(() => form.getByTestId('report-status').getAttribute('data-state'), { timeout: DELIVERY_TIMEOUT_MS }).toBe('sent');
      const postMs = Date.now() - posting;
      const link = await form.getByTestId('report-receipt-link').getAttribute('href');

      const after = await board(BOARD);
      console.info(`[noticeboard e2e] check shown after ${checkMs} ms; posted and receipt shown ${postMs} ms after confirming`);
      expect(after.revisions).toBe(before.revisions + 1);
      expect(after.user).toBe('Aigerim');
      expect(link).toBe(`${wikiUrl}/w/index.php?title=Kalkan_Test_Wiki%3ANoticeboard&oldid=${after.revid}#Bakyt`);
      const markers = [...after.text.matchAll(MARKER)];
      expect(markers).toHaveLength(1);
      const added = after.text.slice(before.text.length);
      expect((added.match(/^== Bakyt ==$/gm) ?? []).length).toBe(1);
      // The evidence: the reported user's links, the diff that added the comment and its permanent link.
      expect(added).toContain('[[User:Bakyt|Bakyt]]');
      expect(added).toMatch(/\[http:\/\/localhost:\d+\/w\/index\.php\?diff=\d+&oldid=\d+ diff\]/);
      expect(added).toMatch(/\[http:\/\/localhost:\d+\/w\/index\.php\?title=Talk%3AKalkan_demo&oldid=\d+#\S+ permanent link\]/);
      expect(added).toContain('2026-04-01T10:05:00.000Z');
      // The user's text is inert, and the only signature is the user's own, expanded by the wiki.
      expect(added).toContain('<nowiki>Called me a stupid idiot in the merge discussion. ~~~~ {{delete}}</nowiki>');
      expect(added).toMatch(/\[\[User:Aigerim\|Aigerim\]\] \(\[\[User talk:Aigerim\|talk\]\]\) \d\d:\d\d, /);

      // A second report of the same user: the check finds the section just posted and links to it.
      const second = await reportBakyt(browser, 'Local noticeboard');
      await second.getByTestId('report-submit').click();
      const duplicate = second.getByTestId('noticeboard-duplicate');
      await duplicate.waitFor({ timeout: 15_000 });
      expect(await duplicate.innerText()).toMatch(/Already reported.*Bakyt/s);
      expect(await duplicate.getByRole('link').first().getAttribute('href')).toMatch(/title=Kalkan_Test_Wiki%3ANoticeboard#Bakyt$/);
      // Back: nothing posted, focus returns to the submit button.
      await second.getByTestId('noticeboard-cancel').click();
      await expect.poll(() => second.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('report-submit');
      // An emergency never goes to the noticeboard: its choice is disabled, and the earlier choice is refused.
      await second.getByLabel('A threat to hurt someone').check();
      expect(await second.getByRole('radio', { name: /Local noticeboard/ }).isDisabled()).toBe(true);
      await second.getByTestId('report-submit').click();
      await expect.poll(() => second.getByTestId('report-problems').innerText()).toMatch(/emergency is never posted on a public noticeboard/);
      expect(await second.getByTestId('noticeboard-confirm').count()).toBe(0);
      expect((await board(BOARD)).revid).toBe(after.revid);
    } finally {
      await browser.close();
    }
  });

  it('(2) logged out: the confirmation says to log in first and cannot be confirmed; a session lost before posting is refused; nothing is posted', async () => {
    const browser = await launchWithExtension();
    try {
      await addNoticeboard(browser, 'Logged-out board', LOGGED_OUT_BOARD);
      const before = await board(LOGGED_OUT_BOARD);
      const form = await reportBakyt(browser, 'Logged-out board');
      await form.getByTestId('report-submit').click();
      const login = form.getByTestId('noticeboard-login-required');
      await login.waitFor({ timeout: 15_000 });
      expect(await login.innerText()).toMatch(/not logged in to localhost:\d+.*Log in there first/s);
      expect(await login.getByRole('link').getAttribute('href')).toContain('title=Special%3AUserLogin');
      expect(await form.getByTestId('noticeboard-understand').isDisabled()).toBe(true);
      expect(await form.getByTestId('noticeboard-post').isDisabled()).toBe(true);

      // Logged in at the check, logged out (session gone) before the post: the background refuses, the draft stays.
      await logIn(browser, 'Dilnoza');
      await form.getByTestId('noticeboard-recheck').click();
      await expect.poll(() => form.getByTestId('noticeboard-posting-as').innerText().catch(() => ''), { timeout: 15_000 }).toContain('Dilnoza');
      await form.getByTestId('noticeboard-understand').check();
      await browser.context.clearCookies();
      await form.getByTestId('noticeboard-post').click();
      const failure = form.getByTestId('report-failure');
      await failure.waitFor({ timeout: DELIVERY_TIMEOUT_MS });
      expect(await failure.innerText()).toMatch(/not logged in to that wiki.*Log in there first/s);
      expect(await failure.getByTestId('report-failure-login').getAttribute('href')).toContain('title=Special%3AUserLogin');
      expect(await form.getByTestId('report-description').inputValue()).toContain('stupid idiot');
      expect(await form.getByTestId('evidence-item').count()).toBe(1);
      const after = await board(LOGGED_OUT_BOARD);
      expect(after.revid).toBe(before.revid);
      expect(after.text).not.toMatch(MARKER);
    } finally {
      await browser.close();
    }
  });
});
