/**
 * `npm run demo [-- --headless]`: builds Kalkan, starts the local MediaWiki (seeded with demo talk pages) and the
 * reference report receiver, and opens Debian's Chromium with Kalkan loaded on a seeded talk page.
 * With --headless (or without a display) the same tour runs without a screen and saves screenshots.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchWithExtension } from '../tests/e2e/support/chromium';
import { startReceiver } from './receiver/server';
import { mediaWikiAvailable, startWiki } from './wiki/mediawiki';
import { seedWiki } from './wiki/seed';

export const DEMO_WIKI_PORT = 8890;
export const DEMO_RECEIVER_PORT = 8891;

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
  const workDir = resolve('.tmp/demo');
  mkdirSync(workDir, { recursive: true });
  console.log('Starting the local MediaWiki…');
  const wiki = await startWiki({ port: DEMO_WIKI_PORT, dir: join(workDir, 'wiki') });
  await seedWiki(wiki);
  const receiver = await startReceiver({ port: DEMO_RECEIVER_PORT, dbFile: join(workDir, 'reports.sqlite') });
  console.log(`Wiki: ${wiki.url}/wiki/Talk:Kalkan_demo   Report receiver: ${receiver.url}`);

  const browser = await launchWithExtension(headless ? {} : { headful: true });
  const shots: string[] = [];
  const shot = async (page: import('playwright-core').Page, name: string) => {
    const file = join(workDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: false });
    shots.push(file);
  };
  try {
    const talk = await browser.context.newPage();
    await talk.goto(`${wiki.url}/wiki/Talk:Kalkan_demo`);
    await talk.waitForTimeout(1500);
    await shot(talk, '1-talk-page');
    const tabId = await browser.worker.evaluate(async (url: string) => (await chrome.tabs.query({ url: `${url}/*` }))[0]?.id ?? -1, wiki.url);
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 400, height: 300 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
    await popup.waitForTimeout(500);
    await shot(popup, '2-popup');
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await shot(options, '3-options');
    await talk.bringToFront();
    console.log(`Screenshots:\n  ${shots.join('\n  ')}`);
    if (!headless) {
      console.log('Kalkan is loaded in Chromium. Close the browser window (or press Ctrl+C) to end the demo.');
      await new Promise<void>((done) => {
        browser.context.on('close', () => done());
        process.once('SIGINT', () => done());
      });
    }
  } finally {
    await browser.close().catch((error: unknown) => console.error('demo: closing the browser failed:', error));
    await receiver.close();
    await wiki.stop();
  }
  return 0;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error('demo:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
