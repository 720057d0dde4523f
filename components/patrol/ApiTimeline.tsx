import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ContribsError, fetchContribsForUsers, MAX_CONTRIBS_PER_USER, MAX_TIMELINE_USERS, timelineUsersProblem,
  type ApiFetch, type ContribsProgress,
} from '../../utils/targeting/contribs';
import { formatGap, sharedPages, toCsv, toWikitextTable, type SharedPage } from '../../utils/targeting/shared-pages';
import { useT } from '../I18nContext';
import { downloadText, formatNumber, formatUtc } from './format';
import { TimelineChart } from './TimelineChart';
import { isolate } from '../../utils/i18n/bidi';

interface Result {
  users: string[];
  pages: SharedPage[];
  truncated: string[];
  counts: Map<string, number>;
}

type Status =
  | { kind: 'idle' }
  | { kind: 'running'; progress: ContribsProgress | null }
  | { kind: 'done'; result: Result; ms: number }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

export interface ApiTimelineProps {
  wikis: string[];
  initialWiki: string | null;
  initialUsers: string[];
  fetchFn: ApiFetch;
  locale: string;
  now?: () => number;
}

function parseUsers(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split(/[\n,]/)) {
    const name = line.trim().replace(/^User:/i, '');
    if (name) seen.add(name.charAt(0).toUpperCase() + name.slice(1));
  }
  return [...seen];
}

/**
 * The interaction timeline from the wiki's API: for 2–10 users, their contributions (list=usercontribs, paged,
 * bounded by MAX_CONTRIBS_PER_USER, cancellable), the pages they share, who came first, the smallest gap, a chart,
 * and exports. Requests are anonymous (no cookies): the wiki learns nothing about who is asking.
 */
export function ApiTimeline({ wikis, initialWiki, initialUsers, fetchFn, locale, now = () => performance.now() }: ApiTimelineProps) {
  const t = useT();
  const [wiki, setWiki] = useState(initialWiki ?? wikis[0] ?? '');
  const [apiUrl, setApiUrl] = useState(initialWiki ? `${initialWiki}/api.php` : wikis[0] ? `${wikis[0]}/api.php` : '');
  const [usersText, setUsersText] = useState(initialUsers.join('\n'));
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const controller = useRef<AbortController | null>(null);

  useEffect(() => () => controller.current?.abort(), []);
  useEffect(() => {
    if (initialUsers.length) setUsersText(initialUsers.join('\n'));
  }, [initialUsers.join('\n')]);
  useEffect(() => {
    if (initialWiki) {
      setWiki(initialWiki);
      setApiUrl(`${initialWiki}/api.php`);
    }
  }, [initialWiki]);

  const users = parseUsers(usersText);
  const problem = timelineUsersProblem(users);

  async function start(event: Event) {
    event.preventDefault();
    if (problem) return;
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setStatus({ kind: 'running', progress: null });
    const started = now();
    try {
      const { byUser, truncated } = await fetchContribsForUsers(fetchFn, apiUrl, users, {
        signal: abort.signal,
        onProgress: (progress) => setStatus({ kind: 'running', progress }),
      });
      const counts = new Map([...byUser].map(([u, list]) => [u, list.length]));
      setStatus({ kind: 'done', result: { users, pages: sharedPages(byUser), truncated, counts }, ms: now() - started });
    } catch (error) {
      if (abort.signal.aborted) setStatus({ kind: 'cancelled' });
      else if (error instanceof ContribsError) setStatus({ kind: 'error', message: error.message });
      else setStatus({ kind: 'error', message: t('kalkan-patrol-api-unreachable', error instanceof Error ? error.message : String(error)) });
    }
  }

  const progress = status.kind === 'running' ? status.progress : null;
  return (
    <section class="kalkan-patrol-api" aria-labelledby="kalkan-patrol-api-heading">
      <h2 id="kalkan-patrol-api-heading">{t('kalkan-patrol-api-heading')}</h2>
      <p class="kalkan-patrol-hint">{t('kalkan-patrol-api-intro', MAX_TIMELINE_USERS, formatNumber(locale, MAX_CONTRIBS_PER_USER))}</p>
      <form onSubmit={(e) => void start(e)} class="kalkan-patrol-api-form">
        <label>
          {t('kalkan-patrol-api-wiki')}
          <select value={wiki} onChange={(e) => {
            const value = (e.target as HTMLSelectElement).value;
            setWiki(value);
            setApiUrl(`${value}/api.php`);
          }}>
            {wikis.map((w) => <option key={w} value={w}>{w}</option>)}
          </select>
        </label>
        <label>
          {t('kalkan-patrol-api-url')}
          <input type="url" value={apiUrl} required onInput={(e) => setApiUrl((e.target as HTMLInputElement).value)} data-testid="patrol-api-url" />
        </label>
        <label>
          {t('kalkan-patrol-api-users')}
          <textarea rows={3} value={usersText} onInput={(e) => setUsersText((e.target as HTMLTextAreaElement).value)} data-testid="patrol-api-users" aria-describedby="kalkan-patrol-api-users-hint" />
        </label>
        <span id="kalkan-patrol-api-users-hint" class="kalkan-patrol-hint">
          {problem ? t(problem === 'too-few' ? 'kalkan-patrol-api-too-few' : 'kalkan-patrol-api-too-many', MAX_TIMELINE_USERS) : t('kalkan-patrol-api-users-hint')}
        </span>
        <div class="kalkan-patrol-actions">
          <button type="submit" disabled={Boolean(problem) || status.kind === 'running'} data-testid="patrol-api-start">{t('kalkan-patrol-api-start')}</button>
          {status.kind === 'running' ? <button type="button" onClick={() => controller.current?.abort()} data-testid="patrol-api-cancel">{t('kalkan-patrol-api-cancel')}</button> : null}
        </div>
      </form>
      <p role="status" aria-live="polite" data-testid="patrol-api-status">
        {status.kind === 'running'
          ? progress
            ? progress.waitingMs
              ? t('kalkan-patrol-api-waiting', Math.ceil(progress.waitingMs / 1000))
              : t('kalkan-patrol-api-progress', isolate(progress.user), progress.userIndex + 1, progress.users, formatNumber(locale, progress.fetched))
            : t('kalkan-patrol-api-starting')
          : status.kind === 'cancelled'
            ? t('kalkan-patrol-api-cancelled')
            : status.kind === 'error'
              ? status.message
              : status.kind === 'done'
                ? t('kalkan-patrol-api-done', status.result.pages.length, Math.round(status.ms))
                : ''}
      </p>
      {status.kind === 'running' && progress ? (
        <progress max={progress.users * MAX_CONTRIBS_PER_USER} value={progress.userIndex * MAX_CONTRIBS_PER_USER + progress.fetched} aria-label={t('kalkan-patrol-api-heading')} />
      ) : null}
      {status.kind === 'done' ? <SharedPagesResult result={status.result} locale={locale} /> : null}
    </section>
  );
}

function SharedPagesResult({ result, locale }: { result: Result; locale: string }) {
  const t = useT();
  const { users, pages } = result;
  const labels = {
    page: t('kalkan-patrol-api-col-page'), first: t('kalkan-patrol-api-col-first'),
    edits: (user: string) => t('kalkan-patrol-api-col-edits', user), gap: t('kalkan-patrol-api-col-gap'), followedBy: t('kalkan-patrol-api-then'),
  };
  const fileBase = `interaction-timeline-${users.join('-').replace(/[^\p{L}\p{N}-]+/gu, '_')}`;
  return (
    <div class="kalkan-patrol-api-result">
      <p>{users.map((u) => t('kalkan-patrol-api-user-count', u, formatNumber(locale, result.counts.get(u) ?? 0))).join(' · ')}</p>
      {result.truncated.length ? <p class="kalkan-patrol-warning">{t('kalkan-patrol-api-truncated', result.truncated.join(', '), formatNumber(locale, MAX_CONTRIBS_PER_USER))}</p> : null}
      {pages.length === 0 ? <p>{t('kalkan-patrol-api-none')}</p> : (
        <>
          <table class="kalkan-patrol-table" data-testid="patrol-api-table">
            <caption>{t('kalkan-patrol-api-caption', users.join(', '))}</caption>
            <thead>
              <tr>
                <th scope="col">{labels.page}</th>
                <th scope="col">{labels.first}</th>
                {users.map((u) => <th scope="col" key={u}>{labels.edits(u)}</th>)}
                <th scope="col">{labels.gap}</th>
              </tr>
            </thead>
            <tbody>
              {pages.map((p) => (
                <tr key={p.title} data-testid="patrol-api-row" data-title={p.title} data-first={p.firstUser} data-gap-ms={p.minGapMs} data-gap-from={p.gapFrom} data-gap-to={p.gapTo}>
                  <th scope="row"><bdi>{p.title}</bdi></th>
                  <td><bdi>{p.firstUser}</bdi> <span class="kalkan-patrol-time">{formatUtc(locale, p.firstMs)}</span></td>
                  {users.map((u) => <td key={u}>{p.users.find((x) => x.user === u)?.edits ?? 0}</td>)}
                  <td>{formatGap(p.minGapMs)} (<bdi>{p.gapFrom}</bdi> → <bdi>{p.gapTo}</bdi>)</td>
                </tr>
              ))}
            </tbody>
          </table>
          <TimelineChart pages={pages} users={users} locale={locale} />
          <div class="kalkan-patrol-actions">
            <button type="button" onClick={() => downloadText(document, `${fileBase}.wiki.txt`, 'text/plain', toWikitextTable(pages, users, labels))} data-testid="patrol-export-wikitext">{t('kalkan-patrol-api-export-wikitext')}</button>
            <button type="button" onClick={() => downloadText(document, `${fileBase}.csv`, 'text/csv', toCsv(pages, users))} data-testid="patrol-export-csv">{t('kalkan-patrol-api-export-csv')}</button>
          </div>
        </>
      )}
    </div>
  );
}
