import 'fake-indexeddb/auto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultSpecError, parseFault } from '../../../scripts/receiver/faults';
import { startReceiver, type ReceivedRequest, type RunningReceiver } from '../../../scripts/receiver/server';
import type { FetchFn } from '../../../utils/reports/history';
import { MAX_SEND_ATTEMPTS, RETRY_BASE_MS, type OutboxState, type RetryReason } from '../../../utils/reports/outbox';
import type { Report } from '../../../utils/reports/schema';
import type { KalkanDb } from '../../../utils/storage/db';
import { runOutboxPass } from '../../../utils/storage/delivery';
import { reopenFailedReport } from '../../../utils/storage/draft-edits';
import { OutboxRecordSchema, type OutboxRecord } from '../../../utils/storage/records';
import { enqueueReport, getDraft, listDrafts, listOutbox, listReceipts, retryFailed } from '../../../utils/storage/repository';
import { makeReport } from '../reports/fixtures';
import { freshName } from '../storage/helpers';
import { Device, endpointFor, receiverIdle, type KillPoint } from './delivery-harness';

/**
 * The delivery fault matrix: the real outbox (Dexie on fake-indexeddb), the real sender and the reference
 * receiver (SQLite in memory) over real HTTP on 127.0.0.1. Time between attempts runs on a test clock (the
 * outbox takes `now`), so backoffs cost nothing; the sender's timeout is real, so it is set short here.
 * In every case: one stored report per submitted report, none lost, and the state the user sees is right.
 */

const TOKEN = 'hardening-token';
const START = 1_700_000_000_000;
/** Short real timeout for the cases that need one; the receiver's delays are a few times longer. */
const SHORT_TIMEOUT_MS = 200;
const RECEIVER_DELAY_MS = 1_000;
/** More passes than any case needs (MAX_SEND_ATTEMPTS retries plus slack): a loop that never drains fails. */
const MAX_PASSES = MAX_SEND_ATTEMPTS + 4;

let receiver: RunningReceiver;
let device: Device;
let clock: number;

beforeEach(async () => {
  receiver = await startReceiver({ port: 0, dbFile: ':memory:', token: TOKEN });
  device = new Device(freshName(), receiver);
  clock = START;
});
afterEach(async () => {
  device.close();
  await receiverIdle(receiver);
  await receiver.close();
});

async function submit(db: KalkanDb, overrides: Partial<Report> = {}): Promise<OutboxRecord> {
  const report = await makeReport(overrides);
  return enqueueReport(db, { report, destination: endpointFor(receiver, TOKEN), now: clock });
}

async function entryOf(db: KalkanDb, id: string): Promise<OutboxRecord> {
  return OutboxRecordSchema.parse(await db.outbox.get(id));
}

/** Passes until nothing is queued, jumping the clock to each wake-up; returns the retry reasons seen on the way. */
async function drain(db: KalkanDb, id: string, fetchFn: FetchFn = fetch, timeoutMs?: number): Promise<{ reasons: (RetryReason | null)[]; passes: number }> {
  const reasons: (RetryReason | null)[] = [];
  for (let passes = 1; passes <= MAX_PASSES; passes += 1) {
    const result = await runOutboxPass(db, fetchFn, { now: () => clock, random: () => 0.5, timeoutMs });
    const state: OutboxState = (await entryOf(db, id)).state;
    if (state.status === 'queued') reasons.push(state.lastReason);
    if (result.nextWakeMs === null) return { reasons, passes };
    clock += result.nextWakeMs;
  }
  throw new Error(`the outbox did not drain in ${MAX_PASSES} passes`);
}

const resultsOf = (requests: readonly ReceivedRequest[]) => requests.map((request) => request.result);

/** What must hold after any delivered case: one stored report, its receipt kept locally, every attempt one key. */
async function expectDeliveredOnce(db: KalkanDb, entry: OutboxRecord): Promise<void> {
  await receiverIdle(receiver);
  const stored = receiver.store.list();
  expect(stored.map((s) => s.receipt.reportId)).toEqual([entry.id]);
  const final = await entryOf(db, entry.id);
  expect(final.state.status).toBe('sent');
  if (final.state.status !== 'sent') return;
  expect(final.state.receipt).toEqual(stored[0]?.receipt);
  expect((await listReceipts(db)).map((r) => r.receipt)).toEqual([stored[0]?.receipt]);
  expect(new Set(receiver.requests().map((r) => r.idempotencyKey))).toEqual(new Set([entry.idempotencyKey]));
  expect(await listDrafts(db)).toEqual([]);
}

describe('receiver fault specs added for hardening', () => {
  it.each([
    ['late:300', { kind: 'late', delayMs: 300 }],
    ['lost', { kind: 'lost' }],
    ['none', { kind: 'none' }],
  ])('%s', (spec, fault) => {
    expect(parseFault(spec)).toEqual(fault);
  });
  it.each(['late', 'late:x', 'late:999999999', 'lost:1', 'none:1'])('refuses %s', (spec) => {
    expect(() => parseFault(spec)).toThrow(FaultSpecError);
  });
});

describe('fault matrix: retryable faults through the outbox end in exactly one stored report', () => {
  type Row = [name: string, faults: string[], timeoutMs: number | undefined, reasons: RetryReason[], results: ReceivedRequest['result'][]];
  const rows: Row[] = [
    ['500', ['500'], undefined, ['kalkan-report-retry-server'], ['refused', 'stored']],
    ['502, 503, 504', ['502', '503', '504'], undefined, Array<RetryReason>(3).fill('kalkan-report-retry-server'), ['refused', 'refused', 'refused', 'stored']],
    ['429 with Retry-After', ['429:2'], undefined, ['kalkan-report-retry-rate-limited'], ['refused', 'stored']],
    ['201 with malformed JSON (stored, answer unreadable)', ['badjson'], undefined, ['kalkan-report-retry-bad-response'], ['stored', 'replayed']],
    ['connection reset before the body is read', ['reset'], undefined, ['kalkan-report-retry-network'], ['dropped', 'stored']],
    ['connection reset after the report was stored', ['lost'], undefined, ['kalkan-report-retry-network'], ['stored', 'replayed']],
    // The slow request's client is gone when the receiver wakes up: reading its body fails, nothing stored.
    ['receiver slower than the timeout', [`slow:${RECEIVER_DELAY_MS}`], SHORT_TIMEOUT_MS, ['kalkan-report-retry-timeout'], ['dropped', 'stored']],
    // The first request is stored after the retry was (log order is arrival order): idempotency absorbs it.
    ['stored, answered after the timeout', [`late:${RECEIVER_DELAY_MS}`], SHORT_TIMEOUT_MS, ['kalkan-report-retry-timeout'], ['replayed', 'stored']],
  ];

  it.each(rows)('%s', async (_name, faults, timeoutMs, reasons, results) => {
    const { worker } = await device.startWorker(clock);
    const entry = await submit(worker.db);
    receiver.setFaults(faults);
    const drained = await drain(worker.db, entry.id, fetch, timeoutMs);
    expect(drained.reasons).toEqual(reasons);
    expect(drained.passes).toBe(faults.length + 1);
    await expectDeliveredOnce(worker.db, entry);
    expect(resultsOf(receiver.requests())).toEqual(results);
    expect((await entryOf(worker.db, entry.id)).state.attempts).toBe(faults.length + 1);
  });
});

describe('fault matrix: timing', () => {
  it('the sender aborts at its timeout instead of waiting for a late receiver, and the resend is absorbed', async () => {
    const { worker } = await device.startWorker(clock);
    const entry = await submit(worker.db);
    receiver.setFaults([`late:${RECEIVER_DELAY_MS}`]);
    const started = performance.now();
    expect(await runOutboxPass(worker.db, fetch, { now: () => clock, random: () => 0.5, timeoutMs: SHORT_TIMEOUT_MS })).toMatchObject({ retrying: 1 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(RECEIVER_DELAY_MS);
    expect(receiver.store.count()).toBe(0); // still waiting to store the first request
    await receiverIdle(receiver); // now the late first request is stored, its answer goes nowhere
    expect(resultsOf(receiver.requests())).toEqual(['stored']);
    expect(receiver.requests()[0]?.answered).toBe(false);
    clock += RETRY_BASE_MS;
    expect(await runOutboxPass(worker.db, fetch, { now: () => clock })).toMatchObject({ sent: 1 });
    await expectDeliveredOnce(worker.db, entry);
    expect(resultsOf(receiver.requests())).toEqual(['stored', 'replayed']);
  });

  it('Retry-After is honoured exactly: nothing is sent a millisecond early, the jitter does not apply', async () => {
    const { worker } = await device.startWorker(clock);
    const entry = await submit(worker.db);
    receiver.setFaults(['429:2']);
    const first = await runOutboxPass(worker.db, fetch, { now: () => clock, random: () => 0.999 });
    expect(first).toEqual({ sent: 0, retrying: 1, failed: 0, nextWakeMs: 2_000 });
    expect((await entryOf(worker.db, entry.id)).state).toMatchObject({ status: 'queued', lastReason: 'kalkan-report-retry-rate-limited', nextAttemptAt: START + 2_000 });
    clock = START + 1_999;
    expect(await runOutboxPass(worker.db, fetch, { now: () => clock })).toEqual({ sent: 0, retrying: 0, failed: 0, nextWakeMs: 1 });
    expect(receiver.requests()).toHaveLength(1);
    clock = START + 2_000;
    expect(await runOutboxPass(worker.db, fetch, { now: () => clock })).toMatchObject({ sent: 1 });
    await expectDeliveredOnce(worker.db, entry);
  });
});

describe('fault matrix: permanent outcomes keep the draft', () => {
  it('5xx on every attempt: "retries exhausted" after MAX_SEND_ATTEMPTS, nothing stored, the draft comes back unchanged', async () => {
    const { worker } = await device.startWorker(clock);
    const entry = await submit(worker.db);
    receiver.setFaults(Array<string>(MAX_SEND_ATTEMPTS).fill('503'));
    const drained = await drain(worker.db, entry.id);
    expect(drained.passes).toBe(MAX_SEND_ATTEMPTS);
    expect((await entryOf(worker.db, entry.id)).state).toMatchObject({
      status: 'failed', attempts: MAX_SEND_ATTEMPTS, reason: 'kalkan-report-error-retries-exhausted', httpStatus: 503,
    });
    expect(receiver.store.count()).toBe(0);
    // What the report form does on a permanent failure: the same report becomes a draft again.
    const draft = await reopenFailedReport(worker.db, entry.id, clock);
    expect(draft).toMatchObject({ id: entry.id, description: entry.report.description, evidence: entry.report.evidence, harm: entry.report.harm });
    expect(await getDraft(worker.db, entry.id)).toEqual(draft);
    expect(await listOutbox(worker.db)).toEqual([]);
  });

  it('a redirect to plain http is never followed: one attempt, permanent, the http target sees nothing, draft kept', async () => {
    const trapHits: string[] = [];
    const trap: Server = createServer((req, res) => {
      trapHits.push(`${req.method ?? ''} ${req.url ?? ''} ${req.headers.authorization ?? ''}`);
      res.writeHead(201).end('{}');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = trap.address() as AddressInfo;
      const { worker } = await device.startWorker(clock);
      const entry = await submit(worker.db);
      receiver.setFaults([`redirect:http://127.0.0.1:${port}/v1/reports`]);
      expect(await runOutboxPass(worker.db, fetch, { now: () => clock })).toEqual({ sent: 0, retrying: 0, failed: 1, nextWakeMs: null });
      expect((await entryOf(worker.db, entry.id)).state).toMatchObject({ status: 'failed', attempts: 1, reason: 'kalkan-report-error-redirect', httpStatus: 307 });
      expect(trapHits).toEqual([]);
      expect(receiver.store.count()).toBe(0);
      expect(resultsOf(receiver.requests())).toEqual(['redirected']);
      const draft = await reopenFailedReport(worker.db, entry.id, clock);
      expect(draft?.description).toBe(entry.report.description);
      expect(draft?.destinationId).toBe('receiver');
    } finally {
      await new Promise<void>((resolve) => trap.close(() => resolve()));
    }
  });

  it('retries exhausted although the receiver stored it (every answer lost): "Try again" fetches the stored receipt', async () => {
    const { worker } = await device.startWorker(clock);
    const entry = await submit(worker.db);
    receiver.setFaults(Array<string>(MAX_SEND_ATTEMPTS).fill('lost'));
    await drain(worker.db, entry.id);
    expect((await entryOf(worker.db, entry.id)).state).toMatchObject({ status: 'failed', reason: 'kalkan-report-error-retries-exhausted', httpStatus: null });
    expect(receiver.store.count()).toBe(1);
    // The reports page's "Try again" keeps the key and the body, so the receiver answers with the original receipt.
    await retryFailed(worker.db, entry.id, clock);
    expect(await runOutboxPass(worker.db, fetch, { now: () => clock })).toMatchObject({ sent: 1 });
    await expectDeliveredOnce(worker.db, entry);
  });

  it('…and if the user resubmits it from the draft instead (a new key): 409 conflict, told, still stored once', async () => {
    const { worker } = await device.startWorker(clock);
    const entry = await submit(worker.db);
    receiver.setFaults(Array<string>(MAX_SEND_ATTEMPTS).fill('lost'));
    await drain(worker.db, entry.id);
    await reopenFailedReport(worker.db, entry.id, clock);
    const again = await enqueueReport(worker.db, { report: entry.report, destination: endpointFor(receiver, TOKEN), now: clock });
    expect(again.idempotencyKey).not.toBe(entry.idempotencyKey);
    expect(await runOutboxPass(worker.db, fetch, { now: () => clock })).toMatchObject({ failed: 1 });
    expect((await entryOf(worker.db, entry.id)).state).toMatchObject({ status: 'failed', reason: 'kalkan-report-error-conflict', httpStatus: 409 });
    expect(receiver.store.count()).toBe(1);
  });
});

describe('fault matrix: the worker (browser) is killed mid-send', () => {
  type Row = [name: string, kill: KillPoint, fault: string | null, restartAfterReceiverIdle: boolean, results: ReceivedRequest['result'][]];
  const rows: Row[] = [
    ['after the request left, before the receiver stored it', 'after-arrival', `slow:${RECEIVER_DELAY_MS}`, false, ['dropped', 'stored']],
    ['after the request left; the receiver stores it anyway, later', 'after-arrival', `late:${RECEIVER_DELAY_MS}`, true, ['stored', 'replayed']],
    ['after the receiver answered, before the outbox recorded it', 'after-answer', null, false, ['stored', 'replayed']],
  ];

  it.each(rows)('%s: the next worker resends with the same Idempotency-Key', async (_name, kill, fault, waitForReceiver, results) => {
    const { worker: first } = await device.startWorker(clock, () => kill);
    const entry = await submit(first.db);
    if (fault) receiver.setFaults([fault]);
    let abandonedPassSettled = false;
    void runOutboxPass(first.db, first.fetchFn, { now: () => clock }).finally(() => (abandonedPassSettled = true));
    await first.killed;
    expect((await entryOf(first.db, entry.id)).state.status).toBe('sending');
    if (waitForReceiver) await receiverIdle(receiver);

    clock += 1_000;
    const { worker: second, recovered } = await device.startWorker(clock);
    expect(recovered).toBe(1);
    // What the form and the reports page show meanwhile: queued again, "the browser stopped while sending".
    expect((await entryOf(second.db, entry.id)).state).toEqual({ status: 'queued', attempts: 1, nextAttemptAt: clock, lastReason: 'kalkan-report-retry-interrupted' });
    expect(await runOutboxPass(second.db, second.fetchFn, { now: () => clock })).toMatchObject({ sent: 1, nextWakeMs: null });
    await expectDeliveredOnce(second.db, entry);
    expect(resultsOf(receiver.requests())).toEqual(results);
    expect((await entryOf(second.db, entry.id)).state.attempts).toBe(2);
    expect(abandonedPassSettled).toBe(false);
  });

  it('two workers run a pass at the same moment (two alarms): the report is claimed and sent once', async () => {
    const { worker } = await device.startWorker(clock);
    const entry = await submit(worker.db);
    const { KalkanDb } = await import('../../../utils/storage/db');
    const other = new KalkanDb(device.name);
    try {
      receiver.setFaults([`late:${SHORT_TIMEOUT_MS}`]);
      const results = await Promise.all([
        runOutboxPass(worker.db, fetch, { now: () => clock }),
        runOutboxPass(other, fetch, { now: () => clock }),
      ]);
      expect(results.map((r) => r.sent).sort()).toEqual([0, 1]);
      await expectDeliveredOnce(worker.db, entry);
      expect(receiver.requests()).toHaveLength(1);
    } finally {
      other.close();
    }
  });
});
