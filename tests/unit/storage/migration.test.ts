import { freshName } from './helpers';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { initialOutboxState } from '../../../utils/reports/outbox';
import { DB_VERSION, KalkanDb, V1_STORES, V2_STORES } from '../../../utils/storage/db';
import { openKalkanDb } from '../../../utils/storage/open';
import { getSetting, listDrafts, listOutbox, listQuarantine, listReceipts } from '../../../utils/storage/repository';
import { makeReport } from '../reports/fixtures';

const wiki = { id: 'https://test.wikipedia.org/w', server: 'https://test.wikipedia.org', contentLanguage: 'en' };
const v1Draft = {
  id: '11111111-2222-4333-8444-555555555555',
  wiki,
  createdAt: '2024-03-05T15:00:00.000Z',
  updatedAt: '2024-03-05T15:10:00.000Z',
  harm: { kind: 'incident', category: 'doxxing' },
  description: 'v1 text',
  evidence: [],
  reporter: null,
  destinationId: null,
};

async function createV1(name: string, drafts: unknown[], settings: unknown[] = []): Promise<void> {
  const v1 = new Dexie(name);
  v1.version(1).stores(V1_STORES);
  await v1.open();
  await v1.table('drafts').bulkAdd(drafts);
  await v1.table('settings').bulkAdd(settings);
  v1.close();
}

describe('database migration v1 → v2', () => {
  it('reshapes drafts (ISO → epoch ms, wikiId indexed) and keeps other tables', async () => {
    const name = freshName();
    const otherWiki = { ...v1Draft, id: '11111111-2222-4333-8444-666666666666', wiki: { ...wiki, id: 'https://x.org/w', server: 'https://x.org' } };
    await createV1(name, [v1Draft, otherWiki], [{ key: 'destinations', value: { global: [], perWiki: {} } }]);

    const db = new KalkanDb(name);
    await db.open();
    expect(db.verno).toBe(DB_VERSION);
    const drafts = await listDrafts(db, 'https://test.wikipedia.org/w');
    expect(drafts).toEqual([
      {
        ...v1Draft,
        wikiId: 'https://test.wikipedia.org/w',
        createdAt: Date.parse('2024-03-05T15:00:00.000Z'),
        updatedAt: Date.parse('2024-03-05T15:10:00.000Z'),
      },
    ]);
    expect(await db.drafts.where('wikiId').equals('https://x.org/w').count()).toBe(1);
    expect(await db.settings.count()).toBe(1);
    expect(await listQuarantine(db)).toEqual([]);
    db.close();
  });

  it('quarantines a v1 draft that cannot be migrated, and migrates the rest', async () => {
    const name = freshName();
    const broken = { ...v1Draft, id: '11111111-2222-4333-8444-777777777777', updatedAt: 'yesterday' };
    await createV1(name, [v1Draft, broken]);

    const db = new KalkanDb(name);
    const drafts = await listDrafts(db);
    expect(drafts.map((d) => d.id)).toEqual([v1Draft.id]);
    const quarantined = await listQuarantine(db);
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toMatchObject({ source: 'drafts', key: broken.id, raw: broken });
    expect(quarantined[0]?.issues).toContain('migration to v2');
    db.close();
  });

  it('a fresh install opens directly at the current version', async () => {
    const db = new KalkanDb(freshName());
    await db.open();
    expect(db.verno).toBe(DB_VERSION);
    expect(db.tables.map((t) => t.name).sort()).toEqual(['drafts', 'interactions', 'outbox', 'quarantine', 'receipts', 'settings']);
    db.close();
  });
});

describe('every released version → current, with data in every table', () => {
  /** Builds the stores a released version declared (the KalkanDb declarations up to that version). */
  const STORES_UP_TO: Record<number, Record<string, string>[]> = {
    1: [V1_STORES],
    2: [V1_STORES, V2_STORES],
  };

  async function seedRecords() {
    const report = await makeReport();
    const outbox = {
      id: report.reportId,
      report,
      destination: { kind: 'endpoint' as const, id: 'team', label: 'Safety team', baseUrl: 'https://reports.example.org', token: 'secret', private: true },
      idempotencyKey: 'key-1',
      createdAt: 5,
      state: initialOutboxState(5),
    };
    const receipt = {
      reportId: '6f1c2a7e-3b4d-4c5e-8f90-0000000000ee',
      receipt: { receiptId: 'rcpt_1', reportId: '6f1c2a7e-3b4d-4c5e-8f90-0000000000ee', receivedAt: '2024-03-05T15:02:01Z', evidenceCount: 1, status: 'received' as const },
      destinationId: 'team',
      destinationLabel: 'Safety team',
      wikiId: wiki.id,
      harm: { kind: 'incident' as const, category: 'doxxing' as const },
      sentAt: 77,
    };
    const destinations = { global: [outbox.destination], perWiki: {} };
    const quarantined = { source: 'drafts' as const, key: 'old', raw: { id: 'old', text: 'kept for the user' }, issues: 'bad', quarantinedAt: 3 };
    return { outbox, receipt, destinations, quarantined };
  }

  /** The draft as each version stored it; the v1 one has ISO times and no wikiId. */
  const DRAFT_AT: Record<number, unknown> = {
    1: v1Draft,
    2: { ...v1Draft, wikiId: wiki.id, createdAt: Date.parse(v1Draft.createdAt), updatedAt: Date.parse(v1Draft.updatedAt) },
  };
  const migratedDraft = DRAFT_AT[2];

  it('covers every version before the current one', () => {
    const expected = Array.from({ length: DB_VERSION - 1 }, (_, i) => String(i + 1));
    expect(Object.keys(STORES_UP_TO)).toEqual(expected);
    expect(Object.keys(DRAFT_AT)).toEqual(expected);
  });

  it.each(Object.keys(STORES_UP_TO).map(Number))('v%i → current keeps drafts, outbox, receipts, settings and quarantine', async (version) => {
    const name = freshName();
    const old = new Dexie(name);
    (STORES_UP_TO[version] ?? []).forEach((stores, i) => old.version(i + 1).stores(stores));
    await old.open();
    const seed = await seedRecords();
    await old.table('drafts').add(DRAFT_AT[version]);
    await old.table('outbox').add(seed.outbox);
    await old.table('receipts').add(seed.receipt);
    await old.table('settings').add({ key: 'destinations', value: seed.destinations });
    await old.table('quarantine').add(seed.quarantined);
    old.close();

    const db = await openKalkanDb(new KalkanDb(name));
    expect(db.verno).toBe(DB_VERSION);
    expect(await listDrafts(db, wiki.id)).toEqual([migratedDraft]);
    expect(await listOutbox(db)).toEqual([seed.outbox]);
    expect(await listReceipts(db)).toEqual([seed.receipt]);
    expect(await getSetting(db, 'destinations')).toEqual(seed.destinations);
    expect(await listQuarantine(db)).toEqual([{ ...seed.quarantined, id: 1 }]);
    // Tables added later exist and work.
    expect(await db.interactions.count()).toBe(0);
    db.close();
  });
});
