import { render } from 'preact';
import browser, { type Runtime } from 'webextension-polyfill';
import '../../components/base.css';
import '../../components/report/report.css';
import { I18nContext } from '../../components/I18nContext';
import { ReportForm } from '../../components/report/ReportForm';
import { setupPageLanguage } from '../../utils/i18n/dom';
import { extensionPageLanguage } from '../../utils/i18n/page-language';
import { getDraft } from '../../utils/storage/repository';
import { request } from '../../utils/messaging/client';
import { KalkanDb } from '../../utils/storage/db';
import { openStorageOrExplain } from '../../components/StorageGate';
import { FormPingSchema } from '../../utils/messaging/report-form';

/**
 * The report form: an extension page, so what the user types stays in the extension's origin (the wiki page and
 * its scripts cannot see it). ?draft=<uuid> names the draft; the background opens it after a "Report" click.
 */
const send = (message: unknown) => browser.runtime.sendMessage(message);
const draftId = new URLSearchParams(location.search).get('draft') ?? '';
const db = new KalkanDb();

const listeners = new Set<() => void>();
// The background asks whether this draft is open (to focus this tab rather than open another one).
browser.runtime.onMessage.addListener((message: unknown, _sender: Runtime.MessageSender) => {
  const ping = FormPingSchema.safeParse(message);
  if (!ping.success || ping.data.draftId !== draftId) return undefined;
  for (const listener of listeners) listener();
  return browser.tabs.getCurrent().then((tab) => (tab?.id !== undefined ? { tabId: tab.id, windowId: tab.windowId ?? -1 } : undefined));
});

/** The form speaks the language of the wiki its draft is about (see utils/i18n/resolve.ts). */
async function start() {
  if (!(await openStorageOrExplain(db, document.getElementById('app'), browser.i18n.getUILanguage()))) return;
  const wikiId = draftId ? (await getDraft(db, draftId).catch(() => null))?.wikiId ?? null : null;
  const locale = await extensionPageLanguage(browser, db, wikiId);
  const t = setupPageLanguage(document, locale);
  document.title = t('kalkan-report-title');
  const app = document.getElementById('app');
  if (!app) return;
  render(
    <I18nContext.Provider value={t}>
      <ReportForm
        db={db}
        draftId={draftId}
        locale={locale}
        sendNow={async () => {
          await request(send, { type: 'report/send-now' });
        }}
        openOptions={() => void browser.runtime.openOptionsPage()}
        openReports={() => void browser.tabs.create({ url: browser.runtime.getURL(wikiId ? `/reports.html?wiki=${encodeURIComponent(wikiId)}` : '/reports.html') })}
        checkNoticeboard={(destination, users) => request(send, { type: 'report/noticeboard-check', destination, users })}
        subscribe={(onChange) => {
          listeners.add(onChange);
          return () => listeners.delete(onChange);
        }}
      />
    </I18nContext.Provider>,
    app,
  );
}

start().catch((error: unknown) => console.error('[kalkan] the report form could not start:', error));
