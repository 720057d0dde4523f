import { isAllowedEndpointUrl, type EndpointDestination } from './destinations';
import type { FetchFn } from './history';
import type { PermanentReason, SendOutcome } from './outbox';
import { parseRetryAfter } from './outbox';
import { ReceiptSchema, type Report } from './schema';

/**
 * One HTTP attempt to deliver a report to a Kalkan protocol endpoint. Never throws for delivery problems: every
 * result is a SendOutcome for the outbox state machine. Redirects are refused outright (`redirect: 'manual'`):
 * following one could carry the report and the token to plain http or to another host.
 */

export const SEND_TIMEOUT_MS = 30_000;
export const REPORTS_PATH = '/v1/reports';

export interface SendOptions {
  timeoutMs?: number;
  /** Cancels the attempt (e.g. the service worker is shutting down); counts as an interrupted send. */
  signal?: AbortSignal;
  /** For Retry-After dates. */
  now?: () => number;
}

const PERMANENT_BY_STATUS: Readonly<Record<number, PermanentReason>> = {
  400: 'kalkan-report-error-invalid',
  401: 'kalkan-report-error-unauthorized',
  403: 'kalkan-report-error-forbidden',
  404: 'kalkan-report-error-not-found',
  409: 'kalkan-report-error-conflict',
  413: 'kalkan-report-error-too-large',
  422: 'kalkan-report-error-invalid',
};

/** A fresh key per report (not per attempt): the receiver uses it to recognise a resend. */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

export function reportsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${REPORTS_PATH}`;
}

export async function sendReport(
  fetchFn: FetchFn,
  destination: EndpointDestination,
  report: Report,
  idempotencyKey: string,
  options: SendOptions = {},
): Promise<SendOutcome> {
  if (!isAllowedEndpointUrl(destination.baseUrl)) {
    return { kind: 'permanent', reason: 'kalkan-report-error-insecure-destination', httpStatus: null };
  }
  const now = options.now ?? Date.now;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? SEND_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, application/problem+json',
    'idempotency-key': idempotencyKey,
  };
  if (destination.token) headers.authorization = `Bearer ${destination.token}`;

  let response: Response;
  try {
    response = await fetchFn(reportsUrl(destination.baseUrl), {
      method: 'POST',
      headers,
      body: JSON.stringify(report),
      redirect: 'manual',
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
  } catch {
    if (timeout.aborted) return retry('kalkan-report-retry-timeout', null, null);
    if (options.signal?.aborted) return retry('kalkan-report-retry-interrupted', null, null);
    // fetch rejects with a TypeError for refused connections, resets and DNS failures: all worth a retry.
    return retry('kalkan-report-retry-network', null, null);
  }

  // Browsers hide a manual redirect as type "opaqueredirect" with status 0; Node shows the 3xx itself.
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    await discardBody(response);
    return { kind: 'permanent', reason: 'kalkan-report-error-redirect', httpStatus: response.status || null };
  }
  if (response.status === 201 || response.status === 200) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      // The report may be stored; resending with the same Idempotency-Key fetches the receipt safely.
      return retry('kalkan-report-retry-bad-response', response.status, null);
    }
    const receipt = ReceiptSchema.safeParse(body);
    if (!receipt.success || receipt.data.reportId !== report.reportId) {
      return retry('kalkan-report-retry-bad-response', response.status, null);
    }
    return { kind: 'sent', receipt: receipt.data };
  }
  await discardBody(response);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
  if (response.status === 429) return retry('kalkan-report-retry-rate-limited', 429, retryAfterMs);
  if (response.status === 408) return retry('kalkan-report-retry-timeout', 408, retryAfterMs);
  if (response.status >= 500) return retry('kalkan-report-retry-server', response.status, retryAfterMs);
  const reason = PERMANENT_BY_STATUS[response.status] ?? 'kalkan-report-error-rejected';
  return { kind: 'permanent', reason, httpStatus: response.status };
}

function retry(reason: Extract<SendOutcome, { kind: 'retry' }>['reason'], httpStatus: number | null, retryAfterMs: number | null): SendOutcome {
  return { kind: 'retry', reason, httpStatus, retryAfterMs };
}

async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch (error) {
    // Cancelling an already-closed body can throw; the outcome is decided by the status, so only note it.
    console.debug('kalkan: could not discard a response body', error);
  }
}
