import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultSpecError, parseFault } from '../../../scripts/receiver/faults';
import { startReceiver, type RunningReceiver } from '../../../scripts/receiver/server';
import { MAX_REPORT_BYTES } from '../../../utils/reports/schema';
import { makeReport } from './fixtures';

describe('parseFault', () => {
  it.each([
    ['503', { kind: 'status', status: 503, retryAfter: null }],
    ['429:2', { kind: 'status', status: 429, retryAfter: '2' }],
    ['slow:3000', { kind: 'slow', delayMs: 3000 }],
    ['badjson', { kind: 'badjson' }],
    ['reset', { kind: 'reset' }],
    ['redirect:http://a.example/x', { kind: 'redirect', location: 'http://a.example/x' }],
  ])('%s', (spec, fault) => {
    expect(parseFault(spec)).toEqual(fault);
  });
  it.each(['200', '503:soon', 'slow', 'slow:-1', 'slow:999999999', 'explode', 'badjson:1', 'redirect:'])('refuses %s', (spec) => {
    expect(() => parseFault(spec)).toThrow(FaultSpecError);
  });
});

describe('reference receiver', () => {
  let receiver: RunningReceiver | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${receiver?.url ?? ''}/v1/reports`, { method: 'POST', body, headers });

  it.each([
    ['no Idempotency-Key', { 'content-type': 'application/json' }, '{}', 400],
    ['not JSON', { 'content-type': 'application/json', 'idempotency-key': 'k' }, '{nope', 400],
    ['wrong content type', { 'content-type': 'text/plain', 'idempotency-key': 'k' }, '{}', 415],
    ['schema violation', { 'content-type': 'application/json', 'idempotency-key': 'k' }, '{"protocolVersion":1}', 422],
  ])('answers %s with problem+json %i', async (_name, headers, body, status) => {
    receiver = await startReceiver({ port: 0, dbFile: ':memory:' });
    const response = await post(body, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { status: number }).status).toBe(status);
  });

  it('answers 413 above the body limit', async () => {
    receiver = await startReceiver({ port: 0, dbFile: ':memory:' });
    const response = await post('x'.repeat(MAX_REPORT_BYTES + 1), { 'content-type': 'application/json', 'idempotency-key': 'k' });
    expect(response.status).toBe(413);
  });

  it('keeps reports across a restart (SQLite file, WAL)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kalkan-receiver-'));
    const dbFile = join(dir, 'reports.sqlite');
    receiver = await startReceiver({ port: 0, dbFile });
    const report = await makeReport();
    const first = await post(JSON.stringify(report), { 'content-type': 'application/json', 'idempotency-key': 'key-1' });
    expect(first.status).toBe(201);
    const receipt = (await first.json()) as { receiptId: string };
    await receiver.close();
    receiver = await startReceiver({ port: 0, dbFile });
    const again = await post(JSON.stringify(report), { 'content-type': 'application/json', 'idempotency-key': 'key-1' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { receiptId: string }).receiptId).toBe(receipt.receiptId);
    expect(receiver.store.count()).toBe(1);
  });

  it('protects GET /v1/reports/{id} with the token and takes faults over /_control', async () => {
    receiver = await startReceiver({ port: 0, dbFile: ':memory:', token: 't' });
    expect((await fetch(`${receiver.url}/v1/reports/rcpt_x`)).status).toBe(401);
    expect((await fetch(`${receiver.url}/v1/reports/rcpt_x`, { headers: { authorization: 'Bearer t' } })).status).toBe(404);
    const bad = await fetch(`${receiver.url}/_control/faults`, { method: 'POST', body: '["explode"]' });
    expect(bad.status).toBe(400); // unknown fault spec
    const ok = await fetch(`${receiver.url}/_control/faults`, { method: 'POST', body: '["503"]' });
    expect(await ok.json()).toEqual({ queued: 1 });
    expect((await post('{}', { 'content-type': 'application/json' })).status).toBe(503);
  });
});

// Each case starts Node with tsx (~2 s on this machine), so only the three kinds of bad input are spawned.
describe('receiver CLI', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/receiver.ts', ...args], { encoding: 'utf8', timeout: 20_000 });
  it.each([
    [['--port', '1', '--db', 'x', '--bogus']],
    [['--db', 'x']],
    [['--port', '0', '--db', ':memory:', '--fault', 'explode']],
  ])('exits 2 with a message for %j', (args) => {
    const result = run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^receiver: /);
  });
});
