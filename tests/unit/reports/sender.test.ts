import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../../scripts/receiver/server';
import type { EndpointDestination } from '../../../utils/reports/destinations';
import { initialOutboxState, transition, type OutboxState } from '../../../utils/reports/outbox';
import { sendReport, newIdempotencyKey } from '../../../utils/reports/sender';
import { makeReport } from './fixtures';

let receiver: RunningReceiver;

function destination(overrides: Partial<EndpointDestination> = {}): EndpointDestination {
  return { kind: 'endpoint', id: 'test', label: 'Test receiver', baseUrl: receiver.url, private: true, ...overrides };
}

async function start(token?: string): Promise<void> {
  receiver = await startReceiver({ port: 0, dbFile: ':memory:', token });
}

describe('sendReport against the reference receiver', () => {
  beforeEach(() => start());
  afterEach(() => receiver.close());

  it('201: returns the receipt, and a resend with the same key gets the same receipt, stored once', async () => {
    const report = await makeReport();
    const key = newIdempotencyKey();
    const first = await sendReport(fetch, destination(), report, key);
    const second = await sendReport(fetch, destination(), report, key);
    expect(first.kind).toBe('sent');
    expect(second).toEqual(first);
    expect(receiver.store.count()).toBe(1);
  });

  it('503 → 503 → 201 through the state machine: exactly one report stored', async () => {
    receiver.setFaults(['503', '503']);
    const report = await makeReport();
    const key = newIdempotencyKey();
    let state: OutboxState = initialOutboxState(0);
    const context = { now: 0, random: () => 0 };
    for (let round = 0; round < 5 && state.status !== 'sent'; round += 1) {
      state = transition(state, { type: 'claim' }, context);
      const outcome = await sendReport(fetch, destination(), report, key);
      state = transition(state, { type: 'outcome', outcome }, context);
    }
    expect(state.status).toBe('sent');
    expect(state.attempts).toBe(3);
    const listing = (await (await fetch(`${receiver.url}/_control/reports`)).json()) as { count: number };
    expect(listing.count).toBe(1);
  });

  it('401 without the token: permanent, with a reason key; with it: sent', async () => {
    await receiver.close();
    await start('s3cret');
    const report = await makeReport();
    expect(await sendReport(fetch, destination(), report, newIdempotencyKey())).toEqual({
      kind: 'permanent',
      reason: 'kalkan-report-error-unauthorized',
      httpStatus: 401,
    });
    expect((await sendReport(fetch, destination({ token: 's3cret' }), report, newIdempotencyKey())).kind).toBe('sent');
  });

  it('429 with Retry-After: 2 → retry in 2000 ms', async () => {
    receiver.setFaults(['429:2']);
    expect(await sendReport(fetch, destination(), await makeReport(), newIdempotencyKey())).toEqual({
      kind: 'retry',
      reason: 'kalkan-report-retry-rate-limited',
      httpStatus: 429,
      retryAfterMs: 2000,
    });
  });

  it('201 with a broken body → retry; the resend returns the stored receipt (still one report)', async () => {
    receiver.setFaults(['badjson']);
    const report = await makeReport();
    const key = newIdempotencyKey();
    expect((await sendReport(fetch, destination(), report, key)).kind).toBe('retry');
    expect((await sendReport(fetch, destination(), report, key)).kind).toBe('sent');
    expect(receiver.store.count()).toBe(1);
  });

  it('connection reset → retry (network)', async () => {
    receiver.setFaults(['reset']);
    const outcome = await sendReport(fetch, destination(), await makeReport(), newIdempotencyKey());
    expect(outcome).toMatchObject({ kind: 'retry', reason: 'kalkan-report-retry-network' });
  });

  it('slow answer past the timeout → retry (timeout)', async () => {
    receiver.setFaults(['slow:1500']);
    const outcome = await sendReport(fetch, destination(), await makeReport(), newIdempotencyKey(), { timeoutMs: 200 });
    expect(outcome).toMatchObject({ kind: 'retry', reason: 'kalkan-report-retry-timeout' });
  });

  it('a redirect to plain http is refused, not followed', async () => {
    receiver.setFaults([`redirect:http://example.invalid/v1/reports`]);
    const outcome = await sendReport(fetch, destination(), await makeReport(), newIdempotencyKey());
    expect(outcome).toEqual({ kind: 'permanent', reason: 'kalkan-report-error-redirect', httpStatus: 307 });
    expect(receiver.store.count()).toBe(0);
  });

  it('same key with a different body → 422, permanent', async () => {
    const key = newIdempotencyKey();
    await sendReport(fetch, destination(), await makeReport(), key);
    const changed = await makeReport({ description: 'Different text' });
    expect(await sendReport(fetch, destination(), changed, key)).toEqual({
      kind: 'permanent',
      reason: 'kalkan-report-error-invalid',
      httpStatus: 422,
    });
  });

  it('a tampered evidence hash → 422 problem+json naming the field', async () => {
    const report = await makeReport();
    const tampered = { ...report, evidence: report.evidence.map((e) => ({ ...e, author: 'Someone else' })) };
    const response = await fetch(`${receiver.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
      body: JSON.stringify(tampered),
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { errors: { path: string }[] };
    expect(problem.errors[0]?.path).toBe('evidence.0.sha256');
  });

  it('answers a CORS preflight from an extension origin, not from a web page', async () => {
    const preflight = (origin: string) =>
      fetch(`${receiver.url}/v1/reports`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'idempotency-key' },
      });
    const ok = await preflight('chrome-extension://abcdefghijklmnop');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnop');
    expect(ok.headers.get('access-control-allow-headers')).toBe('authorization, content-type, idempotency-key');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('GET /v1/reports/{receiptId} returns the stored report', async () => {
    const report = await makeReport();
    const outcome = await sendReport(fetch, destination(), report, newIdempotencyKey());
    if (outcome.kind !== 'sent' || outcome.receipt.status !== 'received') throw new Error('expected a protocol receipt');
    const body = (await (await fetch(`${receiver.url}/v1/reports/${outcome.receipt.receiptId}`)).json()) as { report: { reportId: string } };
    expect(body.report.reportId).toBe(report.reportId);
  });
});

describe('sendReport without a network', () => {
  const report = makeReport();
  const cases: [string, string][] = [
    ['plain http to a real host', 'http://reports.example.org'],
    ['credentials in the URL', 'https://user:pw@reports.example.org'],
    ['not a URL', 'reports.example.org'],
  ];
  it.each(cases)('refuses %s before fetching', async (_name, baseUrl) => {
    const fetchFn = (): Promise<Response> => Promise.reject(new Error('must not be called'));
    const outcome = await sendReport(fetchFn, { kind: 'endpoint', id: 'x', label: 'x', baseUrl, private: true }, await report, 'k');
    expect(outcome).toEqual({ kind: 'permanent', reason: 'kalkan-report-error-insecure-destination', httpStatus: null });
  });

  it('treats a browser-style opaque redirect as a refused redirect', async () => {
    const opaque = { type: 'opaqueredirect', status: 0, headers: new Headers(), body: null } as unknown as Response;
    const outcome = await sendReport(() => Promise.resolve(opaque), { kind: 'endpoint', id: 'x', label: 'x', baseUrl: 'https://r.example', private: true }, await report, 'k');
    expect(outcome).toEqual({ kind: 'permanent', reason: 'kalkan-report-error-redirect', httpStatus: null });
  });

  it('sends Idempotency-Key, Bearer token and redirect: manual', async () => {
    let seen: RequestInit | undefined;
    const fetchFn = (_url: string, init?: RequestInit): Promise<Response> => {
      seen = init;
      return Promise.resolve(new Response('{}', { status: 503 }));
    };
    await sendReport(fetchFn, { kind: 'endpoint', id: 'x', label: 'x', baseUrl: 'https://r.example/', token: 'T', private: true }, await report, 'key-1');
    const headers = seen?.headers as Record<string, string>;
    expect(headers['idempotency-key']).toBe('key-1');
    expect(headers.authorization).toBe('Bearer T');
    expect(seen?.redirect).toBe('manual');
  });
});
