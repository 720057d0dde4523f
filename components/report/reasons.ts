import type { Translate } from '../../utils/i18n';
import type { OutboxState } from '../../utils/reports/outbox';

/** Words for an outbox state: what happened and what the user can do about it. */
export function outboxStateText(t: Translate, state: OutboxState, locale: string): string {
  switch (state.status) {
    case 'queued':
      return state.lastReason
        ? t('kalkan-report-state-retrying', t(state.lastReason), new Date(state.nextAttemptAt).toLocaleTimeString(locale))
        : t('kalkan-report-state-queued');
    case 'sending':
      return t('kalkan-report-state-sending');
    case 'sent':
      return state.receipt.status === 'posted'
        ? t('kalkan-report-state-posted', state.receipt.pageTitle, state.receipt.revid)
        : t('kalkan-report-state-sent', state.receipt.receiptId);
    case 'failed':
      return failureText(t, state.reason, state.httpStatus, state.detail);
  }
}

/** `detail` is what the other side said (e.g. a wiki's error message), shown as plain text after the reason. */
export function failureText(t: Translate, reason: string, httpStatus: number | null, detail?: string): string {
  const why = t(reason);
  const text = httpStatus ? t('kalkan-report-state-failed-http', why, httpStatus) : t('kalkan-report-state-failed', why);
  return detail ? `${text} ${t('kalkan-report-failure-detail', detail)}` : text;
}

export function formatTime(ms: number | string, locale: string): string {
  const date = new Date(ms);
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
