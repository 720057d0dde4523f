import { render } from 'preact';
import browser from 'webextension-polyfill';
import '../../components/base.css';
import '../../components/report/report.css';
import { I18nContext } from '../../components/I18nContext';
import { ReportsPage } from '../../components/report/ReportsPage';
import { setupPageLanguage } from '../../utils/i18n/dom';
import { request } from '../../utils/messaging/client';
import { KalkanDb } from '../../utils/storage/db';

/** Drafts, outbox and receipts: an extension page reading Kalkan's own database (never the wiki's storage). */
const send = (message: unknown) => browser.runtime.sendMessage(message);
const locale = browser.i18n.getUILanguage() || 'en';
const t = setupPageLanguage(document, locale);
document.title = t('kalkan-reports-title');

function download(fileName: string, json: string): void {
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const app = document.getElementById('app');
if (app) {
  render(
    <I18nContext.Provider value={t}>
      <ReportsPage
        db={new KalkanDb()}
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
