import type { InteractionKind, InteractionObservation, InteractionRecord } from './schema';

/**
 * Pure aggregation of the interaction log: pairs A→B ranked by repeated and flagged interactions in a window,
 * one pair's timeline across pages, and per-user "targets" / "targeted by". Linear in the number of records (one
 * pass with maps), so the patroller view stays fast on a log of thousands of entries.
 */

/** A flagged interaction weighs as much as this many unflagged ones when pairs are ranked. */
export const FLAGGED_WEIGHT = 3;

/** "flagged" keeps flagged interactions of any category; any other string keeps only that detector category. */
export const FLAGGED_ANY = 'flagged';

export interface PairFilter {
  /** Only this wiki; null or absent: every wiki (pairs stay separate per wiki, user names are per wiki). */
  wikiId?: string | null;
  /** Comment times (UTC ms) from this instant on. */
  sinceMs?: number | null;
  untilMs?: number | null;
  /** null: all interactions; FLAGGED_ANY: flagged ones; otherwise one detector category. */
  category?: string | null;
}

export interface PairSummary {
  wikiId: string;
  from: string;
  to: string;
  /** Distinct comments in which `from` addressed `to`. */
  count: number;
  flagged: number;
  replies: number;
  mentions: number;
  /** Distinct pages on which it happened. */
  pages: number;
  firstMs: number;
  lastMs: number;
  score: number;
  categories: string[];
}

export function isFlagged(record: Pick<InteractionObservation, 'flag'>): boolean {
  return record.flag?.flagged === true;
}

export function matchesFilter(record: InteractionRecord, filter: PairFilter): boolean {
  if (filter.wikiId && record.wikiId !== filter.wikiId) return false;
  if (filter.sinceMs != null && record.utcMs < filter.sinceMs) return false;
  if (filter.untilMs != null && record.utcMs > filter.untilMs) return false;
  if (filter.category) {
    if (!isFlagged(record)) return false;
    if (filter.category !== FLAGGED_ANY && record.flag?.category !== filter.category) return false;
  }
  return true;
}

function pairKey(wikiId: string, from: string, to: string): string {
  return `${wikiId}\u001f${from}\u001f${to}`;
}

/** Code-unit order: only a deterministic tie-break (localeCompare made sorting thousands of tied pairs slow). */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePairs(a: PairSummary, b: PairSummary): number {
  return b.score - a.score || b.flagged - a.flagged || b.pages - a.pages || b.lastMs - a.lastMs
    || byCodeUnits(a.from, b.from) || byCodeUnits(a.to, b.to) || byCodeUnits(a.wikiId, b.wikiId);
}

/**
 * Pairs A→B, highest score first (score = comments + FLAGGED_WEIGHT × flagged comments). One pass; the
 * distinct-comment and distinct-page counts use two shared sets of composite keys rather than sets per pair
 * (measured: per-pair sets made a 5,000-entry log with ~3,800 pairs about 3× slower).
 */
export function rankPairs(records: readonly InteractionRecord[], filter: PairFilter = {}): PairSummary[] {
  const pairs = new Map<string, PairSummary>();
  const seenComments = new Map<string, boolean>();
  const seenPages = new Set<string>();
  for (const record of records) {
    if (record.from === record.to || !matchesFilter(record, filter)) continue;
    const key = pairKey(record.wikiId, record.from, record.to);
    let s = pairs.get(key);
    if (!s) {
      s = { wikiId: record.wikiId, from: record.from, to: record.to, count: 0, flagged: 0, replies: 0, mentions: 0, pages: 0, firstMs: record.utcMs, lastMs: record.utcMs, score: 0, categories: [] };
      pairs.set(key, s);
    }
    // A comment that both replies to and pings the same user is one act of addressing them, counted once.
    const commentKey = `${key}\u001f${record.commentId}`;
    const flagged = isFlagged(record);
    const seen = seenComments.get(commentKey);
    if (seen === undefined) {
      s.count += 1;
      if (flagged) s.flagged += 1;
      seenComments.set(commentKey, flagged);
    } else if (flagged && !seen) {
      s.flagged += 1;
      seenComments.set(commentKey, true);
    }
    const pageKey = `${key}\u001f${record.pageTitle}`;
    if (!seenPages.has(pageKey)) {
      seenPages.add(pageKey);
      s.pages += 1;
    }
    const category = record.flag?.category;
    if (category && !s.categories.includes(category)) s.categories.push(category);
    if (record.kind === 'reply') s.replies += 1;
    else s.mentions += 1;
    if (record.utcMs < s.firstMs) s.firstMs = record.utcMs;
    if (record.utcMs > s.lastMs) s.lastMs = record.utcMs;
  }
  const out = [...pairs.values()];
  for (const s of out) {
    s.categories.sort();
    s.score = s.count + FLAGGED_WEIGHT * s.flagged;
  }
  return out.sort(comparePairs);
}

export interface TimelineEntry {
  commentId: string;
  pageTitle: string;
  utcMs: number;
  kinds: InteractionKind[];
  flagged: boolean;
  category: string | null;
  permalink: string;
  record: InteractionRecord;
}

/** Every comment in which `from` addressed `to` on one wiki, oldest first, across pages (one entry per comment). */
export function pairTimeline(records: readonly InteractionRecord[], wikiId: string, from: string, to: string, filter: PairFilter = {}): TimelineEntry[] {
  const byComment = new Map<string, TimelineEntry>();
  for (const record of records) {
    if (record.wikiId !== wikiId || record.from !== from || record.to !== to || !matchesFilter(record, filter)) continue;
    const entry = byComment.get(record.commentId);
    if (entry) {
      if (!entry.kinds.includes(record.kind)) entry.kinds.push(record.kind);
      entry.flagged ||= isFlagged(record);
      entry.category ??= record.flag?.category ?? null;
      continue;
    }
    byComment.set(record.commentId, {
      commentId: record.commentId, pageTitle: record.pageTitle, utcMs: record.utcMs, kinds: [record.kind],
      flagged: isFlagged(record), category: record.flag?.category ?? null, permalink: commentPermalink(record), record,
    });
  }
  return [...byComment.values()].sort((a, b) => a.utcMs - b.utcMs || a.commentId.localeCompare(b.commentId));
}

export interface UserCount {
  user: string;
  count: number;
  flagged: number;
}

export interface UserSummary {
  user: string;
  /** Users this user addressed, most first. */
  targets: UserCount[];
  /** Users who addressed this user, most first. */
  targetedBy: UserCount[];
}

export function userSummary(records: readonly InteractionRecord[], wikiId: string, user: string, filter: PairFilter = {}): UserSummary {
  const pairs = rankPairs(records, { ...filter, wikiId });
  const toCount = (pair: PairSummary, other: string): UserCount => ({ user: other, count: pair.count, flagged: pair.flagged });
  const order = (a: UserCount, b: UserCount) => b.flagged - a.flagged || b.count - a.count || a.user.localeCompare(b.user);
  return {
    user,
    targets: pairs.filter((p) => p.from === user).map((p) => toCount(p, p.to)).sort(order),
    targetedBy: pairs.filter((p) => p.to === user).map((p) => toCount(p, p.from)).sort(order),
  };
}

/** index.php?title=…&oldid=…#comment-id: the revision the comment was seen in, scrolled to the comment. */
export function commentPermalink(record: Pick<InteractionRecord, 'server' | 'scriptPath' | 'pageTitle' | 'revisionId' | 'commentId'>): string {
  const params = new URLSearchParams({ title: record.pageTitle.replace(/ /g, '_') });
  if (record.revisionId) params.set('oldid', String(record.revisionId));
  return `${record.server}${record.scriptPath}/index.php?${params}#${encodeURIComponent(record.commentId)}`;
}

export interface PageTargetingPair {
  from: string;
  to: string;
  commentIds: string[];
}

/**
 * On one page: authors who addressed the same user at least `threshold` times. With `flagsAvailable`, only
 * flagged comments count; without a detector on the page every comment counts (the indicator says so).
 */
export function pageTargeting(observations: readonly InteractionObservation[], threshold: number, flagsAvailable: boolean): PageTargetingPair[] {
  const pairs = new Map<string, PageTargetingPair>();
  for (const o of observations) {
    if (o.from === o.to || (flagsAvailable && !isFlagged(o))) continue;
    const key = `${o.from}\u001f${o.to}`;
    const pair = pairs.get(key) ?? { from: o.from, to: o.to, commentIds: [] };
    if (!pair.commentIds.includes(o.commentId)) pair.commentIds.push(o.commentId);
    pairs.set(key, pair);
  }
  return [...pairs.values()].filter((p) => p.commentIds.length >= threshold)
    .sort((a, b) => b.commentIds.length - a.commentIds.length || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
