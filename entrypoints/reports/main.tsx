import { render } from 'preact';
import browser from 'webextension-polyfill';
import '../../components/base.css';
import '../../components/report/report.css';
import { I18nContext } from '../../components/I18nContext';
import { ReportsPage } from '../../components/report/ReportsPage';
import { setupPageLanguage } from '../../utils/i18n/dom';
import { extensionPageLanguage } from '../../utils/i18n/page-language';
import { request } from '../../utils/messaging/client';
import { KalkanDb } from '../../utils/storage/db';
import { openStorageOrExplain } from '../../components/StorageGate';

/** Drafts, outbox and receipts: an extension page reading Kalkan's own database (never the wiki's storage). */
const send = (message: unknown) => browser.runtime.sendMessage(message);

function download(fileName: string, json: string): void {
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** ?wiki=<id> (from a report form) ties the page to that wiki's language; without it, the browser's. */
async function start() {
  const db = new KalkanDb();
  if (!(await openStorageOrExplain(db, document.getElementById('app'), browser.i18n.getUILanguage()))) return;
  const locale = await extensionPageLanguage(browser, db, new URLSearchParams(location.search).get('wiki'));
  const t = setupPageLanguage(document, locale);
  document.title = t('kalkan-reports-title');
  const app = document.getElementById('app');
  if (!app) return;
  render(
    <I18nContext.Provider value={t}>
      <ReportsPage
        db={db}
        locale={locale}
        openDraft={(id) => void browser.tabs.create({ url: browser.runtime.getURL(`/report.html?draft=${encodeURIComponent(id)}`) })}
        sendNow={async () => {
          await request(send, { type: 'report/send-now' });
        }}
        download={download}
      />
    </I18nContext.Provider>,
    app,
  );
}

start().catch((error: unknown) => console.error('[kalkan] the reports page could not start:', error));
