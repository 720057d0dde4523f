import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { KalkanDb } from '../../utils/storage/db';
import { deleteOutboxEntry, reopenFailedReport } from '../../utils/storage/draft-edits';
import type { DraftRecord, OutboxRecord, ReceiptRecord } from '../../utils/storage/records';
import { deleteDraft, exportAll, listDrafts, listOutbox, listReceipts, retryFailed, wipeEverything } from '../../utils/storage/repository';
import { useT } from '../I18nContext';
import { formatTime, outboxStateText } from './reasons';
import { receiptLabel } from '../../utils/reports/receipt';

export interface ReportsPageProps {
  db: KalkanDb;
  locale: string;
  openDraft: (id: string) => void;
  sendNow: () => Promise<void>;
  /** Offers the export to the user as a file. */
  download: (fileName: string, json: string) => void;
}

interface Lists {
  drafts: DraftRecord[];
  outbox: OutboxRecord[];
  receipts: ReceiptRecord[];
}

function harmKey(harm: DraftRecord['harm']): string {
  if (!harm) return 'kalkan-reports-harm-unset';
  return harm.kind === 'incident' ? `kalkan-report-harm-${harm.category.replace(/_/g, '-')}` : `kalkan-report-emergency-${harm.type.replace(/_/g, '-')}`;
}

/** Drafts, reports on their way or failed, and receipts, with resume, export, delete and wipe. */
export function ReportsPage({ db, locale, openDraft, sendNow, download }: ReportsPageProps) {
  const t = useT();
  const [lists, setLists] = useState<Lists>({ drafts: [], outbox: [], receipts: [] });
  const [status, setStatus] = useState('');
  const [confirmWipe, setConfirmWipe] = useState(false);
  // The confirmation takes focus on its safe answer ("no"); closing it puts focus back on the button that opened it.
  const wipeButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const reopenFocus = useRef(false);
  useEffect(() => {
    if (confirmWipe) keepButton.current?.focus();
    else if (reopenFocus.current) wipeButton.current?.focus();
    reopenFocus.current = false;
  }, [confirmWipe]);
  const cancelWipe = () => {
    reopenFocus.current = true;
    setConfirmWipe(false);
  };

  const reload = useCallback(async () => {
    setLists({ drafts: await listDrafts(db), outbox: await listOutbox(db), receipts: await listReceipts(db) });
  }, [db]);
  useEffect(() => {
    reload().catch((error: unknown) => setStatus(t('kalkan-error-generic', String(error))));
  }, [reload, t]);

  const act = (work: () => Promise<unknown>, done: string) => () => {
    work().then(
      async () => {
        setStatus(done);
        await reload();
      },
      (error: unknown) => setStatus(t('kalkan-error-generic', error instanceof Error ? error.message : String(error))),
    );
  };

  return (
    <main>
      <h1>{t('kalkan-reports-title')}</h1>
      <p role="status" aria-live="polite" data-testid="reports-status">{status}</p>

      <section data-testid="reports-drafts">
        <h2>{t('kalkan-reports-drafts-heading', lists.drafts.length)}</h2>
        {lists.drafts.length === 0 && <p>{t('kalkan-reports-none')}</p>}
        <table class="kalkan-table">
          <tbody>
            {lists.drafts.map((draft) => (
              <tr key={draft.id} data-testid="draft-row">
                <td>{formatTime(draft.updatedAt, locale)}</td>
                <td><bdi>{draft.wiki.server}</bdi></td>
                <td>{t(harmKey(draft.harm))}</td>
                <td>{t('kalkan-report-evidence-heading', draft.evidence.length)}</td>
                <td>
                  <button type="button" onClick={() => openDraft(draft.id)}>{t('kalkan-reports-resume')}</button>{' '}
                  <button type="button" onClick={act(() => deleteDraft(db, draft.id), t('kalkan-reports-deleted'))}>{t('kalkan-reports-delete')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section data-testid="reports-outbox">
        <h2>{t('kalkan-reports-outbox-heading', lists.outbox.length)}</h2>
        {lists.outbox.length === 0 && <p>{t('kalkan-reports-none')}</p>}
        <table class="kalkan-table">
          <tbody>
            {lists.outbox.map((entry) => (
              <tr key={entry.id} data-testid="outbox-row" data-state={entry.state.status}>
                <td>{formatTime(entry.createdAt, locale)}</td>
                <td><bdi>{entry.destination.label}</bdi></td>
                <td>{t(harmKey(entry.report.harm))}</td>
                <td>{outboxStateText(t, entry.state, locale)}</td>
                <td>
                  {entry.state.status === 'failed' && (
                    <>
                      <button type="button" onClick={act(async () => {
                        await retryFailed(db, entry.id, Date.now());
                        await sendNow();
                      }, t('kalkan-reports-retrying'))}>{t('kalkan-reports-retry')}</button>{' '}
                      <button type="button" onClick={act(async () => {
                        await reopenFailedReport(db, entry.id, Date.now());
                        openDraft(entry.id);
                      }, t('kalkan-reports-reopened'))}>{t('kalkan-reports-edit')}</button>{' '}
                    </>
                  )}
                  {(entry.state.status === 'failed' || entry.state.status === 'sent') && (
                    <button type="button" onClick={act(() => deleteOutboxEntry(db, entry.id), t('kalkan-reports-deleted'))}>{t('kalkan-reports-delete')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section data-testid="reports-receipts">
        <h2>{t('kalkan-reports-receipts-heading', lists.receipts.length)}</h2>
        {lists.receipts.length === 0 && <p>{t('kalkan-reports-none')}</p>}
        <table class="kalkan-table">
          <tbody>
            {lists.receipts.map((receipt) => (
              <tr key={receipt.reportId} data-testid="receipt-row">
                <td>{formatTime(receipt.sentAt, locale)}</td>
                <td><bdi>{receipt.destinationLabel}</bdi></td>
                <td>{t(harmKey(receipt.harm))}</td>
                <td>
                  {receipt.receipt.status === 'posted'
                    ? <a href={receipt.receipt.permalink} target="_blank" rel="noopener noreferrer" dir="ltr">{receiptLabel(receipt.receipt)}</a>
                    : <code>{receiptLabel(receipt.receipt)}</code>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="kalkan-help">{t('kalkan-reports-retention')}</p>
      </section>

      <section>
        <h2>{t('kalkan-reports-data-heading')}</h2>
        <button type="button" onClick={act(async () => download(`kalkan-export-${new Date().toISOString().slice(0, 10)}.json`, await exportAll(db)), t('kalkan-reports-exported'))}>
          {t('kalkan-reports-export')}
        </button>{' '}
        {!confirmWipe ? (
          <button type="button" data-testid="wipe" ref={wipeButton} onClick={() => setConfirmWipe(true)}>{t('kalkan-reports-wipe')}</button>
        ) : (
          <span role="alertdialog" aria-label={t('kalkan-reports-wipe-confirm')} data-testid="wipe-dialog"
            onKeyDown={(event) => {
              if (event.key !== 'Escape') return;
              event.stopPropagation();
              cancelWipe();
            }}>
            {t('kalkan-reports-wipe-confirm')}{' '}
            <button type="button" data-testid="wipe-confirm" onClick={act(async () => {
              cancelWipe();
              await wipeEverything(db);
            }, t('kalkan-reports-wiped'))}>{t('kalkan-reports-wipe-yes')}</button>{' '}
            <button type="button" ref={keepButton} onClick={cancelWipe}>{t('kalkan-reports-wipe-no')}</button>
          </span>
        )}
      </section>
    </main>
  );
}
