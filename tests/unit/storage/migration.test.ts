import { freshName } from './helpers';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, KalkanDb, V1_STORES } from '../../../utils/storage/db';
import { listDrafts, listQuarantine } from '../../../utils/storage/repository';

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
