import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  initialOutboxState,
  isDue,
  MAX_RETRY_AFTER_MS,
  MAX_SEND_ATTEMPTS,
  nextWakeDelay,
  OutboxTransitionError,
  parseRetryAfter,
  RETRY_BASE_MS,
  RETRY_CAP_MS,
  transition,
  type OutboxState,
  type SendOutcome,
} from '../../../utils/reports/outbox';

const receipt = {
  receiptId: 'rcpt_1',
  reportId: '6f1c2a7e-3b4d-4c5e-8f90-123456789abc',
  receivedAt: '2024-03-05T15:02:01Z',
  evidenceCount: 1,
  status: 'received' as const,
};
const sent: SendOutcome = { kind: 'sent', receipt };
const server503: SendOutcome = { kind: 'retry', reason: 'kalkan-report-retry-server', httpStatus: 503, retryAfterMs: null };

describe('backoffDelay (full jitter)', () => {
  it.each([1, 2, 3, 5, 8, 20, 60])('attempt %i stays within [0, min(cap, base·2^(n−1))]', (attempt) => {
    const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
    expect(backoffDelay(attempt, () => 0)).toBe(0);
    expect(backoffDelay(attempt, () => 0.999_999)).toBeLessThan(ceiling);
    expect(backoffDelay(attempt, () => 0.999_999)).toBeGreaterThan(ceiling * 0.99);
  });
  it('never exceeds the cap, even for huge attempt counts', () => {
    expect(backoffDelay(10_000, () => 0.999_999)).toBeLessThan(RETRY_CAP_MS);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-03-05T15:00:00Z');
  const cases: [string | null, number | null][] = [
    ['2', 2000],
    [' 120 ', 120_000],
    ['0', 0],
    ['Tue, 05 Mar 2024 15:00:30 GMT', 30_000],
    ['Tue, 05 Mar 2024 14:00:00 GMT', 0], // in the past: now
    ['Tuesday, 05-Mar-24 15:01:00 GMT', 60_000], // obsolete RFC 850 form
    ['-5', null],
    ['1.5', null],
    ['soon', null],
    ['2024-03-05', null], // not an HTTP date
    ['', null],
    [null, null],
  ];
  it.each(cases)('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('outbox transitions', () => {
  const ctx = (now: number) => ({ now, random: () => 0.5 });

  it('queued → sending → sent', () => {
    let state = initialOutboxState(100);
    state = transition(state, { type: 'claim' }, ctx(100));
    expect(state).toEqual({ status: 'sending', attempts: 1, startedAt: 100 });
    state = transition(state, { type: 'outcome', outcome: sent }, ctx(150));
    expect(state).toEqual({ status: 'sent', attempts: 1, sentAt: 150, receipt });
  });

  it.each([
    [400, 'kalkan-report-error-invalid'],
    [401, 'kalkan-report-error-unauthorized'],
    [413, 'kalkan-report-error-too-large'],
  ] as const)('permanent %i stops with reason %s', (status, reason) => {
    const sending = transition(initialOutboxState(0), { type: 'claim' }, ctx(0));
    const state = transition(sending, { type: 'outcome', outcome: { kind: 'permanent', reason, httpStatus: status } }, ctx(5));
    expect(state).toEqual({ status: 'failed', attempts: 1, failedAt: 5, reason, httpStatus: status });
  });

  it('retry → queued with jittered delay; Retry-After wins but is capped', () => {
    const sending = transition(initialOutboxState(0), { type: 'claim' }, ctx(0));
    expect(transition(sending, { type: 'outcome', outcome: server503 }, ctx(10))).toEqual({
      status: 'queued', attempts: 1, nextAttemptAt: 10 + RETRY_BASE_MS / 2, lastReason: 'kalkan-report-retry-server',
    });
    const rateLimited: SendOutcome = { kind: 'retry', reason: 'kalkan-report-retry-rate-limited', httpStatus: 429, retryAfterMs: 2000 };
    expect(transition(sending, { type: 'outcome', outcome: rateLimited }, ctx(10))).toMatchObject({ nextAttemptAt: 2010 });
    const forever: SendOutcome = { ...rateLimited, retryAfterMs: 10 * MAX_RETRY_AFTER_MS };
    expect(transition(sending, { type: 'outcome', outcome: forever }, ctx(10))).toMatchObject({ nextAttemptAt: 10 + MAX_RETRY_AFTER_MS });
  });

  it(`gives up after ${MAX_SEND_ATTEMPTS} attempts`, () => {
    let state: OutboxState = initialOutboxState(0);
    let now = 0;
    for (let attempt = 1; attempt <= MAX_SEND_ATTEMPTS; attempt += 1) {
      expect(state.status).toBe('queued');
      now = state.status === 'queued' ? state.nextAttemptAt : now;
      state = transition(state, { type: 'claim' }, ctx(now));
      state = transition(state, { type: 'outcome', outcome: server503 }, ctx(now));
    }
    expect(state).toMatchObject({ status: 'failed', attempts: MAX_SEND_ATTEMPTS, reason: 'kalkan-report-error-retries-exhausted' });
  });

  it('recovers a stuck sending entry to queued (due now), and leaves others alone', () => {
    const sending = transition(initialOutboxState(0), { type: 'claim' }, ctx(0));
    expect(transition(sending, { type: 'recover' }, ctx(99))).toEqual({
      status: 'queued', attempts: 1, nextAttemptAt: 99, lastReason: 'kalkan-report-retry-interrupted',
    });
    const queued = initialOutboxState(5);
    expect(transition(queued, { type: 'recover' }, ctx(99))).toBe(queued);
  });

  it('refuses impossible moves', () => {
    const queued: OutboxState = { status: 'queued', attempts: 1, nextAttemptAt: 1000, lastReason: null };
    expect(() => transition(queued, { type: 'claim' }, ctx(999))).toThrow(OutboxTransitionError); // not due
    expect(() => transition(queued, { type: 'outcome', outcome: sent }, ctx(1000))).toThrow(OutboxTransitionError);
    expect(() => transition(queued, { type: 'retry-now' }, ctx(1000))).toThrow(OutboxTransitionError);
    const done = transition(transition(initialOutboxState(0), { type: 'claim' }, ctx(0)), { type: 'outcome', outcome: sent }, ctx(1));
    expect(() => transition(done, { type: 'claim' }, ctx(5))).toThrow(OutboxTransitionError);
  });

  it('a failed entry can be retried by the user, with a fresh attempt budget', () => {
    const failed: OutboxState = { status: 'failed', attempts: 8, failedAt: 1, reason: 'kalkan-report-error-retries-exhausted', httpStatus: 503 };
    expect(transition(failed, { type: 'retry-now' }, ctx(50))).toEqual({ status: 'queued', attempts: 0, nextAttemptAt: 50, lastReason: null });
  });
});

describe('a timer-driven outbox loop (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2024-03-05T15:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sleeps exactly until the next due entry and delivers after two server errors', async () => {
    const outcomes: SendOutcome[] = [server503, { ...server503, retryAfterMs: 60_000 }, sent];
    let state: OutboxState = initialOutboxState(Date.now());
    const sendTimes: number[] = [];
    const tick = (): void => {
      if (!isDue(state, Date.now())) return;
      state = transition(state, { type: 'claim' }, { now: Date.now(), random: () => 1 - Number.EPSILON });
      sendTimes.push(Date.now());
      const outcome = outcomes.shift() ?? sent;
      state = transition(state, { type: 'outcome', outcome }, { now: Date.now(), random: () => 1 - Number.EPSILON });
      const wait = nextWakeDelay([state], Date.now());
      if (wait !== null) setTimeout(tick, wait);
    };
    tick();
    await vi.runAllTimersAsync();
    expect(state.status).toBe('sent');
    const start = Date.parse('2024-03-05T15:00:00Z');
    expect(sendTimes.map((t) => t - start)).toEqual([0, RETRY_BASE_MS - 1, RETRY_BASE_MS - 1 + 60_000]);
  });

  it('nextWakeDelay: null with nothing queued, 0 when overdue', () => {
    expect(nextWakeDelay([], 0)).toBeNull();
    expect(nextWakeDelay([{ status: 'queued', attempts: 1, nextAttemptAt: 5, lastReason: null }], 10)).toBe(0);
  });
});
