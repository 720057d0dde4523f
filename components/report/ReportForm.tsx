import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { buildMailto } from '../../utils/reports/mailto';
import { destinationsFor, emergencyContactFor, type Destination, type NoticeboardDestination } from '../../utils/reports/destinations';
import { draftToReport, type DraftFields, type SubmitProblem } from '../../utils/reports/draft';
import { OutboxRecordSchema } from '../../utils/storage/records';
import { hostOf, loginUrl, type NoticeboardCheck, type NoticeboardPost } from '../../utils/reports/noticeboard-post';
import { MAX_DESCRIPTION_CHARS, type EvidenceItem, type Harm, type Report } from '../../utils/reports/schema';
import type { KalkanDb } from '../../utils/storage/db';
import { reopenFailedReport, removeEvidenceItem, updateDraftFields } from '../../utils/storage/draft-edits';
import type { DraftRecord, OutboxRecord } from '../../utils/storage/records';
import { enqueueReport, getDraft, getSetting } from '../../utils/storage/repository';
import { useT } from '../I18nContext';
import { EvidenceList } from './EvidenceList';
import { HarmPicker } from './HarmPicker';
import { NoticeboardConfirm } from './NoticeboardConfirm';
import { buildNoticeboardPost } from './noticeboard-text';
import { failureText, outboxStateText } from './reasons';

/** Typing pauses this long before the draft is written to the database. */
export const AUTOSAVE_DEBOUNCE_MS = 400;
/** How often the form looks at the outbox entry while a report is on its way. */
export const STATUS_POLL_MS = 500;

export interface ReportFormProps {
  db: KalkanDb;
  draftId: string;
  locale: string;
  /** Asks the background to run the outbox now. */
  sendNow: () => Promise<void>;
  openOptions: () => void;
  openReports: () => void;
  /** Registers a callback for "the background changed this draft" (evidence added); returns an unsubscribe. */
  subscribe: (onChange: () => void) => () => void;
  /** Asks the background about a noticeboard before a PUBLIC posting (session on that wiki, existing sections). */
  checkNoticeboard: (destination: NoticeboardDestination, users: string[]) => Promise<NoticeboardCheck>;
}

/** A PUBLIC posting waiting for the user's explicit confirmation; the key is already inside the post's marker. */
interface PendingPost {
  report: Report;
  destination: NoticeboardDestination;
  post: NoticeboardPost;
  idempotencyKey: string;
}

type View =
  | { kind: 'loading' }
  | { kind: 'editing'; draft: DraftRecord; destinations: Destination[] }
  | { kind: 'submitted'; entry: OutboxRecord }
  | { kind: 'gone' };

function fieldsOf(draft: DraftRecord): DraftFields {
  return { harm: draft.harm, description: draft.description, reporter: draft.reporter, destinationId: draft.destinationId };
}

async function loadEditing(db: KalkanDb, draftId: string): Promise<View> {
  const draft = await getDraft(db, draftId);
  if (!draft) {
    const entry = OutboxRecordSchema.safeParse(await db.outbox.get(draftId));
    return entry.success ? { kind: 'submitted', entry: entry.data } : { kind: 'gone' };
  }
  const destinations = destinationsFor(await getSetting(db, 'destinations'), draft.wikiId);
  // One private endpoint configured and nothing chosen yet: that is where the user meant reports to go.
  const endpoints = destinations.filter((destination) => destination.kind === 'endpoint');
  if (!draft.destinationId && endpoints.length === 1 && endpoints[0]) draft.destinationId = endpoints[0].id;
  return { kind: 'editing', draft, destinations };
}

export function ReportForm({ db, draftId, locale, sendNow, openOptions, openReports, subscribe, checkNoticeboard }: ReportFormProps) {
  const t = useT();
  const ids = useId();
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [saved, setSaved] = useState('');
  const [problems, setProblems] = useState<SubmitProblem[]>([]);
  const [problemDetail, setProblemDetail] = useState('');
  const [failure, setFailure] = useState('');
  /** A noticeboard posting refused for a logged-out session: where to log in (instead of "open settings"). */
  const [failureLogin, setFailureLogin] = useState<{ url: string; wiki: string } | null>(null);
  const pending = useRef<{ timer: ReturnType<typeof setTimeout>; fields: DraftFields } | null>(null);
  const [pendingPost, setPendingPost] = useState<PendingPost | null>(null);
  const submitButton = useRef<HTMLButtonElement>(null);

  const flush = useCallback(async () => {
    const job = pending.current;
    if (!job) return;
    clearTimeout(job.timer);
    pending.current = null;
    try {
      await updateDraftFields(db, draftId, job.fields, Date.now());
      setSaved(t('kalkan-report-saved'));
    } catch (error) {
      setSaved(t('kalkan-error-generic', error instanceof Error ? error.message : String(error)));
    }
  }, [db, draftId, t]);

  useEffect(() => {
    loadEditing(db, draftId).then(setView, (error: unknown) => setFailure(String(error)));
  }, [db, draftId]);

  // Evidence added from a wiki page while the form is open: take the stored list, keep what is being typed.
  useEffect(
    () =>
      subscribe(() => {
        void getDraft(db, draftId).then((stored) => {
          if (!stored) return;
          setView((current) => (current.kind === 'editing' ? { ...current, draft: { ...current.draft, evidence: stored.evidence } } : current));
          // The preview no longer shows what would be posted: the user reviews the report again.
          setPendingPost(null);
        });
      }),
    [db, draftId, subscribe],
  );

  // Closing the tab or the browser: write what is pending now (the debounce would otherwise lose it).
  useEffect(() => {
    const onHide = () => void flush();
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onHide);
    };
  }, [flush]);

  // While a report is on its way, follow its outbox entry; a permanent failure brings the draft back.
  const submittedId = view.kind === 'submitted' ? view.entry.id : null;
  useEffect(() => {
    if (!submittedId) return undefined;
    const timer = setInterval(() => {
      void (async () => {
        const entry = OutboxRecordSchema.safeParse(await db.outbox.get(submittedId));
        if (!entry.success) return;
        if (entry.data.state.status === 'failed') {
          setFailure(failureText(t, entry.data.state.reason, entry.data.state.httpStatus, entry.data.state.detail));
          const { destination } = entry.data;
          setFailureLogin(
            destination.kind === 'noticeboard' && entry.data.state.reason === 'kalkan-report-error-not-logged-in'
              ? { url: loginUrl(destination.wikiId, destination.page), wiki: hostOf(destination.wikiId) }
              : null,
          );
          await reopenFailedReport(db, submittedId, Date.now());
          setView(await loadEditing(db, submittedId));
          return;
        }
        setView({ kind: 'submitted', entry: entry.data });
      })();
    }, STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, [db, submittedId, t]);

  // The tab opens from a wiki page: keyboard and screen-reader users start at the form's title, not the browser's.
  const heading = useRef<HTMLHeadingElement>(null);
  const editing = view.kind === 'editing';
  useEffect(() => {
    if (editing) heading.current?.focus();
  }, [editing]);

  if (view.kind === 'loading') return <p role="status">{t('kalkan-report-loading')}</p>;
  if (view.kind === 'gone') {
    return (
      <main>
        <h1>{t('kalkan-report-title')}</h1>
        <p role="alert">{t('kalkan-report-gone')}</p>
        <button type="button" onClick={openReports}>{t('kalkan-report-open-reports')}</button>
      </main>
    );
  }
  if (view.kind === 'submitted') {
    const state = view.entry.state;
    return (
      <main>
        <h1>{t('kalkan-report-title')}</h1>
        <div role="status" aria-live="polite" data-testid="report-status" data-state={state.status}>
          <p>{outboxStateText(t, state, locale)}</p>
          {state.status === 'sent' && state.receipt.status === 'posted' && (
            <dl class="kalkan-receipt" data-testid="report-receipt" data-kind="noticeboard">
              <dt>{t('kalkan-report-receipt-section')}</dt>
              <dd>
                <a href={state.receipt.permalink} target="_blank" rel="noopener noreferrer" data-testid="report-receipt-link">
                  <bdi>{state.receipt.sectionTitle}</bdi>
                </a>{' '}
                (<a href={state.receipt.diffUrl} target="_blank" rel="noopener noreferrer">{t('kalkan-report-receipt-diff')}</a>)
              </dd>
              <dt>{t('kalkan-report-receipt-revision')}</dt>
              <dd><code>{state.receipt.revid}</code></dd>
              <dt>{t('kalkan-report-receipt-posted')}</dt>
              <dd>{new Date(state.receipt.postedAt).toLocaleString(locale)}</dd>
              <dt>{t('kalkan-report-receipt-destination')}</dt>
              <dd><bdi>{view.entry.destination.label}</bdi></dd>
            </dl>
          )}
          {state.status === 'sent' && state.receipt.status === 'received' && (
            <dl class="kalkan-receipt" data-testid="report-receipt">
              <dt>{t('kalkan-report-receipt-id')}</dt>
              <dd><code>{state.receipt.receiptId}</code></dd>
              <dt>{t('kalkan-report-receipt-received')}</dt>
              <dd>{new Date(state.receipt.receivedAt).toLocaleString(locale)}</dd>
              <dt>{t('kalkan-report-receipt-destination')}</dt>
              <dd><bdi>{view.entry.destination.label}</bdi></dd>
            </dl>
          )}
        </div>
        <button type="button" onClick={openReports}>{t('kalkan-report-open-reports')}</button>
      </main>
    );
  }

  const { draft, destinations } = view;
  const edit = (fields: Partial<DraftFields>) => {
    // A change after the preview was built: the preview would no longer be what gets posted.
    setPendingPost(null);
    const next = { ...draft, ...fields };
    setView({ ...view, draft: next });
    setSaved('');
    setProblems([]);
    if (pending.current) clearTimeout(pending.current.timer);
    pending.current = { fields: fieldsOf(next), timer: setTimeout(() => void flush(), AUTOSAVE_DEBOUNCE_MS) };
  };
  const removeItem = async (item: EvidenceItem) => {
    await flush();
    const stored = await removeEvidenceItem(db, draft.id, item.sha256, Date.now());
    if (stored) setView({ ...view, draft: { ...draft, evidence: stored.evidence } });
  };
  const chosen = destinations.find((destination) => destination.id === draft.destinationId) ?? null;
  const emergency = draft.harm?.kind === 'emergency' ? draft.harm : null;
  const contact = emergencyContactFor(draft.wiki.server);

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure('');
    setFailureLogin(null);
    // Pending typing first, then queue: the report is built from exactly what the user sees.
    if (pending.current) {
      pending.current.fields = fieldsOf(draft);
      await flush();
    } else {
      await updateDraftFields(db, draft.id, fieldsOf(draft), Date.now());
    }
    const built = draftToReport(draft, Date.now());
    const noDestination = !chosen;
    if (!built.ok || noDestination) {
      setProblems(built.ok ? ['kalkan-report-problem-destination'] : built.problems);
      setProblemDetail(built.ok ? '' : built.detail);
      return;
    }
    if (chosen.kind === 'email') {
      // The user's own mail program sends it; the draft stays until they delete it.
      window.open(buildMailto(built.report, chosen.address), '_blank', 'noopener');
      setSaved(t('kalkan-report-email-opened'));
      return;
    }
    if (chosen.kind === 'noticeboard') {
      // The radio is disabled for emergencies, but one chosen before the emergency is still selected.
      if (emergency) {
        setProblems(['kalkan-report-problem-emergency-public']);
        setProblemDetail('');
        return;
      }
      // Nothing is sent yet: the next step shows the exact section and asks for an explicit confirmation.
      const idempotencyKey = globalThis.crypto.randomUUID();
      try {
        setPendingPost({ report: built.report, destination: chosen, post: buildNoticeboardPost(built.report, chosen, idempotencyKey), idempotencyKey });
      } catch (error) {
        setFailure(t('kalkan-error-generic', error instanceof Error ? error.message : String(error)));
      }
      return;
    }
    try {
      const entry = await enqueueReport(db, { report: built.report, destination: chosen, now: Date.now() });
      setView({ kind: 'submitted', entry });
      await sendNow();
    } catch (error) {
      setFailure(t('kalkan-error-generic', error instanceof Error ? error.message : String(error)));
    }
  };

  const confirmPost = async (pendingNow: PendingPost) => {
    setFailure('');
    setFailureLogin(null);
    try {
      const { report, destination, post, idempotencyKey } = pendingNow;
      const entry = await enqueueReport(db, { report, destination, noticeboardPost: post, idempotencyKey, now: Date.now() });
      setPendingPost(null);
      setView({ kind: 'submitted', entry });
      await sendNow();
    } catch (error) {
      setFailure(t('kalkan-error-generic', error instanceof Error ? error.message : String(error)));
    }
  };
  const cancelPost = () => {
    setPendingPost(null);
    // Back where the user left: the submit button (after the confirmation step is removed).
    requestAnimationFrame(() => submitButton.current?.focus());
  };

  return (
    <main>
      {emergency && (
        <section class="kalkan-emergency" role="alert" data-testid="emergency-guidance" aria-labelledby={`${ids}-emergency`}>
          <h2 id={`${ids}-emergency`}>{t('kalkan-report-emergency-heading')}</h2>
          <p>{t('kalkan-report-emergency-now')}</p>
          {contact ? (
            <p>
              {t('kalkan-report-emergency-contact', contact.label)}{' '}
              <a href={`mailto:${contact.address}`} dir="ltr">{contact.address}</a>
            </p>
          ) : (
            <p>{t('kalkan-report-emergency-no-contact')}</p>
          )}
        </section>
      )}
      <h1 tabIndex={-1} ref={heading}>{t('kalkan-report-title')}</h1>
      <p class="kalkan-report-wiki">{t('kalkan-report-wiki', draft.wiki.server)}</p>
      {failure && <div class="kalkan-error" role="alert" data-testid="report-failure"><p>{failure}</p>
        {failureLogin
          ? <p><a href={failureLogin.url} target="_blank" rel="noopener noreferrer" data-testid="report-failure-login">{t('kalkan-noticeboard-login-link', failureLogin.wiki)}</a></p>
          : <button type="button" onClick={openOptions}>{t('kalkan-report-open-settings')}</button>}</div>}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <HarmPicker value={draft.harm} onChange={(harm: Harm) => edit({ harm })} invalid={problems.includes('kalkan-report-problem-harm')} />

        <label for={`${ids}-description`} class="kalkan-field-label">{t('kalkan-report-description-label')}</label>
        <p id={`${ids}-description-help`} class="kalkan-help">{t('kalkan-report-description-help')}</p>
        <textarea id={`${ids}-description`} data-testid="report-description" rows={6} maxLength={MAX_DESCRIPTION_CHARS}
          aria-describedby={`${ids}-description-help`} value={draft.description}
          onInput={(event) => edit({ description: (event.target as HTMLTextAreaElement).value })} />

        <EvidenceList items={draft.evidence} locale={locale} onRemove={(item) => void removeItem(item)}
          invalid={problems.includes('kalkan-report-problem-evidence')} />

        <fieldset aria-invalid={problems.includes('kalkan-report-problem-destination')}>
          <legend>{t('kalkan-report-destination-legend')}</legend>
          {destinations.length === 0 && <p>{t('kalkan-report-destination-none')}</p>}
          {destinations.map((destination) => (
            <label key={destination.id} class="kalkan-choice">
              <input type="radio" name={`${ids}-destination`} value={destination.id} checked={destination.id === draft.destinationId}
                disabled={emergency !== null && destination.kind === 'noticeboard'}
                onChange={() => edit({ destinationId: destination.id })} />
              <bdi>{destination.label}</bdi>{' '}
              <span class={destination.kind === 'noticeboard' ? 'kalkan-tag-public' : 'kalkan-tag-private'}>
                {t(destination.kind === 'noticeboard' ? 'kalkan-report-destination-public' : destination.kind === 'email' ? 'kalkan-report-destination-email' : 'kalkan-report-destination-private')}
              </span>
            </label>
          ))}
          <button type="button" class="kalkan-link-button" onClick={openOptions}>{t('kalkan-report-destination-manage')}</button>
        </fieldset>

        {problems.length > 0 && (
          <ul class="kalkan-error" role="alert" data-testid="report-problems">
            {problems.map((problem) => <li key={problem}>{t(problem)}</li>)}
            {problemDetail && <li>{problemDetail}</li>}
          </ul>
        )}
        <div class="kalkan-actions">
          <button type="submit" class="kalkan-primary" data-testid="report-submit" ref={submitButton} hidden={pendingPost !== null}>{t('kalkan-report-submit')}</button>
          <span role="status" aria-live="polite" data-testid="report-saved">{saved}</span>
        </div>
      </form>
      {pendingPost && (
        <NoticeboardConfirm destination={pendingPost.destination} report={pendingPost.report} post={pendingPost.post}
          check={checkNoticeboard} onConfirm={() => confirmPost(pendingPost)} onCancel={cancelPost} />
      )}
    </main>
  );
}
