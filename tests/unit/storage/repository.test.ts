import { draft, freshDb } from './helpers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EndpointDestination } from '../../../utils/reports/destinations';
import type { SendOutcome } from '../../../utils/reports/outbox';
import type { KalkanDb } from '../../../utils/storage/db';
import { StorageQuotaError, STORAGE_QUOTA_MESSAGE_KEY } from '../../../utils/storage/errors';
import {
  applyRetention,
  claimDueReports,
  completeSend,
  deleteDraft,
  enqueueReport,
  exportAll,
  getDraft,
  getSetting,
  listDrafts,
  listOutbox,
  listQuarantine,
  listReceipts,
  recoverStuckSends,
  retryFailed,
  saveDraft,
  saveSetting,
  SENT_CONTENT_RETENTION_MS,
  wipeEverything,
} from '../../../utils/storage/repository';
import { ReportTooLargeError } from '../../../utils/reports/schema';
import { makeReport, sealedItem } from '../reports/fixtures';

const destination: EndpointDestination = {
  kind: 'endpoint',
  id: 'team',
  label: 'Safety team',
  baseUrl: 'https://reports.example.org',
  token: 'very-secret-token',
  private: true,
};
const sentOutcome = (reportId: string): SendOutcome => ({
  kind: 'sent',
  receipt: { receiptId: 'rcpt_1', reportId, receivedAt: '2024-03-05T15:02:01Z', evidenceCount: 1, status: 'received' },
});

let db: KalkanDb;
beforeEach(() => {
  db = freshDb();
});
afterEach(() => {
  db.close();
});

describe('drafts', () => {
  it('save, get, list (newest first, per wiki), delete', async () => {
    const a = draft();
    const b = draft({ id: '6f1c2a7e-3b4d-4c5e-8f90-000000000002', updatedAt: 9_000 });
    const c = draft({ id: '6f1c2a7e-3b4d-4c5e-8f90-000000000003', wikiId: 'https://x.org/w' });
    for (const d of [a, b, c]) await saveDraft(db, d);
    expect(await getDraft(db, a.id)).toEqual(a);
    expect((await listDrafts(db, a.wikiId)).map((d) => d.id)).toEqual([b.id, a.id]);
    await deleteDraft(db, a.id);
    expect(await getDraft(db, a.id)).toBeNull();
  });

  it('refuses to write an invalid draft', async () => {
    await expect(saveDraft(db, { ...draft(), id: 'not-a-uuid' })).rejects.toThrow();
  });

  it('quarantines a damaged record on read, keeps the good ones', async () => {
    const good = draft();
    await saveDraft(db, good);
    const bad = { ...draft({ id: '6f1c2a7e-3b4d-4c5e-8f90-0000000000bd' }), updatedAt: 'soon' };
    await db.drafts.put(bad as never);
    expect((await listDrafts(db)).map((d) => d.id)).toEqual([good.id]);
    const quarantined = await listQuarantine(db);
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toMatchObject({ source: 'drafts', key: bad.id, raw: bad });
    expect(await db.drafts.count()).toBe(1);
  });

  it('turns QuotaExceededError into StorageQuotaError with a message key', async () => {
    vi.spyOn(db.drafts, 'put').mockRejectedValueOnce(new DOMException('full', 'QuotaExceededError'));
    const error = await saveDraft(db, draft()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageQuotaError);
    expect((error as StorageQuotaError).messageKey).toBe(STORAGE_QUOTA_MESSAGE_KEY);
  });
});

describe('outbox', () => {
  it('enqueue removes the draft; a second submit returns the same entry (one send)', async () => {
    const report = await makeReport();
    await saveDraft(db, draft({ id: report.reportId }));
    const [first, second] = await Promise.all([
      enqueueReport(db, { report, destination, now: 10 }),
      enqueueReport(db, { report, destination, now: 11 }),
    ]);
    expect(second.idempotencyKey).toBe(first.idempotencyKey);
    expect(await db.outbox.count()).toBe(1);
    expect(await getDraft(db, report.reportId)).toBeNull();
  });

  it('refuses a report larger than the protocol allows, before queuing it', async () => {
    const big = await sealedItem({ snapshot: { text: 'x'.repeat(20_000), sanitisedHtml: `<p>${'y'.repeat(59_000)}</p>` } });
    const report = await makeReport({ evidence: Array.from({ length: 30 }, () => big) });
    await expect(enqueueReport(db, { report, destination, now: 0 })).rejects.toBeInstanceOf(ReportTooLargeError);
    expect(await db.outbox.count()).toBe(0);
  });

  it('two concurrent claims never claim the same entry', async () => {
    await enqueueReport(db, { report: await makeReport(), destination, now: 0 });
    const [a, b] = await Promise.all([claimDueReports(db, 100), claimDueReports(db, 100)]);
    expect(a.length + b.length).toBe(1);
    expect((await claimDueReports(db, 100)).length).toBe(0);
  });

  it('does not claim entries that are not due yet', async () => {
    await enqueueReport(db, { report: await makeReport(), destination, now: 500 });
    expect(await claimDueReports(db, 499)).toEqual([]);
    expect(await claimDueReports(db, 500)).toHaveLength(1);
  });

  it('complete → sent writes the receipt in the same step', async () => {
    const report = await makeReport();
    await enqueueReport(db, { report, destination, now: 0 });
    await claimDueReports(db, 0);
    const done = await completeSend(db, report.reportId, sentOutcome(report.reportId), 50);
    expect(done.state.status).toBe('sent');
    expect(await listReceipts(db)).toEqual([
      expect.objectContaining({ reportId: report.reportId, destinationLabel: 'Safety team', sentAt: 50 }),
    ]);
  });

  it('retry schedules the next attempt; completing a non-sending entry throws', async () => {
    const report = await makeReport();
    await enqueueReport(db, { report, destination, now: 0 });
    await claimDueReports(db, 0);
    const retried = await completeSend(db, report.reportId, { kind: 'retry', reason: 'kalkan-report-retry-server', httpStatus: 503, retryAfterMs: 7_000 }, 10);
    expect(retried.state).toMatchObject({ status: 'queued', nextAttemptAt: 7_010 });
    await expect(completeSend(db, report.reportId, sentOutcome(report.reportId), 20)).rejects.toThrow(/only sending entries/);
  });

  it('a stuck sending entry goes back to queued at start-up and keeps its idempotency key', async () => {
    const report = await makeReport();
    const queued = await enqueueReport(db, { report, destination, now: 0 });
    await claimDueReports(db, 0);
    expect(await recoverStuckSends(db, 999)).toBe(1);
    const [entry] = await listOutbox(db);
    expect(entry?.state).toMatchObject({ status: 'queued', nextAttemptAt: 999, attempts: 1 });
    expect(entry?.idempotencyKey).toBe(queued.idempotencyKey);
  });

  it('a failed entry can be retried by the user', async () => {
    const report = await makeReport();
    await enqueueReport(db, { report, destination, now: 0 });
    await claimDueReports(db, 0);
    await completeSend(db, report.reportId, { kind: 'permanent', reason: 'kalkan-report-error-unauthorized', httpStatus: 401 }, 1);
    expect((await retryFailed(db, report.reportId, 5)).state).toMatchObject({ status: 'queued', nextAttemptAt: 5 });
  });
});

describe('retention, settings, export, wipe', () => {
  it('deletes sent report content after 30 days and keeps the receipt; leaves failed ones', async () => {
    const report = await makeReport();
    const other = await makeReport({ reportId: '6f1c2a7e-3b4d-4c5e-8f90-0000000000ff' });
    for (const r of [report, other]) await enqueueReport(db, { report: r, destination, now: 0 });
    await claimDueReports(db, 0);
    await completeSend(db, report.reportId, sentOutcome(report.reportId), 100);
    await completeSend(db, other.reportId, { kind: 'permanent', reason: 'kalkan-report-error-invalid', httpStatus: 422 }, 100);

    expect(await applyRetention(db, 100 + SENT_CONTENT_RETENTION_MS - 1)).toEqual({ deletedReports: 0 });
    expect(await applyRetention(db, 100 + SENT_CONTENT_RETENTION_MS)).toEqual({ deletedReports: 1 });
    expect((await listOutbox(db)).map((e) => e.id)).toEqual([other.reportId]);
    expect((await listReceipts(db)).map((r) => r.reportId)).toEqual([report.reportId]);
  });

  it('settings: default when absent, validated on write, quarantined when damaged', async () => {
    expect(await getSetting(db, 'destinations')).toEqual({ global: [], perWiki: {} });
    await saveSetting(db, 'destinations', { global: [destination], perWiki: {} });
    expect((await getSetting(db, 'destinations')).global).toEqual([destination]);
    await expect(saveSetting(db, 'destinations', { global: [{ ...destination, baseUrl: 'http://evil.example' }], perWiki: {} })).rejects.toThrow();
    await db.settings.put({ key: 'destinations', value: { global: 'oops' } });
    expect(await getSetting(db, 'destinations')).toEqual({ global: [], perWiki: {} });
    expect((await listQuarantine(db)).map((q) => q.source)).toEqual(['settings']);
  });

  it('exports everything as JSON with tokens redacted', async () => {
    await saveDraft(db, draft());
    await enqueueReport(db, { report: await makeReport({ reportId: '6f1c2a7e-3b4d-4c5e-8f90-0000000000aa' }), destination, now: 0 });
    await saveSetting(db, 'destinations', { global: [destination], perWiki: {} });
    const text = await exportAll(db, Date.parse('2024-03-05T15:00:00Z'));
    const exported = JSON.parse(text) as { drafts: unknown[]; outbox: unknown[]; databaseVersion: number; exportedAt: string };
    expect(exported.drafts).toHaveLength(1);
    expect(exported.outbox).toHaveLength(1);
    expect(exported.exportedAt).toBe('2024-03-05T15:00:00.000Z');
    expect(text).not.toContain('very-secret-token');
    expect(text).toContain('[redacted]');
  });

  it('wipes every table and stays usable', async () => {
    await saveDraft(db, draft());
    await enqueueReport(db, { report: await makeReport({ reportId: '6f1c2a7e-3b4d-4c5e-8f90-0000000000aa' }), destination, now: 0 });
    await saveSetting(db, 'destinations', { global: [destination], perWiki: {} });
    await wipeEverything(db);
    for (const table of db.tables) expect(await table.count()).toBe(0);
    await saveDraft(db, draft());
    expect(await listDrafts(db)).toHaveLength(1);
  });
});
