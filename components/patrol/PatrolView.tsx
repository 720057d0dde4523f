import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiFetch } from '../../utils/targeting/contribs';
import { FLAGGED_ANY, pairTimeline, rankPairs, userSummary, type PairFilter, type PairSummary, type TimelineEntry, type UserCount } from '../../utils/targeting/rank';
import type { InteractionRecord } from '../../utils/targeting/schema';
import { useT } from '../I18nContext';
import { ApiTimeline } from './ApiTimeline';
import { TargetingSettings, type TargetingSettingsProps } from './TargetingSettings';
import { formatNumber, formatUtc } from './format';
import { isolate } from '../../utils/i18n/bidi';

/** Pairs rendered at first; more on request (a long list costs render time and says little more). */
export const PAIRS_SHOWN = 50;
/** Window choices in days (0: everything in the log). */
export const WINDOW_DAYS = [7, 30, 90, 365, 0] as const;
const DAY_MS = 24 * 60 * 60_000;
/** Performance marks around the first render of the log (read by scripts/bench-targeting.ts). */
export const PATROL_LOAD_MARK = 'kalkan:patrol-load';
export const PATROL_RENDERED_MARK = 'kalkan:patrol-rendered';
export const PATROL_MEASURE = 'kalkan:patrol-first-render';
/** Part of PATROL_MEASURE spent reading and validating the log (the rest is ranking and rendering). */
export const PATROL_READ_MEASURE = 'kalkan:patrol-read';

export interface PairRef {
  wikiId: string;
  from: string;
  to: string;
}

export interface PatrolViewProps {
  loadLog(): Promise<InteractionRecord[]>;
  wipe(wikiId: string | null): Promise<number>;
  addToReport(pair: PairSummary, entries: TimelineEntry[]): Promise<{ draftId: string; added: number; skipped: number }>;
  fetchFn: ApiFetch;
  locale: string;
  initialPair: PairRef | null;
  now: () => number;
  confirm: (message: string) => boolean;
  settings: TargetingSettingsProps;
}

type Notice = { kind: 'ok' | 'error'; text: string } | null;

const pairKey = (p: PairRef) => `${p.wikiId}\u001f${p.from}\u001f${p.to}`;

export function PatrolView(props: PatrolViewProps) {
  const t = useT();
  const [records, setRecords] = useState<InteractionRecord[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [wikiId, setWikiId] = useState<string>(props.initialPair?.wikiId ?? '');
  const [windowDays, setWindowDays] = useState<number>(0);
  const [category, setCategory] = useState<string>('');
  const [selected, setSelected] = useState<PairRef | null>(props.initialPair);
  const [shown, setShown] = useState(PAIRS_SHOWN);
  const [notice, setNotice] = useState<Notice>(null);

  const reload = () => props.loadLog().then((log) => {
    if (!performance.getEntriesByName(PATROL_READ_MEASURE).length) performance.measure(PATROL_READ_MEASURE, PATROL_LOAD_MARK);
    setRecords(log);
  }, (error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)));
  useEffect(() => {
    performance.mark(PATROL_LOAD_MARK);
    void reload();
  }, []);
  useEffect(() => {
    // Runs after the ranked table is in the DOM: database read + validation + ranking + render.
    if (records && !performance.getEntriesByName(PATROL_MEASURE).length) {
      performance.mark(PATROL_RENDERED_MARK);
      performance.measure(PATROL_MEASURE, PATROL_LOAD_MARK, PATROL_RENDERED_MARK);
    }
  }, [records]);

  const log = records ?? [];
  const wikis = useMemo(() => [...new Set(log.map((r) => r.wikiId))].sort(), [records]);
  const categories = useMemo(() => [...new Set(log.flatMap((r) => (r.flag?.category ? [r.flag.category] : [])))].sort(), [records]);
  const anyAssessed = useMemo(() => log.some((r) => r.flag !== null), [records]);
  const filter: PairFilter = { wikiId: wikiId || null, sinceMs: windowDays ? props.now() - windowDays * DAY_MS : null, category: category || null };
  const pairs = useMemo(() => rankPairs(log, filter), [records, wikiId, windowDays, category]);

  if (loadError) return <p role="alert" class="kalkan-patrol-warning">{t('kalkan-patrol-load-error', loadError)}</p>;
  if (!records) return <p role="status">{t('kalkan-patrol-loading')}</p>;

  async function wipe() {
    const message = wikiId ? t('kalkan-patrol-wipe-confirm-wiki', wikiId) : t('kalkan-patrol-wipe-confirm-all');
    if (!props.confirm(message)) return;
    const count = await props.wipe(wikiId || null);
    setSelected(null);
    setNotice({ kind: 'ok', text: t('kalkan-patrol-wiped', count) });
    await reload();
  }

  return (
    <main class="kalkan-patrol">
      <h1>{t('kalkan-patrol-title')}</h1>
      <p class="kalkan-patrol-hint">{t('kalkan-patrol-intro')}</p>
      <form class="kalkan-patrol-filters" onSubmit={(e) => e.preventDefault()} aria-label={t('kalkan-patrol-filters')}>
        <label>
          {t('kalkan-patrol-filter-wiki')}
          <select value={wikiId} onChange={(e) => setWikiId((e.target as HTMLSelectElement).value)} data-testid="patrol-filter-wiki">
            <option value="">{t('kalkan-patrol-filter-wiki-all')}</option>
            {wikis.map((w) => <option key={w} value={w}>{w}</option>)}
          </select>
        </label>
        <label>
          {t('kalkan-patrol-filter-window')}
          <select value={String(windowDays)} onChange={(e) => setWindowDays(Number((e.target as HTMLSelectElement).value))} data-testid="patrol-filter-window">
            {WINDOW_DAYS.map((d) => <option key={d} value={String(d)}>{d ? t('kalkan-patrol-filter-window-days', d) : t('kalkan-patrol-filter-window-all')}</option>)}
          </select>
        </label>
        <label>
          {t('kalkan-patrol-filter-category')}
          <select value={category} onChange={(e) => setCategory((e.target as HTMLSelectElement).value)} data-testid="patrol-filter-category">
            <option value="">{t('kalkan-patrol-filter-category-all')}</option>
            <option value={FLAGGED_ANY}>{t('kalkan-patrol-filter-category-flagged')}</option>
            {categories.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => void wipe()} data-testid="patrol-wipe">{wikiId ? t('kalkan-patrol-wipe-wiki') : t('kalkan-patrol-wipe-all')}</button>
      </form>
      {!anyAssessed && log.length ? <p class="kalkan-patrol-hint" data-testid="patrol-unassessed">{t('kalkan-patrol-unassessed')}</p> : null}
      {notice ? <p role={notice.kind === 'error' ? 'alert' : 'status'} class={notice.kind === 'error' ? 'kalkan-patrol-warning' : ''} data-testid="patrol-notice">{notice.text}</p> : null}

      <section aria-labelledby="kalkan-patrol-pairs-heading">
        <h2 id="kalkan-patrol-pairs-heading">{t('kalkan-patrol-pairs-heading')}</h2>
        {pairs.length === 0 ? <p>{log.length ? t('kalkan-patrol-pairs-none-filtered') : t('kalkan-patrol-pairs-empty')}</p> : (
          // A data table may scroll sideways on a narrow screen (WCAG 1.4.10 exception), the page must not: the
          // scrolling box is a named group that takes focus, so keyboard users can scroll it too.
          <div class="kalkan-patrol-scroll" role="group" aria-labelledby="kalkan-patrol-pairs-heading" tabIndex={0}>
          <table class="kalkan-patrol-table" data-testid="patrol-pairs">
            <thead>
              <tr>
                <th scope="col">{t('kalkan-patrol-col-pair')}</th>
                <th scope="col">{t('kalkan-patrol-col-comments')}</th>
                <th scope="col">{t('kalkan-patrol-col-flagged')}</th>
                <th scope="col">{t('kalkan-patrol-col-pages')}</th>
                <th scope="col">{t('kalkan-patrol-col-last')}</th>
                {wikiId ? null : <th scope="col">{t('kalkan-patrol-col-wiki')}</th>}
              </tr>
            </thead>
            <tbody>
              {pairs.slice(0, shown).map((p) => {
                const isSelected = selected !== null && pairKey(selected) === pairKey(p);
                return (
                  <tr key={pairKey(p)} data-testid="patrol-pair-row" data-from={p.from} data-to={p.to} aria-current={isSelected ? 'true' : undefined}>
                    <th scope="row">
                      <button type="button" class="kalkan-patrol-link" onClick={() => setSelected({ wikiId: p.wikiId, from: p.from, to: p.to })} title={t('kalkan-patrol-open-pair', isolate(p.from), isolate(p.to))}>
                        <bdi>{p.from}</bdi> → <bdi>{p.to}</bdi>
                      </button>
                    </th>
                    <td>{formatNumber(props.locale, p.count)}</td>
                    <td>{formatNumber(props.locale, p.flagged)}</td>
                    <td>{formatNumber(props.locale, p.pages)}</td>
                    <td>{formatUtc(props.locale, p.lastMs)}</td>
                    {wikiId ? null : <td>{p.wikiId}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
          </div>
        )}
        {pairs.length > shown ? <button type="button" onClick={() => setShown(shown + PAIRS_SHOWN)}>{t('kalkan-patrol-more', pairs.length - shown)}</button> : null}
      </section>

      {selected ? (
        <PairDetail
          key={pairKey(selected)}
          pair={selected}
          summary={pairs.find((p) => pairKey(p) === pairKey(selected)) ?? rankPairs(log, { wikiId: selected.wikiId }).find((p) => p.from === selected.from && p.to === selected.to) ?? null}
          records={log}
          filter={filter}
          locale={props.locale}
          addToReport={props.addToReport}
        />
      ) : null}

      <ApiTimeline
        wikis={wikis}
        initialWiki={selected?.wikiId ?? (wikiId || null)}
        initialUsers={selected ? [selected.from, selected.to] : []}
        fetchFn={props.fetchFn}
        locale={props.locale}
      />
      <TargetingSettings load={props.settings.load} save={props.settings.save} />
    </main>
  );
}

function Counts({ list }: { list: UserCount[] }) {
  const t = useT();
  if (!list.length) return <span>{t('kalkan-patrol-nobody')}</span>;
  return (
    <ul class="kalkan-patrol-inline-list">
      {list.map((u) => <li key={u.user}><bdi>{u.user}</bdi> ({u.flagged ? t('kalkan-patrol-count-flagged', u.count, u.flagged) : u.count})</li>)}
    </ul>
  );
}

interface PairDetailProps {
  pair: PairRef;
  summary: PairSummary | null;
  records: InteractionRecord[];
  filter: PairFilter;
  locale: string;
  addToReport: PatrolViewProps['addToReport'];
}

function PairDetail({ pair, summary, records, filter, locale, addToReport }: PairDetailProps) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Notice>(null);
  // The pair view shows the whole log for the pair on its wiki; the window and category filters still apply.
  const entries = useMemo(() => pairTimeline(records, pair.wikiId, pair.from, pair.to, { ...filter, wikiId: pair.wikiId }), [records, pair, filter.sinceMs, filter.category]);
  const fromSummary = useMemo(() => userSummary(records, pair.wikiId, pair.from, filter), [records, pair]);
  const toSummary = useMemo(() => userSummary(records, pair.wikiId, pair.to, filter), [records, pair]);

  async function add() {
    if (!summary) return;
    setBusy(true);
    try {
      const done = await addToReport(summary, entries);
      setResult({ kind: 'ok', text: done.skipped ? t('kalkan-patrol-report-added-skipped', done.added, done.skipped) : t('kalkan-patrol-report-added', done.added) });
    } catch (error) {
      setResult({ kind: 'error', text: t('kalkan-patrol-report-failed', error instanceof Error ? error.message : String(error)) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="kalkan-patrol-pair" aria-labelledby="kalkan-patrol-pair-heading" data-testid="patrol-pair-detail">
      <h2 id="kalkan-patrol-pair-heading"><bdi>{pair.from}</bdi> → <bdi>{pair.to}</bdi></h2>
      <p class="kalkan-patrol-hint">{pair.wikiId}</p>
      {entries.length === 0 ? <p>{t('kalkan-patrol-pair-empty')}</p> : (
        <ol class="kalkan-patrol-timeline" data-testid="patrol-timeline">
          {entries.map((e) => (
            <li key={e.commentId} data-testid="patrol-timeline-entry" data-comment-id={e.commentId}>
              <span class="kalkan-patrol-time">{formatUtc(locale, e.utcMs)}</span>{' '}
              <a href={e.permalink} target="_blank" rel="noopener noreferrer"><bdi>{e.pageTitle}</bdi></a>{' '}
              <span class="kalkan-patrol-kinds">{e.kinds.map((k) => t(k === 'reply' ? 'kalkan-patrol-kind-reply' : 'kalkan-patrol-kind-mention')).join(', ')}</span>
              {e.flagged ? <span class="kalkan-patrol-flag">{e.category ?? t('kalkan-patrol-flagged')}</span> : null}
            </li>
          ))}
        </ol>
      )}
      <div class="kalkan-patrol-actions">
        <button type="button" disabled={busy || entries.length === 0 || !summary} onClick={() => void add()} data-testid="patrol-add-to-report">{t('kalkan-patrol-add-to-report', entries.length)}</button>
      </div>
      {result ? <p role={result.kind === 'error' ? 'alert' : 'status'} class={result.kind === 'error' ? 'kalkan-patrol-warning' : ''} data-testid="patrol-report-status">{result.text}</p> : null}
      <div class="kalkan-patrol-users">
        {[fromSummary, toSummary].map((s) => (
          <div key={s.user} class="kalkan-patrol-user" data-testid="patrol-user-summary" data-user={s.user}>
            <h3><bdi>{s.user}</bdi></h3>
            <p>{t('kalkan-patrol-user-targets')} <Counts list={s.targets} /></p>
            <p>{t('kalkan-patrol-user-targeted-by')} <Counts list={s.targetedBy} /></p>
          </div>
        ))}
      </div>
    </section>
  );
}
