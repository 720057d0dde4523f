// helpers first: it installs fake-indexeddb before Dexie looks for IndexedDB.
import { freshDb, freshName } from './helpers';
import { describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { DB_VERSION, KalkanDb, V1_STORES, V2_STORES } from '../../../utils/storage/db';
import { applyInteractionRetention, interactionWikis, listInteractions, recordInteractions, wipeInteractions } from '../../../utils/storage/interactions';
import { listDrafts, listQuarantine, getSetting } from '../../../utils/storage/repository';
import type { InteractionObservation } from '../../../utils/targeting/schema';

const DAY = 24 * 60 * 60_000;
const wiki = { wikiId: 'http://wiki.test/w', server: 'http://wiki.test', scriptPath: '/w', contentLanguage: 'en' };
const other = { ...wiki, wikiId: 'http://other.test', server: 'http://other.test', scriptPath: '' };
const page = { title: 'Talk:A', pageId: 3, revisionId: 10 };
const obs = (commentId: string, overrides: Partial<InteractionObservation> = {}): InteractionObservation => ({
  from: 'Bakyt', to: 'Aigerim', kind: 'reply', commentId, utcMs: 1_000, flag: null, ...overrides,
});

describe('interaction log', () => {
  it('deduplicates across visits and revisions (wiki + comment + kind + target) and keeps the newest revision', async () => {
    const db = freshDb();
    expect(await recordInteractions(db, wiki, page, [obs('c1'), obs('c1', { kind: 'mention' }), obs('c1', { to: 'Chloe' })], 100)).toEqual({ added: 3, updated: 0 });
    expect(await recordInteractions(db, wiki, { ...page, revisionId: 12 }, [obs('c1'), obs('c2')], 200)).toEqual({ added: 1, updated: 1 });
    // An older revision seen later does not move the permalink back; nor does a visit without flags drop one.
    await recordInteractions(db, wiki, { ...page, revisionId: 11 }, [obs('c2', { flag: { flagged: true, category: 'insult', score: 0.9 } })], 300);
    await recordInteractions(db, wiki, { ...page, revisionId: 11 }, [obs('c2')], 400);
    const log = await listInteractions(db);
    expect(log).toHaveLength(4);
    const c1 = log.find((r) => r.commentId === 'c1' && r.kind === 'reply' && r.to === 'Aigerim');
    expect(c1).toMatchObject({ revisionId: 12, firstSeenAt: 100, lastSeenAt: 200 });
    expect(log.find((r) => r.commentId === 'c2')).toMatchObject({ revisionId: 12, flag: { flagged: true }, firstSeenAt: 200, lastSeenAt: 400 });
    db.close();
  });

  it('keeps wikis apart, wipes one wiki or all', async () => {
    const db = freshDb();
    await recordInteractions(db, wiki, page, [obs('c1')], 1);
    await recordInteractions(db, other, page, [obs('c1'), obs('c2')], 1);
    expect((await listInteractions(db, other.wikiId)).map((r) => r.commentId).sort()).toEqual(['c1', 'c2']);
    expect(await interactionWikis(db)).toEqual([other.wikiId, wiki.wikiId]);
    expect(await wipeInteractions(db, other.wikiId)).toBe(2);
    expect(await listInteractions(db)).toHaveLength(1);
    expect(await wipeInteractions(db)).toBe(1);
    expect(await listInteractions(db)).toEqual([]);
    db.close();
  });

  it('retention deletes what was not seen again for the retention period (default 90 days)', async () => {
    const db = freshDb();
    const now = 200 * DAY;
    await recordInteractions(db, wiki, page, [obs('old')], now - 91 * DAY);
    await recordInteractions(db, wiki, page, [obs('recent')], now - 89 * DAY);
    const { retentionDays } = await getSetting(db, 'targeting');
    expect(retentionDays).toBe(90);
    expect(await applyInteractionRetention(db, now, retentionDays)).toBe(1);
    expect((await listInteractions(db)).map((r) => r.commentId)).toEqual(['recent']);
    db.close();
  });

  it('quarantines a damaged record instead of failing the view', async () => {
    const db = freshDb();
    await recordInteractions(db, wiki, page, [obs('c1')], 1);
    await db.interactions.put({ key: 'broken', wikiId: wiki.wikiId } as never);
    expect((await listInteractions(db)).map((r) => r.commentId)).toEqual(['c1']);
    expect((await listQuarantine(db)).map((q) => [q.source, q.key])).toEqual([['interactions', 'broken']]);
    db.close();
  });
});

describe('database migrations v1 → v2 → v3', () => {
  const v1Draft = {
    id: '11111111-2222-4333-8444-555555555555',
    wiki: { id: 'http://wiki.test/w', server: 'http://wiki.test', contentLanguage: 'en' },
    createdAt: '2024-03-05T15:00:00.000Z', updatedAt: '2024-03-05T15:10:00.000Z',
    harm: null, description: 'v1 text', evidence: [], reporter: null, destinationId: null,
  };

  it('a v1 database reaches v3: drafts migrated, the interaction log added and empty', async () => {
    const name = freshName();
    const v1 = new Dexie(name);
    v1.version(1).stores(V1_STORES);
    await v1.table('drafts').add(v1Draft);
    v1.close();
    const db = new KalkanDb(name);
    await db.open();
    expect(db.verno).toBe(DB_VERSION);
    expect(DB_VERSION).toBe(3);
    expect((await listDrafts(db)).map((d) => [d.id, d.updatedAt])).toEqual([[v1Draft.id, Date.parse(v1Draft.updatedAt)]]);
    expect(await db.interactions.count()).toBe(0);
    await recordInteractions(db, wiki, page, [obs('c1')], 1);
    expect(await db.interactions.where('[wikiId+from]').equals([wiki.wikiId, 'Bakyt']).count()).toBe(1);
    db.close();
  });

  it('a v2 database keeps its drafts as they are when it gains the log', async () => {
    const name = freshName();
    const v2 = new Dexie(name);
    v2.version(1).stores(V1_STORES);
    v2.version(2).stores(V2_STORES);
    const draft = { ...v1Draft, wikiId: v1Draft.wiki.id, createdAt: 1, updatedAt: 2 };
    await v2.table('drafts').add(draft);
    v2.close();
    const db = new KalkanDb(name);
    expect(await listDrafts(db)).toEqual([draft]);
    expect(db.tables.map((t) => t.name).sort()).toEqual(['drafts', 'interactions', 'outbox', 'quarantine', 'receipts', 'settings']);
    db.close();
  });
});
