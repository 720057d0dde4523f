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
      return t('kalkan-report-state-sent', state.receipt.receiptId);
    case 'failed':
      return failureText(t, state.reason, state.httpStatus);
  }
}

export function failureText(t: Translate, reason: string, httpStatus: number | null): string {
  const why = t(reason);
  return httpStatus ? t('kalkan-report-state-failed-http', why, httpStatus) : t('kalkan-report-state-failed', why);
}

export function formatTime(ms: number | string, locale: string): string {
  const date = new Date(ms);
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
