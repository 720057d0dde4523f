/**
 * `npm run demo [-- --headless]`: builds Kalkan, starts the local MediaWiki (seeded with demo talk pages) and the
 * reference report receiver, and opens Debian's Chromium with Kalkan loaded on a seeded talk page.
 * With --headless (or without a display) the same tour runs without a screen and saves screenshots.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchWithExtension } from '../tests/e2e/support/chromium';
import { startReceiver } from './receiver/server';
import { mediaWikiAvailable, startWiki } from './wiki/mediawiki';
import { SEED_PASSWORD, seedPages } from './wiki/content';
import { seedWiki } from './wiki/seed';

export const DEMO_WIKI_PORT = Number(process.env.KALKAN_DEMO_WIKI_PORT ?? 8890);
export const DEMO_RECEIVER_PORT = Number(process.env.KALKAN_DEMO_RECEIVER_PORT ?? 8891);
const DEMO_PAGE = 'Talk:Kalkan_demo';
const DEMO_DESTINATION = 'Demo safety team (local receiver)';
/** How long one step of the tour may take before it counts as failed. */
const STEP_TIMEOUT_MS = 30_000;
/** Time for the page's capabilities to draw after load, before a screenshot. */
const SETTLE_MS = 1_500;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { headless: { type: 'boolean', default: false }, 'no-build': { type: 'boolean', default: false } } });
  const headless = values.headless || !process.env.DISPLAY;
  const problem = mediaWikiAvailable();
  if (problem) {
    console.error(`demo: ${problem}`);
    return 2;
  }
  if (!values['no-build']) {
    console.log('Building Kalkan (the demo build may also run on localhost)…');
    const build = spawnSync('npx', ['wxt', 'build', '-b', 'chrome'], { stdio: 'inherit', env: { ...process.env, KALKAN_E2E: '1' } });
    if (build.status !== 0) return build.status ?? 1;
  }
  const workDir = resolve(process.env.KALKAN_DEMO_DIR ?? '.tmp/demo');
  mkdirSync(workDir, { recursive: true });
  console.log('Starting the local MediaWiki…');
  const wiki = await startWiki({ port: DEMO_WIKI_PORT, dir: join(workDir, 'wiki') });
  await seedWiki(wiki);
  const receiver = await startReceiver({ port: DEMO_RECEIVER_PORT, dbFile: join(workDir, 'reports.sqlite') });
  console.log(`Wiki: ${wiki.url}/wiki/Talk:Kalkan_demo   Report receiver: ${receiver.url}`);

  let exitCode = 1;
  const browser = await launchWithExtension(headless ? {} : { headful: true });
  const shots: string[] = [];
  const failures: string[] = [];
  const shot = async (page: Page, name: string) => {
    const file = join(workDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: false });
    shots.push(file);
  };
  // Each stop of the tour is independent: one that fails is reported and the tour goes on.
  const stop = async (name: string, run: () => Promise<void>) => {
    try {
      await run();
      console.log(`  ✓ ${name}`);
    } catch (error) {
      failures.push(name);
      console.error(`  ✗ ${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  };
  const extensionPage = (path: string) => `chrome-extension://${browser.extensionId}/${path}`;
  try {
    const talk = await browser.context.newPage();
    console.log('The tour:');
    await stop('talk page: report controls and highlighted abuse', async () => {
      await talk.goto(`${wiki.url}/wiki/${DEMO_PAGE}`);
      await talk.getByRole('button', { name: /^Report comment by Bakyt / }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await talk.waitForTimeout(SETTLE_MS);
      await shot(talk, '1-talk-page');
    });
    await stop('popup: what Kalkan found on the page', async () => {
      const tabId = await browser.worker.evaluate(async (url: string) => (await chrome.tabs.query({ url: `${url}/*` }))[0]?.id ?? -1, wiki.url);
      const popup = await browser.context.newPage();
      await popup.setViewportSize({ width: 400, height: 360 });
      await popup.goto(extensionPage(`popup.html?tab=${tabId}`));
      await popup.waitForTimeout(SETTLE_MS);
      await shot(popup, '2-popup');
      await popup.close();
    });
    await stop('settings: the local receiver as the private report destination', async () => {
      const options = await browser.context.newPage();
      await options.goto(extensionPage('options.html'));
      await options.getByTestId('destination-kind').selectOption('endpoint');
      await options.getByTestId('destination-label').fill(DEMO_DESTINATION);
      await options.getByTestId('destination-url').fill(receiver.url);
      await options.getByTestId('destination-add').click();
      await options.getByTestId('destinations-status').getByText(DEMO_DESTINATION).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await shot(options, '3-options');
      await options.close();
    });
    await stop('one-click report of the abusive comment, delivered to the receiver', async () => {
      const formOpened = browser.context.waitForEvent('page', { predicate: (page) => page.url().includes('/report.html'), timeout: STEP_TIMEOUT_MS });
      await talk.bringToFront();
      const control = talk.getByRole('button', { name: /^Report comment by Bakyt / });
      await control.focus();
      await control.press('Enter');
      const form = await formOpened;
      await form.getByTestId('evidence-list').waitFor({ timeout: STEP_TIMEOUT_MS });
      await form.getByLabel('Intimidation or aggression').check();
      await form.getByTestId('report-description').fill('Personal attack in the merge discussion (demo).');
      await shot(form, '4-report-form');
      await form.getByTestId('report-submit').click();
      await form.locator('[data-testid="report-status"][data-state="sent"]').waitFor({ timeout: STEP_TIMEOUT_MS });
      await shot(form, '5-report-sent');
      console.log(`    the receiver now holds ${receiver.store.list().length} report(s)`);
    });
    await stop('masking: a phone number held at save', async () => {
      const edit = await browser.context.newPage();
      await edit.goto(`${wiki.url}/w/index.php?title=Special:UserLogin`);
      await edit.locator('#wpName1').fill('Aigerim');
      await edit.locator('#wpPassword1').fill(SEED_PASSWORD);
      await Promise.all([edit.waitForNavigation(), edit.locator('#wpLoginAttempt').click()]);
      await edit.goto(`${wiki.url}/w/index.php?title=${DEMO_PAGE}&action=edit&section=new`);
      await edit.locator('#wpSummary').fill('Contact');
      await edit.locator('#wpTextbox1').fill('Call me on 0555 123 456 after six. ~~~~');
      await edit.getByTestId('masking-badge').waitFor({ timeout: STEP_TIMEOUT_MS });
      await edit.locator('#wpSave').click();
      await edit.getByTestId('masking-dialog').waitFor({ timeout: STEP_TIMEOUT_MS });
      await shot(edit, '6-masking-dialog');
      await edit.close();
    });
    await stop('patroller view: who keeps going after whom', async () => {
      // Visiting the seeded talk pages fills the local interaction log.
      for (const { title } of seedPages().filter((page) => page.title.startsWith('Talk:'))) {
        await talk.goto(`${wiki.url}/wiki/${encodeURIComponent(title.replace(/ /g, '_'))}`);
        await talk.waitForTimeout(SETTLE_MS);
      }
      const patrol = await browser.context.newPage();
      await patrol.goto(extensionPage('patrol.html'));
      await patrol.getByTestId('patrol-pair-row').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await shot(patrol, '7-patroller-view');
    });
    await talk.goto(`${wiki.url}/wiki/${DEMO_PAGE}`);
    await talk.bringToFront();
    console.log(`Screenshots:\n  ${shots.join('\n  ')}`);
    if (failures.length) console.error(`The tour had ${failures.length} failing stop(s): ${failures.join('; ')}`);
    if (!headless) {
      console.log('Kalkan is loaded in Chromium (the local receiver is set up as a destination). Close the browser window (or press Ctrl+C) to end the demo.');
      await new Promise<void>((done) => {
        browser.context.on('close', () => done());
        process.once('SIGINT', () => done());
      });
    }
    exitCode = failures.length ? 1 : 0;
  } finally {
    await browser.close().catch((error: unknown) => console.error('demo: closing the browser failed:', error));
    await receiver.close();
    await wiki.stop();
  }
  return exitCode;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error('demo:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
