import type { Table } from 'dexie';
import { z } from 'zod';
import type { EndpointDestination, NoticeboardDestination } from '../reports/destinations';
import type { NoticeboardPost } from '../reports/noticeboard-post';
import { initialOutboxState, isDue, transition, type SendOutcome } from '../reports/outbox';
import { isEmergency, MAX_REPORT_BYTES, reportByteLength, ReportTooLargeError, type Report } from '../reports/schema';
import { DB_VERSION, type KalkanDb } from './db';
import { guardQuota } from './errors';
import {
  DraftRecordSchema,
  OutboxRecordSchema,
  QuarantineRecordSchema,
  ReceiptRecordSchema,
  SETTING_DEFAULTS,
  SETTING_SCHEMAS,
  type DraftRecord,
  type OutboxRecord,
  type QuarantineRecord,
  type ReceiptRecord,
  type SettingKey,
  type SettingValue,
} from './records';

/**
 * The only way the rest of Kalkan touches the database. Every read is validated with zod; a record that fails
 * is moved to quarantine in its own transaction (never dropped, and never taking other records with it).
 */

/** Sent reports keep their content this long (so the user can look back), then only the receipt stays. */
export const SENT_CONTENT_RETENTION_MS = 30 * 24 * 60 * 60_000;
/** Reports handed to the sender per claim: one slow endpoint must not hold the whole queue in `sending`. */
export const MAX_CLAIM_BATCH = 5;

type Source = QuarantineRecord['source'];

async function quarantineRecord(db: KalkanDb, source: Source, table: Table<unknown, string>, key: string, raw: unknown, issues: string): Promise<void> {
  await guardQuota('set aside a damaged record', () =>
    db.transaction('rw', [table, db.quarantine], async () => {
      await db.quarantine.add({ source, key, raw, issues, quarantinedAt: Date.now() });
      await table.delete(key);
    }),
  );
  console.warn(`kalkan: a damaged ${source} record (${key}) was moved to quarantine: ${issues}`);
}

/** Parses rows read from `table`; bad ones are quarantined and left out of the result. */
async function validRows<S extends z.ZodType>(
  db: KalkanDb,
  source: Source,
  table: Table<unknown, string>,
  keyOf: (raw: unknown) => string,
  schema: S,
  rows: readonly unknown[],
): Promise<z.infer<S>[]> {
  const good: z.infer<S>[] = [];
  for (const raw of rows) {
    const parsed = schema.safeParse(raw);
    if (parsed.success) good.push(parsed.data);
    else await quarantineRecord(db, source, table, keyOf(raw), raw, z.prettifyError(parsed.error));
  }
  return good;
}

function keyField(field: string): (raw: unknown) => string {
  return (raw) => (typeof raw === 'object' && raw !== null && field in raw ? String((raw as Record<string, unknown>)[field]) : '');
}

const asUnknownTable = <T>(table: Table<T, string>): Table<unknown, string> => table as unknown as Table<unknown, string>;

// ---- drafts --------------------------------------------------------------------------------------------------

export async function saveDraft(db: KalkanDb, draft: DraftRecord): Promise<void> {
  const record = DraftRecordSchema.parse(draft);
  await guardQuota('save the draft', () => db.drafts.put(record));
}

export async function getDraft(db: KalkanDb, id: string): Promise<DraftRecord | null> {
  const raw: unknown = await db.drafts.get(id);
  if (raw === undefined) return null;
  const [draft] = await validRows(db, 'drafts', asUnknownTable(db.drafts), keyField('id'), DraftRecordSchema, [raw]);
  return draft ?? null;
}

/** Newest first; only one wiki's drafts when wikiId is given (uses the v2 index). */
export async function listDrafts(db: KalkanDb, wikiId?: string): Promise<DraftRecord[]> {
  const rows: unknown[] = wikiId === undefined ? await db.drafts.toArray() : await db.drafts.where('wikiId').equals(wikiId).toArray();
  const drafts = await validRows(db, 'drafts', asUnknownTable(db.drafts), keyField('id'), DraftRecordSchema, rows);
  return drafts.sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function deleteDraft(db: KalkanDb, id: string): Promise<void> {
  await db.drafts.delete(id);
}

// ---- outbox --------------------------------------------------------------------------------------------------

export type EnqueueInput = {
  report: Report;
  now: number;
  /** Normally left out: a fresh UUID is made here, once per report. */
  idempotencyKey?: string;
} & (
  | { destination: EndpointDestination }
  /** The key is required here: it is already inside the marker of the section the user confirmed. */
  | { destination: NoticeboardDestination; noticeboardPost: NoticeboardPost; idempotencyKey: string }
);

export class EmergencyOnNoticeboardError extends Error {
  override name = 'EmergencyOnNoticeboardError';
  readonly messageKey = 'kalkan-report-error-emergency-public';
  constructor() {
    super('An emergency report cannot go to a public noticeboard: use the emergency contact shown at the top of the form.');
  }
}

/**
 * Queues a report and removes its draft, in one transaction. Submitting the same report twice (double click,
 * two tabs) returns the existing entry instead of queuing a second send. Throws ReportTooLargeError when the
 * body would exceed MAX_REPORT_BYTES.
 */
export async function enqueueReport(db: KalkanDb, input: EnqueueInput): Promise<OutboxRecord> {
  // Refused here, while the user can still edit it, rather than as a 413 after it left the form.
  const bytes = reportByteLength(input.report);
  if (bytes > MAX_REPORT_BYTES) throw new ReportTooLargeError(bytes);
  // Threats of harm go to the emergency contact, never to a page the person making them can read.
  if (input.destination.kind === 'noticeboard' && isEmergency(input.report.harm)) throw new EmergencyOnNoticeboardError();
  const record = OutboxRecordSchema.parse({
    id: input.report.reportId,
    report: input.report,
    destination: input.destination,
    noticeboardPost: 'noticeboardPost' in input ? input.noticeboardPost : undefined,
    idempotencyKey: input.idempotencyKey ?? globalThis.crypto.randomUUID(),
    createdAt: input.now,
    state: initialOutboxState(input.now),
  });
  return guardQuota('queue the report', () =>
    db.transaction('rw', [db.outbox, db.drafts], async () => {
      const existing = await db.outbox.get(record.id);
      if (existing) return existing;
      await db.outbox.add(record);
      await db.drafts.delete(record.id);
      return record;
    }),
  );
}

/**
 * Moves due entries to `sending` and returns them. IndexedDB runs read-write transactions on the same store one
 * after another, so two callers (two alarms, two windows) can never claim the same entry.
 */
export async function claimDueReports(db: KalkanDb, now: number, limit = MAX_CLAIM_BATCH): Promise<OutboxRecord[]> {
  const invalid: unknown[] = [];
  const claimed = await guardQuota('start sending', () =>
    db.transaction('rw', db.outbox, async () => {
      const queued: unknown[] = await db.outbox.where('state.status').equals('queued').toArray();
      const out: OutboxRecord[] = [];
      for (const raw of queued) {
        const parsed = OutboxRecordSchema.safeParse(raw);
        if (!parsed.success) {
          invalid.push(raw);
          continue;
        }
        if (out.length >= limit || !isDue(parsed.data.state, now)) continue;
        const next = { ...parsed.data, state: transition(parsed.data.state, { type: 'claim' }, { now, random: Math.random }) };
        await db.outbox.put(next);
        out.push(next);
      }
      return out;
    }),
  );
  await validRows(db, 'outbox', asUnknownTable(db.outbox), keyField('id'), OutboxRecordSchema, invalid);
  return claimed;
}

/** Records the outcome of one send; a success also writes the receipt, in the same transaction. */
export async function completeSend(
  db: KalkanDb,
  id: string,
  outcome: SendOutcome,
  now: number,
  random: () => number = Math.random,
): Promise<OutboxRecord> {
  return guardQuota('record the delivery', () =>
    db.transaction('rw', [db.outbox, db.receipts], async () => {
      const entry = OutboxRecordSchema.parse(await db.outbox.get(id));
      const next: OutboxRecord = { ...entry, state: transition(entry.state, { type: 'outcome', outcome }, { now, random }) };
      await db.outbox.put(next);
      if (next.state.status === 'sent') {
        await db.receipts.put({
          reportId: entry.id,
          receipt: next.state.receipt,
          destinationId: entry.destination.id,
          destinationLabel: entry.destination.label,
          wikiId: entry.report.wiki.id,
          harm: entry.report.harm,
          sentAt: now,
        });
      }
      return next;
    }),
  );
}

/** At service-worker start: a `sending` entry belongs to a worker that died mid-send. Returns how many. */
export async function recoverStuckSends(db: KalkanDb, now: number): Promise<number> {
  return db.transaction('rw', db.outbox, async () => {
    const stuck = await db.outbox.where('state.status').equals('sending').toArray();
    for (const entry of stuck) {
      await db.outbox.put({ ...entry, state: transition(entry.state, { type: 'recover' }, { now, random: Math.random }) });
    }
    return stuck.length;
  });
}

export async function retryFailed(db: KalkanDb, id: string, now: number): Promise<OutboxRecord> {
  return db.transaction('rw', db.outbox, async () => {
    const entry = OutboxRecordSchema.parse(await db.outbox.get(id));
    const next = { ...entry, state: transition(entry.state, { type: 'retry-now' }, { now, random: Math.random }) };
    await db.outbox.put(next);
    return next;
  });
}

export async function listOutbox(db: KalkanDb): Promise<OutboxRecord[]> {
  return validRows(db, 'outbox', asUnknownTable(db.outbox), keyField('id'), OutboxRecordSchema, await db.outbox.toArray());
}

export async function listReceipts(db: KalkanDb): Promise<ReceiptRecord[]> {
  const rows = await validRows(db, 'receipts', asUnknownTable(db.receipts), keyField('reportId'), ReceiptRecordSchema, await db.receipts.toArray());
  return rows.sort((a, b) => b.sentAt - a.sentAt);
}

// ---- settings ------------------------------------------------------------------------------------------------

export async function getSetting<K extends SettingKey>(db: KalkanDb, key: K): Promise<SettingValue<K>> {
  const row = await db.settings.get(key);
  if (row === undefined) return SETTING_DEFAULTS[key];
  const parsed = SETTING_SCHEMAS[key].safeParse(row.value);
  if (parsed.success) return parsed.data as SettingValue<K>;
  await quarantineRecord(db, 'settings', asUnknownTable(db.settings), key, row, z.prettifyError(parsed.error));
  return SETTING_DEFAULTS[key];
}

export async function saveSetting<K extends SettingKey>(db: KalkanDb, key: K, value: SettingValue<K>): Promise<void> {
  const checked: unknown = SETTING_SCHEMAS[key].parse(value);
  await guardQuota('save the settings', () => db.settings.put({ key, value: checked }));
}

// ---- housekeeping --------------------------------------------------------------------------------------------

export async function listQuarantine(db: KalkanDb): Promise<QuarantineRecord[]> {
  return (await db.quarantine.toArray()).map((row) => QuarantineRecordSchema.parse(row));
}

/**
 * Deletes the content of reports sent more than SENT_CONTENT_RETENTION_MS ago; their receipts stay as proof of
 * delivery. Failed and queued reports are never deleted automatically: they still need the user.
 */
export async function applyRetention(db: KalkanDb, now: number): Promise<{ deletedReports: number }> {
  return db.transaction('rw', db.outbox, async () => {
    const sent = await db.outbox.where('state.status').equals('sent').toArray();
    const expired = sent.filter((entry) => entry.state.status === 'sent' && entry.state.sentAt <= now - SENT_CONTENT_RETENTION_MS);
    await db.outbox.bulkDelete(expired.map((entry) => entry.id));
    return { deletedReports: expired.length };
  });
}

/**
 * Everything Kalkan stores, as JSON, for the user to keep or move. Access tokens are replaced by a marker:
 * exports get attached to support requests, and a token there would let anyone file reports as the user.
 */
export async function exportAll(db: KalkanDb, now: number = Date.now()): Promise<string> {
  const snapshot = await db.transaction('r', [db.drafts, db.outbox, db.receipts, db.settings, db.quarantine], async () => ({
    format: 'kalkan-export',
    databaseVersion: DB_VERSION,
    exportedAt: new Date(now).toISOString(),
    drafts: await db.drafts.toArray(),
    outbox: await db.outbox.toArray(),
    receipts: await db.receipts.toArray(),
    settings: await db.settings.toArray(),
    quarantine: await db.quarantine.toArray(),
  }));
  return JSON.stringify(snapshot, (key, value: unknown) => (key === 'token' ? '[redacted]' : value), 2);
}

/** The user's "delete everything": all tables emptied in one transaction, the database itself kept usable. */
export async function wipeEverything(db: KalkanDb): Promise<void> {
  await db.transaction('rw', [db.drafts, db.outbox, db.receipts, db.settings, db.quarantine], async () => {
    await Promise.all([db.drafts.clear(), db.outbox.clear(), db.receipts.clear(), db.settings.clear(), db.quarantine.clear()]);
  });
}
