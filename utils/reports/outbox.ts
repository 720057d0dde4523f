import { z } from 'zod';
import { DeliveryReceiptSchema, type DeliveryReceipt } from './receipt';

/**
 * Delivery as a pure state machine: queued → sending → sent | failed (permanent) | queued (retry at T).
 * Time and randomness are arguments, so the same inputs always give the same state (and tests need no clock).
 * The Idempotency-Key is made once per report when it is queued, so any resend (a retry, or a `sending` found
 * stuck after the service worker was killed) is recognised by the receiver and never stored twice.
 */

/** Full-jitter exponential backoff: delay = random × min(cap, base × 2^(attempt − 1)). */
export const RETRY_BASE_MS = 5_000;
export const RETRY_CAP_MS = 30 * 60_000;
/** Attempts in total (first send included) before a retryable failure becomes permanent. */
export const MAX_SEND_ATTEMPTS = 8;
/** A server may ask us to wait, but not for days: past this the user is told to retry by hand. */
export const MAX_RETRY_AFTER_MS = 6 * 60 * 60_000;

/** User-facing reason keys (i18n message keys). */
export const PERMANENT_REASONS = [
  'kalkan-report-error-invalid',
  'kalkan-report-error-unauthorized',
  'kalkan-report-error-forbidden',
  'kalkan-report-error-not-found',
  'kalkan-report-error-too-large',
  'kalkan-report-error-conflict',
  'kalkan-report-error-redirect',
  'kalkan-report-error-insecure-destination',
  'kalkan-report-error-retries-exhausted',
  'kalkan-report-error-rejected',
  // Public noticeboards (Action API answers): the user must act on the wiki or in settings before a retry helps.
  'kalkan-report-error-not-logged-in',
  'kalkan-report-error-protected',
  'kalkan-report-error-permission-denied',
  'kalkan-report-error-blocked',
  'kalkan-report-error-page-missing',
  'kalkan-report-error-captcha',
  'kalkan-report-error-wiki-refused',
  'kalkan-report-error-emergency-public',
] as const;
export const RETRY_REASONS = [
  'kalkan-report-retry-network',
  'kalkan-report-retry-timeout',
  'kalkan-report-retry-server',
  'kalkan-report-retry-rate-limited',
  'kalkan-report-retry-bad-response',
  'kalkan-report-retry-interrupted',
  'kalkan-report-retry-wiki-busy',
  'kalkan-report-retry-wiki-readonly',
  'kalkan-report-retry-session',
] as const;
export const PermanentReasonSchema = z.enum(PERMANENT_REASONS);
export const RetryReasonSchema = z.enum(RETRY_REASONS);
export type PermanentReason = z.infer<typeof PermanentReasonSchema>;
export type RetryReason = z.infer<typeof RetryReasonSchema>;

/** A wiki's error message can be long (it may quote a whole abuse-filter warning); the form shows this much. */
export const MAX_DETAIL_CHARS = 500;

const Attempts = z.number().int().nonnegative();
const EpochMs = z.number().int().nonnegative();

export const OutboxStateSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('queued'),
    attempts: Attempts,
    nextAttemptAt: EpochMs,
    lastReason: RetryReasonSchema.nullable(),
  }),
  z.object({ status: z.literal('sending'), attempts: Attempts, startedAt: EpochMs }),
  z.object({ status: z.literal('sent'), attempts: Attempts, sentAt: EpochMs, receipt: DeliveryReceiptSchema }),
  z.object({
    status: z.literal('failed'),
    attempts: Attempts,
    failedAt: EpochMs,
    reason: PermanentReasonSchema,
    httpStatus: z.number().int().nullable(),
    /** What the other side said, as text (e.g. a wiki's error code and message); absent for the HTTP reasons. */
    detail: z.string().max(MAX_DETAIL_CHARS).optional(),
  }),
]);
export type OutboxState = z.infer<typeof OutboxStateSchema>;

/** What one send attempt came to; produced by sendReport. */
export type SendOutcome =
  | { kind: 'sent'; receipt: DeliveryReceipt }
  | { kind: 'permanent'; reason: PermanentReason; httpStatus: number | null; detail?: string }
  | { kind: 'retry'; reason: RetryReason; httpStatus: number | null; retryAfterMs: number | null };

export type OutboxEvent =
  | { type: 'claim' }
  | { type: 'outcome'; outcome: SendOutcome }
  /** Found `sending` when the service worker started: the previous worker died mid-send. */
  | { type: 'recover' }
  /** The user pressed "try again" on a failed report. */
  | { type: 'retry-now' };

export interface TransitionContext {
  now: number;
  /** Uniform in [0, 1); Math.random in production, fixed in tests. */
  random: () => number;
}

export class OutboxTransitionError extends Error {
  override name = 'OutboxTransitionError';
}

export function initialOutboxState(now: number): OutboxState {
  return { status: 'queued', attempts: 0, nextAttemptAt: now, lastReason: null };
}

export function isDue(state: OutboxState, now: number): boolean {
  return state.status === 'queued' && state.nextAttemptAt <= now;
}

/** Full-jitter delay before attempt `attempts + 1`, given that `attempts` have failed (attempts ≥ 1). */
export function backoffDelay(attempts: number, random: () => number): number {
  const exponent = Math.max(0, attempts - 1);
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(exponent, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). Returns milliseconds from `now`
 * (never negative), or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only the forms HTTP allows (IMF-fixdate and the two obsolete ones) contain a weekday or GMT.
  if (!/GMT$|^[A-Za-z]{3},/.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

export function transition(state: OutboxState, event: OutboxEvent, context: TransitionContext): OutboxState {
  const { now } = context;
  switch (event.type) {
    case 'claim':
      if (!isDue(state, now)) throw new OutboxTransitionError(`Cannot claim a ${state.status} entry that is not due.`);
      return { status: 'sending', attempts: state.attempts + 1, startedAt: now };
    case 'recover':
      if (state.status !== 'sending') return state;
      return { status: 'queued', attempts: state.attempts, nextAttemptAt: now, lastReason: 'kalkan-report-retry-interrupted' };
    case 'retry-now':
      if (state.status !== 'failed') throw new OutboxTransitionError(`Only a failed entry can be retried, not ${state.status}.`);
      return { status: 'queued', attempts: 0, nextAttemptAt: now, lastReason: null };
    case 'outcome':
      if (state.status !== 'sending') {
        throw new OutboxTransitionError(`An outcome arrived for a ${state.status} entry; only sending entries take one.`);
      }
      return applyOutcome(state.attempts, event.outcome, context);
  }
}

function applyOutcome(attempts: number, outcome: SendOutcome, { now, random }: TransitionContext): OutboxState {
  switch (outcome.kind) {
    case 'sent':
      return { status: 'sent', attempts, sentAt: now, receipt: outcome.receipt };
    case 'permanent':
      return {
        status: 'failed',
        attempts,
        failedAt: now,
        reason: outcome.reason,
        httpStatus: outcome.httpStatus,
        ...(outcome.detail ? { detail: outcome.detail.slice(0, MAX_DETAIL_CHARS) } : {}),
      };
    case 'retry': {
      if (attempts >= MAX_SEND_ATTEMPTS) {
        return {
          status: 'failed',
          attempts,
          failedAt: now,
          reason: 'kalkan-report-error-retries-exhausted',
          httpStatus: outcome.httpStatus,
        };
      }
      // The server's Retry-After wins over our jitter, but is capped so a bad header cannot park a report.
      const delay =
        outcome.retryAfterMs !== null ? Math.min(outcome.retryAfterMs, MAX_RETRY_AFTER_MS) : backoffDelay(attempts, random);
      return { status: 'queued', attempts, nextAttemptAt: now + delay, lastReason: outcome.reason };
    }
  }
}

/** Milliseconds until the earliest queued entry is due (0 if one is due now), or null when none is queued. */
export function nextWakeDelay(states: readonly OutboxState[], now: number): number | null {
  let earliest: number | null = null;
  for (const state of states) {
    if (state.status !== 'queued') continue;
    earliest = earliest === null ? state.nextAttemptAt : Math.min(earliest, state.nextAttemptAt);
  }
  return earliest === null ? null : Math.max(0, earliest - now);
}
