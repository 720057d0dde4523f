import { freshDb } from './helpers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../../scripts/receiver/server';
import { RETRY_BASE_MS } from '../../../utils/reports/outbox';
import type { KalkanDb } from '../../../utils/storage/db';
import { runOutboxPass } from '../../../utils/storage/delivery';
import { enqueueReport, listReceipts } from '../../../utils/storage/repository';
import { makeReport } from '../reports/fixtures';

let db: KalkanDb;
let receiver: RunningReceiver;
beforeEach(async () => {
  db = freshDb();
  receiver = await startReceiver({ port: 0, dbFile: ':memory:', token: 'tok' });
});
afterEach(async () => {
  db.close();
  await receiver.close();
});

describe('runOutboxPass', () => {
  it('503 → 503 → 201 across three passes: one report stored, one receipt kept', async () => {
    receiver.setFaults(['503', '503']);
    const destination = { kind: 'endpoint' as const, id: 'r', label: 'Receiver', baseUrl: receiver.url, token: 'tok', private: true as const };
    const report = await makeReport();
    let clock = 1_000;
    await enqueueReport(db, { report, destination, now: clock });
    const results = [];
    for (let pass = 0; pass < 3; pass += 1) {
      const result = await runOutboxPass(db, fetch, { now: () => clock, random: () => 0.5 });
      results.push(result);
      clock += result.nextWakeMs ?? 0;
    }
    expect(results.map((r) => [r.sent, r.retrying, r.failed, r.nextWakeMs])).toEqual([
      [0, 1, 0, RETRY_BASE_MS / 2],
      [0, 1, 0, RETRY_BASE_MS],
      [1, 0, 0, null],
    ]);
    expect(receiver.store.count()).toBe(1);
    expect((await listReceipts(db)).map((r) => r.reportId)).toEqual([report.reportId]);
  });

  it('a wrong token fails permanently after one attempt', async () => {
    const destination = { kind: 'endpoint' as const, id: 'r', label: 'Receiver', baseUrl: receiver.url, token: 'wrong', private: true as const };
    await enqueueReport(db, { report: await makeReport(), destination, now: 0 });
    expect(await runOutboxPass(db, fetch, { now: () => 0 })).toEqual({ sent: 0, retrying: 0, failed: 1, nextWakeMs: null });
    expect(receiver.store.count()).toBe(0);
  });
});
