import { postNoticeboardSection } from '../reports/noticeboard-post';
import { nextWakeDelay, type SendOutcome } from '../reports/outbox';
import type { FetchFn } from '../reports/history';
import { sendReport, type SendOptions } from '../reports/sender';
import type { KalkanDb } from './db';
import { OutboxRecordSchema, type OutboxRecord } from './records';
import { claimDueReports, completeSend } from './repository';

/**
 * One pass of the outbox for the background script (an alarm or a "send now"): claim what is due, send each once,
 * record each outcome, and say when to wake up next. Claiming moves entries to `sending` first, so a second pass
 * running at the same time finds nothing to send.
 */

export interface OutboxPassResult {
  sent: number;
  retrying: number;
  failed: number;
  /** Milliseconds until the next queued entry is due, or null when the queue is empty (no alarm needed). */
  nextWakeMs: number | null;
}

/** One attempt for one entry, by destination kind; both kinds give the same SendOutcome to the state machine. */
function deliver(fetchFn: FetchFn, entry: OutboxRecord, options: SendOptions): Promise<SendOutcome> {
  const { destination } = entry;
  if (destination.kind === 'endpoint') return sendReport(fetchFn, destination, entry.report, entry.idempotencyKey, options);
  if (!entry.noticeboardPost) {
    // The record schema requires the confirmed section for a noticeboard; this only satisfies the compiler.
    return Promise.resolve({ kind: 'permanent', reason: 'kalkan-report-error-invalid', httpStatus: null, detail: 'no confirmed section' });
  }
  return postNoticeboardSection(
    fetchFn,
    { destination, report: entry.report, post: entry.noticeboardPost, idempotencyKey: entry.idempotencyKey },
    options,
  );
}

export async function runOutboxPass(
  db: KalkanDb,
  fetchFn: FetchFn,
  options: { now?: () => number; random?: () => number } & Pick<SendOptions, 'signal' | 'timeoutMs'> = {},
): Promise<OutboxPassResult> {
  const now = options.now ?? Date.now;
  const result: OutboxPassResult = { sent: 0, retrying: 0, failed: 0, nextWakeMs: null };
  const claimed = await claimDueReports(db, now());
  for (const entry of claimed) {
    const outcome = await deliver(fetchFn, entry, { signal: options.signal, timeoutMs: options.timeoutMs, now });
    const next = await completeSend(db, entry.id, outcome, now(), options.random);
    if (next.state.status === 'sent') result.sent += 1;
    else if (next.state.status === 'failed') result.failed += 1;
    else result.retrying += 1;
  }
  const states = (await db.outbox.where('state.status').equals('queued').toArray()).flatMap((raw) => {
    const parsed = OutboxRecordSchema.safeParse(raw);
    return parsed.success ? [parsed.data.state] : []; // damaged rows are quarantined by the next claim
  });
  result.nextWakeMs = nextWakeDelay(states, now());
  return result;
}
