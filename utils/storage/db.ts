import { z } from 'zod';
import { Dexie, type DexieOptions, type Table, type Transaction } from 'dexie';
import type { InteractionRecord } from '../targeting/schema';
import { DraftRecordSchema, DraftRecordV1Schema, type DraftRecord, type OutboxRecord, type QuarantineRecord, type ReceiptRecord, type SettingRecord } from './records';

/**
 * Kalkan's IndexedDB database (extension origin only: it holds report text, evidence and tokens, which must never
 * be reachable from a wiki page's origin). Versions are declared once each and never edited after release; a
 * change is a new version with an upgrade. Planned later tables (profiles) get their own version.
 */

export const DB_NAME = 'kalkan';
export const DB_VERSION = 3;

/** Version 1 as it shipped. Exported so the migration test can create a real v1 database. */
export const V1_STORES = {
  drafts: 'id, updatedAt',
  outbox: 'id, state.status',
  receipts: 'reportId, sentAt',
  settings: 'key',
  quarantine: '++id, source, quarantinedAt',
} as const;

/** Version 2: drafts get an indexed wikiId, and their times become epoch milliseconds (sortable as numbers). */
export const V2_STORES = {
  drafts: 'id, wikiId, updatedAt',
} as const;

/**
 * Version 3: the interaction log (repeated targeting). Primary key = wiki + comment id + kind + target, so a page
 * seen again (or in a later revision) updates entries instead of adding them; lastSeenAt drives retention.
 */
export const V3_STORES = {
  interactions: 'key, wikiId, [wikiId+from], [wikiId+to], utcMs, lastSeenAt',
} as const;

export class KalkanDb extends Dexie {
  drafts!: Table<DraftRecord, string>;
  outbox!: Table<OutboxRecord, string>;
  receipts!: Table<ReceiptRecord, string>;
  settings!: Table<SettingRecord, string>;
  quarantine!: Table<QuarantineRecord, number>;
  interactions!: Table<InteractionRecord, string>;

  constructor(name: string = DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores(V1_STORES);
    this.version(2).stores(V2_STORES).upgrade(migrateDraftsV1ToV2);
    // A new table only: nothing to reshape, existing tables are carried over as they are.
    this.version(3).stores(V3_STORES);
  }
}

/**
 * Reshapes every v1 draft. A draft that does not match the v1 shape is moved to quarantine (with the reason)
 * instead of failing the whole upgrade, which would lock the user out of every other record.
 */
export async function migrateDraftsV1ToV2(tx: Transaction): Promise<void> {
  const drafts = tx.table('drafts');
  const quarantine = tx.table('quarantine');
  const now = Date.now();
  const rows: unknown[] = await drafts.toArray();
  for (const raw of rows) {
    const key = typeof raw === 'object' && raw !== null && 'id' in raw ? String(raw.id) : '';
    const old = DraftRecordV1Schema.safeParse(raw);
    const next = old.success
      ? DraftRecordSchema.safeParse({
          ...old.data,
          wikiId: old.data.wiki.id,
          createdAt: Date.parse(old.data.createdAt),
          updatedAt: Date.parse(old.data.updatedAt),
        })
      : old;
    if (next.success) {
      await drafts.put(next.data);
    } else {
      await quarantine.add({ source: 'drafts', key, raw, issues: `migration to v2: ${z.prettifyError(next.error)}`, quarantinedAt: now });
      await drafts.delete(key);
    }
  }
}
