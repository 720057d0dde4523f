import { render } from 'preact';
import browser from 'webextension-polyfill';
import '../../components/base.css';
import { I18nContext } from '../../components/I18nContext';
import { Popup } from '../../components/Popup';
import { ScreenshotSafeButton } from '../../components/ScreenshotSafeButton';
import { screenshotSafeProps } from './screenshot-props';
import { request } from '../../utils/messaging/client';
import { setupPageLanguage } from '../../utils/i18n/dom';
import { extensionPageLanguage } from '../../utils/i18n/page-language';
import { KalkanDb } from '../../utils/storage/db';

const send = (message: unknown) => browser.runtime.sendMessage(message);

/** The popup summarises the active tab; ?tab=N names one explicitly (used by tests and the demo). */
async function loadSummary() {
  const named = Number(new URLSearchParams(location.search).get('tab'));
  const tabId = Number.isInteger(named) && named > 0 ? named : (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  if (tabId === undefined) return null;
  const [{ summary }, { record }] = await Promise.all([
    request(send, { type: 'tab/summary', tabId }),
    request(send, { type: 'highlight/tab-flagged', tabId }),
  ]);
  // The flagged count is reported separately by the highlighting; it belongs to the summary of the same page.
  const same = summary && record && record.flagged !== null && record.wikiId === summary.wikiId && record.title === summary.title;
  return summary && same ? { ...summary, flagged: record.flagged ?? undefined } : summary;
}

/** The tab the popup acts on: ?tab=N (tests, demo) or the active tab. */
async function popupTabId(): Promise<number | undefined> {
  const named = Number(new URLSearchParams(location.search).get('tab'));
  return Number.isInteger(named) && named > 0 ? named : (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
}

async function start() {
  // The popup is not about one wiki page's language: it follows the browser (or the user's override).
  const t = setupPageLanguage(document, await extensionPageLanguage(browser, new KalkanDb(), null));
  const app = document.getElementById('app');
  if (!app) return;
  render(
    <I18nContext.Provider value={t}>
      <Popup loadSummary={loadSummary} openOptions={() => void browser.runtime.openOptionsPage()} />
      <ScreenshotSafeButton {...screenshotSafeProps(popupTabId)} />
    </I18nContext.Provider>,
    app,
  );
}

start().catch((error: unknown) => console.error('[kalkan] the popup could not start:', error));
