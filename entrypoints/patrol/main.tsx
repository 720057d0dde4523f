import { render } from 'preact';
import browser from 'webextension-polyfill';
import '../../components/base.css';
import '../../components/patrol/patrol.css';
import { I18nContext } from '../../components/I18nContext';
import { formatUtc } from '../../components/patrol/format';
import { PatrolView, type PairRef } from '../../components/patrol/PatrolView';
import { setupPageLanguage } from '../../utils/i18n/dom';
import { createTranslator, type Translate } from '../../utils/i18n';
import { extensionPageLanguage } from '../../utils/i18n/page-language';
import { findAddingRevision, HistorySearchError } from '../../utils/reports/history';
import type { OriginRevision } from '../../utils/reports/schema';
import { KalkanDb } from '../../utils/storage/db';
import { openStorageOrExplain } from '../../components/StorageGate';
import { listInteractions, wipeInteractions } from '../../utils/storage/interactions';
import { getSetting, saveDraft, saveSetting } from '../../utils/storage/repository';
import type { ApiFetch } from '../../utils/targeting/contribs';
import type { PairSummary, TimelineEntry } from '../../utils/targeting/rank';
import { draftFromTimeline } from '../../utils/targeting/report-draft';

/**
 * The patroller view (extension page): reads the interaction log straight from the extension's database (it is
 * private data; no wiki page can reach it), fetches public contributions anonymously for the API timeline, and
 * turns a pair's timeline into a report draft that the report form opens.
 */

/** Set by mount() from the wiki the page is about (the #wiki= of the pair), else the browser's language. */
let locale = 'en';
let t: Translate = createTranslator(locale);
const db = new KalkanDb();
/** Report form page (owned by reporting), opened on the new draft. */
const REPORT_PAGE = '/report.html';

function pairFromHash(hash: string): PairRef | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const wikiId = params.get('wiki');
  const from = params.get('from');
  const to = params.get('to');
  return wikiId && from && to ? { wikiId, from, to } : null;
}

/** Public API reads without the user's cookies: the wiki must not learn who is looking into whom. */
const anonymousFetch: ApiFetch = (url, init) => fetch(url, { ...init, credentials: 'omit' });

async function origins(entries: TimelineEntry[]): Promise<Map<string, OriginRevision | null>> {
  const out = new Map<string, OriginRevision | null>();
  for (const e of entries) {
    const r = e.record;
    try {
      out.set(e.commentId, await findAddingRevision({
        apiUrl: `${r.server}${r.scriptPath}/api.php`, title: r.pageTitle, author: r.from,
        timestamp: new Date(r.utcMs).toISOString(), fetchFn: (input, init) => fetch(input, { ...init, credentials: 'omit' }),
      }));
    } catch (error) {
      // The draft is still useful without the diff (the permalink shows the comment); say why it is missing.
      if (!(error instanceof HistorySearchError || error instanceof TypeError)) throw error;
      console.warn('[kalkan] could not find the revision that added', e.commentId, error.message);
      out.set(e.commentId, null);
    }
  }
  return out;
}

async function addToReport(pair: PairSummary, entries: TimelineEntry[]) {
  const first = entries[0];
  const last = entries[entries.length - 1];
  const description = first && last
    ? t('kalkan-patrol-report-description', pair.from, pair.to, entries.length, new Set(entries.map((e) => e.pageTitle)).size, formatUtc(locale, first.utcMs), formatUtc(locale, last.utcMs))
    : '';
  const { draft, skipped } = await draftFromTimeline({ id: crypto.randomUUID(), entries, now: Date.now(), description, origins: await origins(entries) });
  await saveDraft(db, draft);
  await browser.tabs.create({ url: browser.runtime.getURL(`${REPORT_PAGE}?draft=${draft.id}`) });
  return { draftId: draft.id, added: draft.evidence.length, skipped };
}

async function mount() {
  if (!(await openStorageOrExplain(db, document.getElementById('app'), browser.i18n.getUILanguage()))) return;
  locale = await extensionPageLanguage(browser, db, pairFromHash(location.hash)?.wikiId ?? null);
  t = setupPageLanguage(document, locale);
  document.title = t('kalkan-patrol-title');
  const app = document.getElementById('app');
  if (!app) return;
  render(
    <I18nContext.Provider value={t}>
      <PatrolView
        key={location.hash}
        loadLog={() => listInteractions(db)}
        wipe={(wikiId) => wipeInteractions(db, wikiId ?? undefined)}
        addToReport={addToReport}
        fetchFn={anonymousFetch}
        locale={locale}
        initialPair={pairFromHash(location.hash)}
        now={() => Date.now()}
        confirm={(message) => window.confirm(message)}
        settings={{ load: () => getSetting(db, 'targeting'), save: (value) => saveSetting(db, 'targeting', value) }}
      />
    </I18nContext.Provider>,
    app,
  );
}

const start = () => mount().catch((error: unknown) => console.error('[kalkan] the patroller view could not start:', error));
window.addEventListener('hashchange', () => void start());
void start();
