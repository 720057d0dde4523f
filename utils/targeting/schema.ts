import { z } from 'zod';

/**
 * Shapes of the interaction log (repeated targeting, issue 7). A content script observes who replied to or
 * mentioned whom on the page it runs on and sends `InteractionObservation`s; the background stores them as
 * `InteractionRecord`s in the extension-origin database, one per (wiki, comment id, kind, target), so visiting a
 * page again or a later revision of it never counts the same comment twice.
 */

export const MAX_USER_CHARS = 255;
export const MAX_TITLE_CHARS = 512;
export const MAX_COMMENT_ID_CHARS = 512;
/** A content script sends at most this many observations per request; bigger pages are sent in chunks. */
export const MAX_OBSERVATIONS_PER_REQUEST = 500;

const UserName = z.string().min(1).max(MAX_USER_CHARS);
const EpochMs = z.number().int().nonnegative();

export const InteractionKindSchema = z.enum(['reply', 'mention']);
export type InteractionKind = z.infer<typeof InteractionKindSchema>;

/**
 * What the harassment detector said about the comment, when the highlight capability exposes it. `null` means
 * "not assessed" (no detector on that page run), which is different from "assessed and not flagged" (no record
 * of a flag with `flagged: false`).
 */
export const InteractionFlagSchema = z.object({
  flagged: z.boolean(),
  /** Detector category, e.g. "insult", "threat"; free text so new detector categories need no migration. */
  category: z.string().min(1).max(64).nullable(),
  score: z.number().min(0).max(1).nullable(),
});
export type InteractionFlag = z.infer<typeof InteractionFlagSchema>;

export const InteractionObservationSchema = z.object({
  from: UserName,
  to: UserName,
  kind: InteractionKindSchema,
  commentId: z.string().min(1).max(MAX_COMMENT_ID_CHARS),
  /** Signature time of the comment, UTC epoch ms. */
  utcMs: EpochMs,
  flag: InteractionFlagSchema.nullable(),
});
export type InteractionObservation = z.infer<typeof InteractionObservationSchema>;

/** The page the observations come from (as the content script read it from the page's inline config). */
export const ObservedPageSchema = z.object({
  title: z.string().min(1).max(MAX_TITLE_CHARS),
  pageId: z.number().int().nonnegative().nullable(),
  revisionId: z.number().int().nonnegative().nullable(),
});
export type ObservedPage = z.infer<typeof ObservedPageSchema>;

export const InteractionRecordSchema = InteractionObservationSchema.extend({
  /** Dedup key: wikiId + comment id + kind + target (see interactionKey). */
  key: z.string().min(1),
  wikiId: z.string().min(1),
  /** Origin of the wiki (for links); the wiki id is origin + script path. */
  server: z.string().min(1),
  scriptPath: z.string(),
  contentLanguage: z.string().min(1).max(32),
  pageTitle: z.string().min(1).max(MAX_TITLE_CHARS),
  pageId: z.number().int().nonnegative().nullable(),
  /** The newest revision the comment was seen in (permalinks point there). */
  revisionId: z.number().int().nonnegative().nullable(),
  firstSeenAt: EpochMs,
  /** Retention counts from here: an entry not seen again for the retention period is deleted. */
  lastSeenAt: EpochMs,
});
export type InteractionRecord = z.infer<typeof InteractionRecordSchema>;

/** One key per comment and addressee and kind: a reply that also pings its parent's author counts twice, once each. */
export function interactionKey(wikiId: string, observation: Pick<InteractionObservation, 'commentId' | 'kind' | 'to'>): string {
  // U+001F (unit separator) cannot occur in user names, titles or comment ids, so the parts never run together.
  return [wikiId, observation.commentId, observation.kind, observation.to].join('\u001f');
}

/** Targeting settings, stored under the settings key "targeting". */
export const TargetingSettingSchema = z.object({
  /** Interactions not seen again for this many days are deleted (applied at start and daily). */
  retentionDays: z.number().int().min(1).max(3650),
  /** On-page indicator: one author addressed the same user at least this many times on the page. */
  pageThreshold: z.number().int().min(1).max(100),
});
export type TargetingSetting = z.infer<typeof TargetingSettingSchema>;
export const DEFAULT_TARGETING_SETTING: TargetingSetting = { retentionDays: 90, pageThreshold: 3 };

export interface RecordWiki {
  wikiId: string;
  server: string;
  scriptPath: string;
  contentLanguage: string;
}

/** Observations of one page as fresh log records (the CLI ranks a saved page this way; storage merges them). */
export function toRecords(wiki: RecordWiki, page: ObservedPage, observations: readonly InteractionObservation[], seenAt: number): InteractionRecord[] {
  return observations.map((o) => ({
    ...o, key: interactionKey(wiki.wikiId, o), ...wiki, pageTitle: page.title, pageId: page.pageId, revisionId: page.revisionId,
    firstSeenAt: seenAt, lastSeenAt: seenAt,
  }));
}

const RECORD_KEYS = 16;
const str = (v: unknown, min: number, max: number): boolean => typeof v === 'string' && v.length >= min && v.length <= max;
const epoch = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const idOrNull = (v: unknown): boolean => v === null || epoch(v);

/**
 * The hot path of validate-on-read: a hand-written check that accepts only what InteractionRecordSchema accepts
 * (tests/unit/targeting/schema.test.ts holds the two together). Zod without eval (extension pages forbid it) took
 * ~25 µs per record, most of the patroller view's budget on a 5,000-entry log; anything this rejects still goes
 * through the schema, so a record is never refused here that the schema would keep.
 */
export function isInteractionRecord(raw: unknown): raw is InteractionRecord {
  if (typeof raw !== 'object' || raw === null || Object.keys(raw).length !== RECORD_KEYS) return false;
  const r = raw as Record<string, unknown>;
  const flag = r.flag;
  if (flag !== null) {
    if (typeof flag !== 'object' || flag === undefined || Object.keys(flag).length !== 3) return false;
    const f = flag as Record<string, unknown>;
    if (typeof f.flagged !== 'boolean') return false;
    if (f.category !== null && !str(f.category, 1, 64)) return false;
    if (f.score !== null && !(typeof f.score === 'number' && f.score >= 0 && f.score <= 1)) return false;
  }
  return str(r.from, 1, MAX_USER_CHARS) && str(r.to, 1, MAX_USER_CHARS) && (r.kind === 'reply' || r.kind === 'mention')
    && str(r.commentId, 1, MAX_COMMENT_ID_CHARS) && epoch(r.utcMs) && str(r.key, 1, Infinity) && str(r.wikiId, 1, Infinity)
    && str(r.server, 1, Infinity) && typeof r.scriptPath === 'string' && str(r.contentLanguage, 1, 32)
    && str(r.pageTitle, 1, MAX_TITLE_CHARS) && idOrNull(r.pageId) && idOrNull(r.revisionId) && epoch(r.firstSeenAt) && epoch(r.lastSeenAt);
}
