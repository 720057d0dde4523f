import { z } from 'zod';
import type { OriginRevision } from './schema';

/**
 * Finds the revision that added a comment by reading the page history around the signature time: the earliest
 * revision by the same author at or just after it. Signatures are expanded when the edit is saved, so the
 * revision carries the signature's minute (or a later one when the save was slow or the signature was typed by
 * hand). Pure apart from the injected fetch; every request is bounded and cancellable. Where the wiki runs
 * DiscussionTools, dt-compare.ts confirms the answer from the same window of history.
 */

/** How far after the signature minute an adding revision may be. */
export const HISTORY_SEARCH_WINDOW_MS = 15 * 60_000;
/** Revisions per request (the API allows 500 for most users; 50 is plenty for a 15-minute window). */
export const HISTORY_PAGE_SIZE = 50;
/** Continuation requests per search, so a busy page cannot keep us fetching. */
export const MAX_HISTORY_REQUESTS = 3;
export const HISTORY_REQUEST_TIMEOUT_MS = 10_000;

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

const RevisionSchema = z.object({
  revid: z.number().int().positive(),
  parentid: z.number().int().nonnegative(),
  user: z.string().optional(),
  userhidden: z.boolean().optional(),
  timestamp: z.iso.datetime(),
});

const HistoryAnswerSchema = z.object({
  continue: z.object({ rvcontinue: z.string() }).loose().optional(),
  query: z
    .object({
      pages: z.array(
        z.object({
          pageid: z.number().int().optional(),
          missing: z.boolean().optional(),
          invalid: z.boolean().optional(),
          revisions: z.array(RevisionSchema).optional(),
        }),
      ),
    })
    .optional(),
  error: z.object({ code: z.string(), info: z.string().optional() }).optional(),
});

export interface HistorySearchInput {
  /** e.g. "https://en.wikipedia.org/w/api.php" */
  apiUrl: string;
  title: string;
  author: string;
  /** Signature time, ISO 8601 UTC. */
  timestamp: string;
  fetchFn: FetchFn;
  signal?: AbortSignal;
}

export class HistorySearchError extends Error {
  override name = 'HistorySearchError';
}

/** MediaWiki compares user names with underscores as spaces and a capital first letter (on most wikis). */
function sameUser(a: string, b: string): boolean {
  const norm = (name: string): string => {
    const spaced = name.replace(/_/g, ' ').trim();
    return spaced.charAt(0).toUpperCase() + spaced.slice(1);
  };
  return norm(a) === norm(b);
}

export function indexPhpFromApi(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (!url.pathname.endsWith('/api.php')) {
    throw new HistorySearchError(`Expected an api.php URL, got ${apiUrl}. Check the wiki's script path.`);
  }
  url.pathname = url.pathname.replace(/api\.php$/, 'index.php');
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** Diff of the revision against its parent; "diff=prev" for a page creation (parentid 0). */
export function buildDiffUrl(indexPhpUrl: string, revid: number, parentid: number): string {
  const url = new URL(indexPhpUrl);
  if (parentid > 0) {
    url.searchParams.set('diff', String(revid));
    url.searchParams.set('oldid', String(parentid));
  } else {
    url.searchParams.set('diff', 'prev');
    url.searchParams.set('oldid', String(revid));
  }
  return url.toString();
}

export interface PermalinkInput {
  indexPhpUrl: string;
  /** Article path URL with $1, e.g. "https://en.wikipedia.org/wiki/$1"; needed only for GoToComment. */
  articleUrlTemplate?: string;
  title: string;
  oldid: number;
  anchor: string | null;
  commentId: string | null;
}

export function buildPermalink(input: PermalinkInput): {
  url: string;
  oldid: number;
  anchor: string | null;
  goToCommentUrl: string | null;
} {
  const url = new URL(input.indexPhpUrl);
  url.searchParams.set('title', input.title.replace(/ /g, '_'));
  url.searchParams.set('oldid', String(input.oldid));
  if (input.anchor) url.hash = input.anchor;
  const goToCommentUrl =
    input.commentId && input.articleUrlTemplate
      ? input.articleUrlTemplate.replace('$1', `Special:GoToComment/${encodeURIComponent(input.commentId)}`)
      : null;
  return { url: url.toString(), oldid: input.oldid, anchor: input.anchor, goToCommentUrl };
}

function minuteFloor(ms: number): number {
  return ms - (ms % 60_000);
}

function toApiTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The stretch of history an adding revision may lie in: from the signature's minute to the window's end. */
export interface SearchWindow {
  start: number;
  end: number;
}

export function searchWindowOf(timestamp: string): SearchWindow {
  const signedAt = Date.parse(timestamp);
  if (Number.isNaN(signedAt)) throw new HistorySearchError(`"${timestamp}" is not an ISO time.`);
  const start = minuteFloor(signedAt);
  return { start, end: start + HISTORY_SEARCH_WINDOW_MS };
}

export type HistoryRevision = z.infer<typeof RevisionSchema>;

interface HistoryPage {
  /** The page does not exist (or the title is invalid). */
  missing: boolean;
  revisions: HistoryRevision[];
  rvcontinue: string | undefined;
}

/** One history request; `user` null lists every author's revisions. */
async function fetchHistoryPage(
  input: Omit<HistorySearchInput, 'author'>,
  span: SearchWindow,
  user: string | null,
  rvcontinue: string | undefined,
): Promise<HistoryPage> {
  const url = new URL(input.apiUrl);
  const params: Record<string, string> = {
    action: 'query',
    format: 'json',
    formatversion: '2',
    prop: 'revisions',
    titles: input.title,
    rvprop: 'ids|timestamp|user',
    rvdir: 'newer',
    rvstart: toApiTime(span.start),
    rvend: toApiTime(span.end),
    rvlimit: String(HISTORY_PAGE_SIZE),
    // The extension's requests come from its own origin; origin=* asks for an anonymous CORS answer.
    origin: '*',
  };
  if (user !== null) params.rvuser = user;
  if (rvcontinue) params.rvcontinue = rvcontinue;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);

  const signals = [AbortSignal.timeout(HISTORY_REQUEST_TIMEOUT_MS)];
  if (input.signal) signals.push(input.signal);
  const response = await input.fetchFn(url.toString(), { signal: AbortSignal.any(signals) });
  if (!response.ok) {
    throw new HistorySearchError(`The wiki answered ${response.status} to a history request; try again later.`);
  }
  const parsed = HistoryAnswerSchema.safeParse(await response.json());
  if (!parsed.success) {
    throw new HistorySearchError(`The wiki's history answer had an unexpected shape: ${parsed.error.message}`);
  }
  if (parsed.data.error) {
    throw new HistorySearchError(`The wiki refused the history request (${parsed.data.error.code}).`);
  }
  const page = parsed.data.query?.pages[0];
  if (!page || page.missing || page.invalid) return { missing: true, revisions: [], rvcontinue: undefined };
  const revisions = (page.revisions ?? []).filter((revision) => {
    const at = Date.parse(revision.timestamp);
    return at >= span.start && at <= span.end;
  });
  return { missing: false, revisions, rvcontinue: parsed.data.continue?.rvcontinue };
}

export function byTime(a: HistoryRevision, b: HistoryRevision): number {
  return Date.parse(a.timestamp) - Date.parse(b.timestamp) || a.revid - b.revid;
}

/** What the history search alone would pick: the earliest revision in the window by the comment's author. */
export function earliestByAuthor(revisions: readonly HistoryRevision[], author: string): HistoryRevision | undefined {
  return revisions.filter((revision) => isByAuthor(revision, author)).sort(byTime)[0];
}

export function isByAuthor(revision: HistoryRevision, author: string): boolean {
  return revision.user !== undefined && sameUser(revision.user, author);
}

export function originOf(apiUrl: string, revision: HistoryRevision, foundBy: OriginRevision['foundBy']): OriginRevision {
  return {
    revid: revision.revid,
    parentid: revision.parentid,
    diffUrl: buildDiffUrl(indexPhpFromApi(apiUrl), revision.revid, revision.parentid),
    foundBy,
  };
}

export interface WindowListing {
  /** Every author's revisions in the window, oldest first. */
  revisions: HistoryRevision[];
  /** False when MAX_HISTORY_REQUESTS ran out before the window did (a very busy page). */
  complete: boolean;
}

/**
 * Every revision in the search window, by anyone: the candidates DiscussionTools' compare can confirm (the edit
 * that added a comment is not always its author's — an unsigned-comment bot, a thread moved by someone else).
 */
export async function listWindowRevisions(input: Omit<HistorySearchInput, 'author'>): Promise<WindowListing> {
  const span = searchWindowOf(input.timestamp);
  // Refuse a URL that is not api.php before any request is made.
  indexPhpFromApi(input.apiUrl);
  const revisions: HistoryRevision[] = [];
  let rvcontinue: string | undefined;
  for (let request = 0; request < MAX_HISTORY_REQUESTS; request += 1) {
    const page = await fetchHistoryPage(input, span, null, rvcontinue);
    revisions.push(...page.revisions);
    rvcontinue = page.rvcontinue;
    if (page.missing || !rvcontinue) return { revisions: revisions.sort(byTime), complete: true };
  }
  return { revisions: revisions.sort(byTime), complete: false };
}

/**
 * Returns the adding revision, or null when none by this author lies in the window (hidden user names, a
 * signature copied from elsewhere, an edit made under another account).
 */
export async function findAddingRevision(input: HistorySearchInput): Promise<OriginRevision | null> {
  const span = searchWindowOf(input.timestamp);
  // Refuse a URL that is not api.php before any request is made.
  indexPhpFromApi(input.apiUrl);
  let rvcontinue: string | undefined;
  for (let request = 0; request < MAX_HISTORY_REQUESTS; request += 1) {
    const page = await fetchHistoryPage(input, span, input.author, rvcontinue);
    if (page.missing) return null;
    const found = earliestByAuthor(page.revisions, input.author);
    if (found) return originOf(input.apiUrl, found, 'history-search');
    rvcontinue = page.rvcontinue;
    if (!rvcontinue) return null;
  }
  return null;
}
