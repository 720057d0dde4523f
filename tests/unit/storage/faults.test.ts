import { brokenIndexedDb, draft, freshName } from './helpers';
import { Dexie } from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import type { EndpointDestination } from '../../../utils/reports/destinations';
import { DB_VERSION, KalkanDb, V1_STORES, V2_STORES } from '../../../utils/storage/db';
import { StorageQuotaError } from '../../../utils/storage/errors';
import { openKalkanDb, StorageBlockedError, StorageOpenError, STORAGE_BLOCKED_MESSAGE_KEY, STORAGE_OPEN_FAILED_MESSAGE_KEY } from '../../../utils/storage/open';
import { claimDueReports, completeSend, enqueueReport, getDraft, listDrafts, listOutbox, listQuarantine, listReceipts, saveDraft } from '../../../utils/storage/repository';
import { makeReport } from '../reports/fixtures';

/** Short grace in tests: the blocker below never closes by itself. */
const TEST_GRACE_MS = 200;

const destination: EndpointDestination = { kind: 'endpoint', id: 'team', label: 'Safety team', baseUrl: 'https://reports.example.org', token: 't', private: true };
const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** A raw IndexedDB connection at Dexie's version `v` (Dexie stores version × 10) that ignores versionchange. */
function holdOpen(name: string, v: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, v * 10);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
}

describe('opening the database', () => {
  it('an upgrade blocked by an old connection is reported with an actionable error, and loses nothing', async () => {
    const name = freshName();
    const v2 = new Dexie(name);
    v2.version(1).stores(V1_STORES);
    v2.version(2).stores(V2_STORES);
    await v2.open();
    await v2.table('drafts').add(draft());
    v2.close();
    const blocker = await holdOpen(name, 2); // an old tab that never answers versionchange

    const error = await openKalkanDb(new KalkanDb(name), TEST_GRACE_MS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageBlockedError);
    expect((error as StorageBlockedError).messageKey).toBe(STORAGE_BLOCKED_MESSAGE_KEY);
    expect((error as StorageBlockedError).heldVersion).toBe(2);
    expect((error as Error).message).toMatch(/Close other Kalkan pages .* then reload/);

    blocker.close(); // the user closes the old tab and reloads
    const db = await openKalkanDb(new KalkanDb(name), TEST_GRACE_MS);
    expect(db.verno).toBe(DB_VERSION);
    expect(await listDrafts(db)).toEqual([draft()]);
    db.close();
  });

  it('a database written by a newer Kalkan (higher version) still opens, records intact (Dexie 4 adapts)', async () => {
    const name = freshName();
    const seeded = new KalkanDb(name);
    await saveDraft(seeded, draft());
    seeded.close();
    const newer = new Dexie(name);
    for (let v = 1; v <= DB_VERSION + 2; v++) newer.version(v).stores(v === 1 ? V1_STORES : v === 2 ? V2_STORES : {});
    await newer.open();
    newer.close();
    const db = await openKalkanDb(new KalkanDb(name));
    expect(await listDrafts(db)).toEqual([draft()]);
    db.close();
  });

  it('a browser that cannot open IndexedDB at all gives StorageOpenError with the cause', async () => {
    const error = await openKalkanDb(new KalkanDb(freshName(), { indexedDB: brokenIndexedDb, IDBKeyRange })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageOpenError);
    expect((error as StorageOpenError).messageKey).toBe(STORAGE_OPEN_FAILED_MESSAGE_KEY);
    expect((error as Error).message).toMatch(/Restart the browser/);
    expect((error as Error).cause).toBeDefined();
  });
});

describe('quota errors on write', () => {
  it('queuing a report when the disk is full: reported, the draft and other records stay as they were', async () => {
    const db = new KalkanDb(freshName());
    const report = await makeReport();
    const other = draft({ id: '6f1c2a7e-3b4d-4c5e-8f90-000000000002' });
    await saveDraft(db, draft({ id: report.reportId }));
    await saveDraft(db, other);
    const add = vi.spyOn(db.outbox, 'add').mockRejectedValueOnce(quotaError());

    await expect(enqueueReport(db, { report, destination, now: 0 })).rejects.toBeInstanceOf(StorageQuotaError);
    add.mockRestore();
    // The transaction was rolled back: the draft was not deleted, nothing half-queued.
    expect(await getDraft(db, report.reportId)).not.toBeNull();
    expect(await getDraft(db, other.id)).toEqual(other);
    expect(await listOutbox(db)).toEqual([]);
    // Once there is space again, the same submit works.
    await enqueueReport(db, { report, destination, now: 1 });
    expect((await listOutbox(db)).map((e) => e.id)).toEqual([report.reportId]);
    db.close();
  });

  it('recording a delivery when the disk is full: no receipt without the outbox update, entry still recoverable', async () => {
    const db = new KalkanDb(freshName());
    const report = await makeReport();
    await enqueueReport(db, { report, destination, now: 0 });
    await claimDueReports(db, 0);
    const put = vi.spyOn(db.receipts, 'put').mockRejectedValueOnce(quotaError());
    const outcome = { kind: 'sent' as const, receipt: { receiptId: 'r1', reportId: report.reportId, receivedAt: '2024-03-05T15:02:01Z', evidenceCount: 1, status: 'received' as const } };

    const error = await completeSend(db, report.reportId, outcome, 5).catch((e: unknown) => e);
    put.mockRestore();
    expect(error).toBeInstanceOf(StorageQuotaError);
    expect((error as Error).message).toMatch(/Export and delete old drafts or reports, then retry/);
    expect(await listReceipts(db)).toEqual([]);
    const [entry] = await listOutbox(db);
    expect(entry?.state.status).toBe('sending'); // recoverStuckSends puts it back in the queue at next start
    expect(entry?.report).toEqual(report);
    db.close();
  });
});

describe('corrupted records are quarantined, never silently dropped', () => {
  it('outbox and receipts: a damaged entry is set aside exactly as read; the good ones are listed', async () => {
    const db = new KalkanDb(freshName());
    const good = await makeReport();
    await enqueueReport(db, { report: good, destination, now: 0 });
    const badOutbox = { id: '6f1c2a7e-3b4d-4c5e-8f90-0000000000b1', report: { reportId: 'truncated' }, state: { status: 'queued', nextAttemptAt: 0 } };
    await db.outbox.put(badOutbox as never);
    const badReceipt = { reportId: '6f1c2a7e-3b4d-4c5e-8f90-0000000000b2', sentAt: 'yesterday' };
    await db.receipts.put(badReceipt as never);

    expect((await listOutbox(db)).map((e) => e.id)).toEqual([good.reportId]);
    expect(await listReceipts(db)).toEqual([]);
    const quarantined = await listQuarantine(db);
    expect(quarantined.map((q) => [q.source, q.key])).toEqual([
      ['outbox', badOutbox.id],
      ['receipts', badReceipt.reportId],
    ]);
    expect(quarantined[0]?.raw).toEqual(badOutbox);
    expect(quarantined[1]?.raw).toEqual(badReceipt);
    db.close();
  });

  it('a damaged queued entry does not stop the others from being claimed, and is quarantined', async () => {
    const db = new KalkanDb(freshName());
    const good = await makeReport();
    await enqueueReport(db, { report: good, destination, now: 0 });
    const bad = { id: '6f1c2a7e-3b4d-4c5e-8f90-0000000000b3', state: { status: 'queued', nextAttemptAt: 0 } };
    await db.outbox.put(bad as never);
    expect((await claimDueReports(db, 10)).map((e) => e.id)).toEqual([good.reportId]);
    expect((await listQuarantine(db)).map((q) => q.key)).toEqual([bad.id]);
    db.close();
  });

  it('when the disk is full, a damaged record stays where it was (not dropped) and the error says what to do', async () => {
    const db = new KalkanDb(freshName());
    const bad = { ...draft({ id: '6f1c2a7e-3b4d-4c5e-8f90-0000000000b4' }), updatedAt: 'soon' };
    await db.drafts.put(bad as never);
    const add = vi.spyOn(db.quarantine, 'add').mockRejectedValueOnce(quotaError());
    await expect(listDrafts(db)).rejects.toBeInstanceOf(StorageQuotaError);
    add.mockRestore();
    expect(await db.drafts.get(bad.id)).toEqual(bad);
    expect(await listQuarantine(db)).toEqual([]);
    // With space again, the next read sets it aside.
    expect(await listDrafts(db)).toEqual([]);
    expect((await listQuarantine(db)).map((q) => q.raw)).toEqual([bad]);
    db.close();
  });
});
