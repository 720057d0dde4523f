import { z } from 'zod';
import { InteractionRecordSchema, interactionKey, isInteractionRecord, type InteractionObservation, type InteractionRecord, type ObservedPage } from '../targeting/schema';
import type { KalkanDb } from './db';
import { guardQuota } from './errors';

/**
 * The interaction log (database version 3): written by the background from content-script observations, read by
 * the patroller page. Deduplicated by key (wiki + comment id + kind + target), kept per wiki, deleted after the
 * retention period without being seen again, and wipeable per wiki or entirely.
 */

const DAY_MS = 24 * 60 * 60_000;

export interface ObservedWiki {
  wikiId: string;
  server: string;
  scriptPath: string;
  contentLanguage: string;
}

/**
 * Adds new observations and refreshes known ones (newest revision, lastSeenAt, a flag that became available).
 * Returns how many were new. One transaction: a page seen in two tabs at once cannot double-count.
 */
export async function recordInteractions(
  db: KalkanDb, wiki: ObservedWiki, page: ObservedPage, observations: readonly InteractionObservation[], now: number,
): Promise<{ added: number; updated: number }> {
  const keyed = new Map<string, InteractionObservation>();
  for (const o of observations) keyed.set(interactionKey(wiki.wikiId, o), o);
  return guardQuota('record the interactions of this page', () =>
    db.transaction('rw', db.interactions, async () => {
      const keys = [...keyed.keys()];
      const existing = await db.interactions.bulkGet(keys);
      const rows: InteractionRecord[] = [];
      let added = 0;
      keys.forEach((key, index) => {
        const o = keyed.get(key);
        if (!o) return;
        const old = InteractionRecordSchema.safeParse(existing[index]);
        if (!old.success) added += 1;
        const prev = old.success ? old.data : null;
        // A later revision keeps the first sighting; a comment seen without a flag keeps an earlier flag.
        rows.push(InteractionRecordSchema.parse({
          ...o,
          flag: o.flag ?? prev?.flag ?? null,
          key, wikiId: wiki.wikiId, server: wiki.server, scriptPath: wiki.scriptPath, contentLanguage: wiki.contentLanguage,
          pageTitle: page.title, pageId: page.pageId ?? prev?.pageId ?? null,
          revisionId: Math.max(page.revisionId ?? 0, prev?.revisionId ?? 0) || null,
          firstSeenAt: prev?.firstSeenAt ?? now,
          lastSeenAt: now,
        }));
      });
      await db.interactions.bulkPut(rows);
      return { added, updated: rows.length - added };
    }),
  );
}

/** The log (one wiki's, or all), validated; damaged records go to quarantine instead of breaking the view. */
export async function listInteractions(db: KalkanDb, wikiId?: string): Promise<InteractionRecord[]> {
  const good: InteractionRecord[] = [];
  const bad: Array<{ key: string; raw: unknown; issues: string }> = [];
  // One getAll: measured faster than batched cursors for a log of thousands (structured clone dominates either way).
  const rows: unknown[] = wikiId === undefined ? await db.interactions.toArray() : await db.interactions.where('wikiId').equals(wikiId).toArray();
  for (const raw of rows) {
    if (isInteractionRecord(raw)) {
      good.push(raw);
      continue;
    }
    const parsed = InteractionRecordSchema.safeParse(raw);
    if (parsed.success) good.push(parsed.data);
    else {
      const key = typeof raw === 'object' && raw !== null && 'key' in raw ? String(raw.key) : '';
      bad.push({ key, raw, issues: z.prettifyError(parsed.error) });
    }
  }
  if (bad.length) {
    await db.transaction('rw', [db.interactions, db.quarantine], async () => {
      for (const b of bad) {
        await db.quarantine.add({ source: 'interactions', key: b.key, raw: b.raw, issues: b.issues, quarantinedAt: Date.now() });
        await db.interactions.delete(b.key);
      }
    });
    console.warn(`kalkan: ${bad.length} damaged interaction records were moved to quarantine.`);
  }
  return good;
}

/** Wikis that have entries in the log (for the patroller's wiki filter). */
export async function interactionWikis(db: KalkanDb): Promise<string[]> {
  return (await db.interactions.orderBy('wikiId').uniqueKeys()).map(String);
}

/** Deletes entries not seen for `retentionDays`. */
export async function applyInteractionRetention(db: KalkanDb, now: number, retentionDays: number): Promise<number> {
  return db.interactions.where('lastSeenAt').below(now - retentionDays * DAY_MS).delete();
}

/** Deletes one wiki's log, or the whole log when wikiId is absent. Returns how many entries went. */
export async function wipeInteractions(db: KalkanDb, wikiId?: string): Promise<number> {
  if (wikiId === undefined) {
    const count = await db.interactions.count();
    await db.interactions.clear();
    return count;
  }
  return db.interactions.where('wikiId').equals(wikiId).delete();
}
