import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BidiSession, FIREFOX_E2E_EXTENSION_DIR, firefoxPath } from './support/firefox';

const wikiUrl = inject('wikiUrl');
const wikiProblem = inject('wikiProblem');
const firefoxProblem = firefoxPath() ? '' : 'firefox-esr is not installed (apt-get install -y firefox-esr)';
const buildProblem = existsSync(join(FIREFOX_E2E_EXTENSION_DIR, 'manifest.json')) ? '' : `no Firefox e2e build at ${FIREFOX_E2E_EXTENSION_DIR}`;

describe.skipIf(Boolean(wikiProblem || firefoxProblem || buildProblem))('Firefox ESR smoke (WebDriver BiDi)', () => {
  let firefox: BidiSession;
  beforeAll(async () => {
    firefox = await BidiSession.launch();
    await firefox.send('webExtension.install', { extensionData: { type: 'path', path: FIREFOX_E2E_EXTENSION_DIR } });
  });
  afterAll(async () => {
    await firefox?.close();
  });

  it('the content script runs on a real MediaWiki talk page after the background answered it', async () => {
    const context = await firefox.topContext();
    await firefox.send('browsingContext.navigate', { context, url: `${wikiUrl}/wiki/Talk:Kalkan_demo`, wait: 'complete' });
    // The overlay host appears only after the background sent the wiki profile back (page/hello).
    let present = false;
    for (let attempt = 0; attempt < 50 && !present; attempt += 1) {
      present = (await firefox.evaluate(context, "document.getElementById('kalkan-overlay') !== null")) === true;
      if (!present) await new Promise((done) => setTimeout(done, 200));
    }
    expect(present).toBe(true);
    // Nothing private is put into the page's own storage.
    expect(await firefox.evaluate(context, 'localStorage.length + sessionStorage.length')).toBe(0);
  });
});
