import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { isolate } from '../../utils/i18n/bidi';
import type { NoticeboardDestination } from '../../utils/reports/destinations';
import { reportedUsers } from '../../utils/reports/noticeboard';
import { hostOf, type NoticeboardCheck, type NoticeboardPost } from '../../utils/reports/noticeboard-post';
import type { Report } from '../../utils/reports/schema';
import { useT } from '../I18nContext';

export interface NoticeboardConfirmProps {
  destination: NoticeboardDestination;
  report: Report;
  /** Exactly what will be posted (built once, with the marker): the preview shows these very strings. */
  post: NoticeboardPost;
  check: (destination: NoticeboardDestination, users: string[]) => Promise<NoticeboardCheck>;
  /** The user confirmed: queue and post. */
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}

type CheckView = { kind: 'checking' } | { kind: 'done'; result: NoticeboardCheck } | { kind: 'error'; message: string };

/**
 * The step between "Submit" and a PUBLIC posting: says who can read it and whose name is on it, shows the
 * section exactly as it will be posted, checks that the user is logged in to that wiki and whether the reported
 * users already have a section there, and posts only after an explicit checkbox + button.
 */
export function NoticeboardConfirm({ destination, report, post, check, onConfirm, onCancel }: NoticeboardConfirmProps) {
  const t = useT();
  const ids = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [view, setView] = useState<CheckView>({ kind: 'checking' });
  const [understood, setUnderstood] = useState(false);
  const [posting, setPosting] = useState(false);
  // Fixed for this confirmation: the report object does not change while the step is shown.
  const users = useMemo(() => reportedUsers(report), [report]);
  const wiki = hostOf(destination.wikiId);

  const runCheck = useCallback(() => {
    setView({ kind: 'checking' });
    check(destination, users).then(
      (result) => setView({ kind: 'done', result }),
      (error: unknown) => setView({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  }, [check, destination, users]);

  useEffect(() => {
    // Focus moves to this step's title so keyboard and screen-reader users know the page changed.
    heading.current?.focus();
    runCheck();
  }, [runCheck]);

  const result = view.kind === 'done' && view.result.ok ? view.result : null;
  const ready = result !== null && result.loggedIn && result.pageExists;
  const userList = users.map(isolate).join(', ');

  const confirm = () => {
    if (!ready || !understood || posting) return;
    setPosting(true);
    onConfirm().finally(() => setPosting(false));
  };

  return (
    <section class="kalkan-public-confirm" aria-labelledby={`${ids}-heading`} data-testid="noticeboard-confirm">
      <h2 id={`${ids}-heading`} tabIndex={-1} ref={heading}>{t('kalkan-noticeboard-confirm-heading')}</h2>
      <p data-testid="noticeboard-public-warning"><strong>{t('kalkan-noticeboard-confirm-public', isolate(destination.page), userList, users.length)}</strong></p>

      <div aria-live="polite" data-testid="noticeboard-check">
        {view.kind === 'checking' && <p role="status">{t('kalkan-noticeboard-checking', isolate(destination.page))}</p>}
        {view.kind === 'error' && (
          <p class="kalkan-error" role="alert" data-testid="noticeboard-check-failed">{t('kalkan-noticeboard-check-failed', wiki, view.message)}</p>
        )}
        {view.kind === 'done' && !view.result.ok && (
          <p class="kalkan-error" role="alert" data-testid="noticeboard-check-failed">
            {t('kalkan-noticeboard-check-failed', wiki, t(view.result.reason))}
            {view.result.detail ? ` ${t('kalkan-report-failure-detail', view.result.detail)}` : ''}
          </p>
        )}
        {result && !result.loggedIn && (
          <div class="kalkan-error" role="alert" data-testid="noticeboard-login-required">
            <p>{t('kalkan-noticeboard-login-required', wiki)}</p>
            <p><a href={result.loginUrl} target="_blank" rel="noopener noreferrer">{t('kalkan-noticeboard-login-link', wiki)}</a></p>
          </div>
        )}
        {result && !result.pageExists && (
          <p class="kalkan-error" role="alert" data-testid="noticeboard-page-missing">{t('kalkan-noticeboard-page-missing', isolate(result.pageTitle), wiki)}</p>
        )}
        {result?.loggedIn && result.userName && (
          <p data-testid="noticeboard-posting-as">{t('kalkan-noticeboard-posting-as', isolate(result.userName), wiki)}</p>
        )}
        {result?.pageExists && result.existing.length > 0 && (
          <div class="kalkan-notice" role="note" data-testid="noticeboard-duplicate">
            <p>{t('kalkan-noticeboard-already-reported', userList, result.existing.length, users.length)}</p>
            <ul>
              {result.existing.map((section) => (
                <li key={section.url}>
                  <a href={section.url} target="_blank" rel="noopener noreferrer"><bdi>{section.heading}</bdi></a>
                </li>
              ))}
            </ul>
          </div>
        )}
        {result?.pageExists && result.existing.length === 0 && (
          <p data-testid="noticeboard-no-duplicate">{t('kalkan-noticeboard-not-reported', userList, isolate(result.pageTitle), users.length)}</p>
        )}
        {view.kind !== 'checking' && !ready && (
          <button type="button" onClick={runCheck} data-testid="noticeboard-recheck">{t('kalkan-noticeboard-recheck')}</button>
        )}
      </div>

      <h3>{t('kalkan-noticeboard-preview-heading')}</h3>
      <dl class="kalkan-receipt">
        <dt>{t('kalkan-noticeboard-preview-page')}</dt>
        <dd><bdi>{result?.pageTitle ?? destination.page}</bdi> (<span dir="ltr">{wiki}</span>)</dd>
        <dt>{t('kalkan-noticeboard-preview-title')}</dt>
        <dd data-testid="noticeboard-preview-title"><bdi>{post.sectionTitle}</bdi></dd>
        <dt>{t('kalkan-noticeboard-preview-summary')}</dt>
        <dd><bdi>{post.summary}</bdi></dd>
      </dl>
      {/* Text content, never HTML: the wikitext holds page-derived names and the user's own words. */}
      <pre class="kalkan-wikitext" dir="auto" tabIndex={0} aria-label={t('kalkan-noticeboard-preview-text')} data-testid="noticeboard-preview-text">{post.text}</pre>

      <label class="kalkan-choice">
        <input type="checkbox" data-testid="noticeboard-understand" checked={understood} disabled={!ready}
          onChange={(event) => setUnderstood((event.target as HTMLInputElement).checked)} />
        {t('kalkan-noticeboard-understand', isolate(destination.page))}
      </label>
      <div class="kalkan-actions">
        <button type="button" class="kalkan-primary" data-testid="noticeboard-post" disabled={!ready || !understood || posting} onClick={confirm}>
          {t('kalkan-noticeboard-post')}
        </button>
        <button type="button" data-testid="noticeboard-cancel" onClick={onCancel}>{t('kalkan-noticeboard-back')}</button>
      </div>
    </section>
  );
}
