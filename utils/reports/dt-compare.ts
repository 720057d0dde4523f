import { z } from 'zod';
import {
  byTime,
  earliestByAuthor,
  findAddingRevision,
  isByAuthor,
  listWindowRevisions,
  originOf,
  type FetchFn,
  type HistoryRevision,
} from './history';
import type { OriginRevision } from './schema';

/**
 * Confirms which revision added a comment with DiscussionTools' own comment diff, `action=discussiontoolscompare`.
 * Read in wikimedia/mediawiki-extensions-DiscussionTools: includes/ApiDiscussionToolsCompare.php (parameters
 * `fromrev`|`fromtitle` and `torev`|`totitle`, exactly one of each; read-only, no token, marked internal; the answer
 * is `discussiontoolscompare: {fromrevid, fromtitle, torevid, totitle, removedcomments, addedcomments}`), the
 * comments in those lists from ThreadItem/CommentItemTrait::jsonSerializeForDiff (`type`, `level`, `id`, `name`,
 * `author`, `timestamp`, `headingId`, `subscribableHeadingId`), and tests/phpunit/ApiDiscussionToolsCompareTest.php.
 * DiscussionTools' own new-comment polling (modules/CommentController.js) calls it the same way, as a GET.
 *
 * The history search alone takes the author's earliest edit in the signature's minute; that is wrong when the
 * author saved several edits in that minute, when someone else's edit made the comment (an unsigned-comment bot,
 * a thread moved by another user), or when the signature's time is not the save time (a hand-typed or pasted
 * signature, so an unrelated edit by the author comes first). Compare answers which edit added the comment id.
 * Every failure here falls back to the history search: confirmation is an improvement, never a condition.
 */

/** Revisions of the search window considered per comment (the author's first, then everyone else's). */
export const MAX_DT_CANDIDATES = 6;
/** Compare requests per comment: each one makes the wiki parse two revisions (Parsoid), so keep it small. */
export const MAX_DT_COMPARE_REQUESTS = 4;
/** Compare requests per capture (a thread heading captures up to 50 comments; answers are shared between them). */
export const MAX_DT_COMPARE_REQUESTS_PER_CAPTURE = 20;
/** A long talk page can take Parsoid several seconds per revision. */
export const DT_COMPARE_TIMEOUT_MS = 15_000;

/** Codes for an unknown `action` value: `badvalue` (MediaWiki ≥ 1.35), `unknown_action` (older). */
const MODULE_MISSING_CODES: ReadonlySet<string> = new Set(['badvalue', 'unknown_action']);
/** Codes after which further requests only add load: the wiki asked us to slow down. */
const BACK_OFF_CODES: ReadonlySet<string> = new Set(['ratelimited', 'maxlag', 'readonly']);

const DtCommentSchema = z
  .object({
    type: z.string(),
    id: z.string(),
    name: z.string().optional(),
    author: z.string().optional(),
    timestamp: z.string().optional(),
  })
  .loose();
export type DtComment = z.infer<typeof DtCommentSchema>;

const DtCompareAnswerSchema = z
  .object({
    discussiontoolscompare: z
      .object({
        fromrevid: z.number().int(),
        torevid: z.number().int(),
        addedcomments: z.array(DtCommentSchema),
        removedcomments: z.array(DtCommentSchema),
      })
      .loose()
      .optional(),
    error: z.object({ code: z.string(), info: z.string().optional() }).loose().optional(),
  })
  .loose();

/** One compare, as the confirmation needs it. Network failures are thrown (TypeError, timeout) and caught above. */
export type CompareResult =
  | { kind: 'answer'; added: DtComment[] }
  | { kind: 'module-missing'; code: string }
  | { kind: 'api-error'; code: string; backOff: boolean }
  | { kind: 'http-error'; status: number }
  | { kind: 'bad-shape'; detail: string };

export interface DtCompareSessionOptions {
  apiUrl: string;
  /** Must send no cookies: the lookups must not reveal who is reporting. */
  fetchFn: FetchFn;
  signal?: AbortSignal;
  /** Defaults to MAX_DT_COMPARE_REQUESTS_PER_CAPTURE. */
  maxRequests?: number;
}

/**
 * Compare requests for one capture: answers cached per revision pair (one answer lists every comment an edit
 * added, so a thread's comments usually share it), one request budget, and a stop once the wiki has shown it
 * lacks the module, is unreachable or asked us to back off.
 */
export class DtCompareSession {
  readonly apiUrl: string;
  readonly fetchFn: FetchFn;
  readonly signal: AbortSignal | undefined;
  private readonly maxRequests: number;
  private readonly answers = new Map<string, Promise<CompareResult>>();
  private requests = 0;
  /** Why no more requests are made in this session, or null while they are. */
  stopped: string | null = null;
  /** The wiki answered that it has no such module: nothing in this session can be confirmed. */
  moduleMissing = false;

  constructor(options: DtCompareSessionOptions) {
    this.apiUrl = options.apiUrl;
    this.fetchFn = options.fetchFn;
    this.signal = options.signal;
    this.maxRequests = options.maxRequests ?? MAX_DT_COMPARE_REQUESTS_PER_CAPTURE;
  }

  get requestsMade(): number {
    return this.requests;
  }

  isCached(fromrev: number, torev: number): boolean {
    return this.answers.has(`${fromrev}:${torev}`);
  }

  /** Null when the session may not make this request (stopped, or its budget is spent). */
  compare(fromrev: number, torev: number): Promise<CompareResult> | null {
    const key = `${fromrev}:${torev}`;
    const cached = this.answers.get(key);
    if (cached) return cached;
    if (this.stopped !== null) return null;
    if (this.requests >= this.maxRequests) return null;
    this.requests += 1;
    const pending = this.request(fromrev, torev);
    this.answers.set(key, pending);
    return pending;
  }

  private async request(fromrev: number, torev: number): Promise<CompareResult> {
    const url = new URL(this.apiUrl);
    const params: Record<string, string> = {
      action: 'discussiontoolscompare',
      format: 'json',
      formatversion: '2',
      fromrev: String(fromrev),
      torev: String(torev),
      // The extension's requests come from its own origin; origin=* asks for an anonymous CORS answer.
      origin: '*',
    };
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const signals = [AbortSignal.timeout(DT_COMPARE_TIMEOUT_MS)];
    if (this.signal) signals.push(this.signal);
    let response: Response;
    try {
      response = await this.fetchFn(url.toString(), { signal: AbortSignal.any(signals) });
    } catch (error) {
      this.stopped ??= `the wiki could not be reached (${describe(error)})`;
      throw error;
    }
    if (!response.ok) {
      this.stopped ??= `the wiki answered HTTP ${response.status}`;
      return { kind: 'http-error', status: response.status };
    }
    const parsed = DtCompareAnswerSchema.safeParse(await response.json());
    if (!parsed.success) return { kind: 'bad-shape', detail: parsed.error.message };
    const { error, discussiontoolscompare: answer } = parsed.data;
    if (error) {
      if (MODULE_MISSING_CODES.has(error.code)) {
        this.moduleMissing = true;
        this.stopped ??= `the wiki has no discussiontoolscompare module (${error.code})`;
        return { kind: 'module-missing', code: error.code };
      }
      const backOff = BACK_OFF_CODES.has(error.code);
      if (backOff) this.stopped ??= `the wiki asked to slow down (${error.code})`;
      return { kind: 'api-error', code: error.code, backOff };
    }
    if (!answer) return { kind: 'bad-shape', detail: 'no discussiontoolscompare member' };
    if (answer.fromrevid !== fromrev || answer.torevid !== torev) {
      return { kind: 'bad-shape', detail: `answer is for ${answer.fromrevid}→${answer.torevid}` };
    }
    return { kind: 'answer', added: answer.addedcomments };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * How an added comment relates to ours. The id is exact; the name (`c-<author>-<time>`, DiscussionTools'
 * CommentParser::computeName) is the start of every id and survives a change of parent or heading, but the
 * author's other comments of the same minute share it — so a name only counts when no id matched.
 */
export function matchAddedComment(added: DtComment, commentId: string): 'id' | 'name' | null {
  if (added.type !== 'comment') return null;
  if (added.id === commentId) return 'id';
  if (added.name && added.name.length > 2 && (commentId === added.name || commentId.startsWith(`${added.name}-`))) return 'name';
  return null;
}

/** The author's revisions first (the likeliest), then everyone else's; each group oldest first. */
export function orderCandidates(revisions: readonly HistoryRevision[], author: string): HistoryRevision[] {
  const own = revisions.filter((revision) => isByAuthor(revision, author)).sort(byTime);
  const others = revisions.filter((revision) => !isByAuthor(revision, author)).sort(byTime);
  return [...own, ...others].slice(0, MAX_DT_CANDIDATES);
}

export const DT_STATUSES = ['confirmed', 'not-added', 'unavailable', 'failed', 'skipped'] as const;
export type DtStatus = (typeof DT_STATUSES)[number];

export interface ConfirmedOrigin {
  origin: OriginRevision | null;
  /**
   * confirmed: compare found the comment (origin.foundBy 'dt-compare'). not-added: the revisions compared did
   * not add it. unavailable: no compare module. failed: network or API errors. skipped: nothing to compare.
   * Anything but confirmed leaves the history search's answer.
   */
  status: DtStatus;
  /** Requests this comment made (cached answers not counted). */
  requests: number;
  /** For the log: what was checked and why the history search's answer was kept. */
  detail: string;
}

export interface ConfirmInput {
  title: string;
  author: string;
  /** Signature time, ISO 8601 UTC. */
  timestamp: string;
  /** DiscussionTools comment id (c-…) as the page carried it. */
  commentId: string;
  session: DtCompareSession;
}

function kept(fallback: OriginRevision | null): string {
  return fallback ? `kept the history search's r${fallback.revid}` : 'the history search found no revision either';
}

/**
 * The adding revision, confirmed by compare where possible. Throws only what the history listing throws
 * (HistorySearchError, network errors) and the caller's abort; compare problems become a status.
 */
export async function findConfirmedAddingRevision(input: ConfirmInput): Promise<ConfirmedOrigin> {
  const { session } = input;
  const historyInput = { apiUrl: session.apiUrl, title: input.title, timestamp: input.timestamp, fetchFn: session.fetchFn, signal: session.signal };
  const listing = await listWindowRevisions(historyInput);
  const ownFirst = earliestByAuthor(listing.revisions, input.author);
  let fallback: OriginRevision | null = ownFirst ? originOf(session.apiUrl, ownFirst, 'history-search') : null;
  // On a page too busy for the listing's budget, the author's edit may lie past it; the search by user finds it.
  if (!fallback && !listing.complete) fallback = await findAddingRevision({ ...historyInput, author: input.author });

  const candidates = orderCandidates(listing.revisions, input.author);
  let requests = 0;
  let compared = 0;
  let byName: HistoryRevision | null = null;
  const problems: string[] = [];
  /** A budget, not a failure: set when a limit ended the checks. */
  let limit: string | null = null;
  let unavailable = false;

  for (const candidate of candidates) {
    // A page creation has no parent to compare with; the history search covers that case.
    if (candidate.parentid === 0) continue;
    const cached = session.isCached(candidate.parentid, candidate.revid);
    // Out of requests, later candidates may still have an answer another comment of the capture fetched.
    if (!cached && requests >= MAX_DT_COMPARE_REQUESTS) {
      limit = `stopped after ${MAX_DT_COMPARE_REQUESTS} compare requests`;
      continue;
    }
    const pending = session.compare(candidate.parentid, candidate.revid);
    if (!pending) {
      if (session.moduleMissing) {
        unavailable = true;
        break;
      }
      if (session.stopped !== null) {
        problems.push(session.stopped);
        break;
      }
      limit = 'this capture has used its compare requests';
      continue;
    }
    if (!cached) requests += 1;
    let result: CompareResult;
    try {
      result = await pending;
    } catch (error) {
      if (session.signal?.aborted) throw error;
      problems.push(`r${candidate.revid}: ${describe(error)}`);
      break;
    }
    if (result.kind === 'module-missing') {
      unavailable = true;
      break;
    }
    if (result.kind !== 'answer') {
      problems.push(`r${candidate.revid}: ${result.kind === 'api-error' ? result.code : result.kind === 'http-error' ? `HTTP ${result.status}` : result.detail}`);
      if (session.stopped !== null) break;
      continue;
    }
    compared += 1;
    const matches = result.added.map((added) => matchAddedComment(added, input.commentId));
    if (matches.includes('id')) {
      const differs = fallback && fallback.revid !== candidate.revid ? ` (the history search alone would give r${fallback.revid})` : '';
      return {
        origin: originOf(session.apiUrl, candidate, 'dt-compare'),
        status: 'confirmed',
        requests,
        detail: `r${candidate.revid} added ${input.commentId}${differs}`,
      };
    }
    if (matches.includes('name')) byName ??= candidate;
  }

  if (byName) {
    return {
      origin: originOf(session.apiUrl, byName, 'dt-compare'),
      status: 'confirmed',
      requests,
      detail: `r${byName.revid} added a comment with the same author and time (its id has changed since)`,
    };
  }
  if (unavailable) {
    return { origin: fallback, status: 'unavailable', requests, detail: `this wiki has no discussiontoolscompare; ${kept(fallback)}` };
  }
  const notes = [...problems, ...(limit ? [limit] : [])].map((note) => `; ${note}`).join('');
  if (compared > 0) {
    return {
      origin: fallback,
      status: 'not-added',
      requests,
      detail: `none of the ${compared} revisions compared added ${input.commentId}${notes}; ${kept(fallback)}`,
    };
  }
  if (problems.length) return { origin: fallback, status: 'failed', requests, detail: `compare failed${notes}; ${kept(fallback)}` };
  const why = limit ?? 'no revision in the window to compare';
  return { origin: fallback, status: 'skipped', requests, detail: `${why}; ${kept(fallback)}` };
}

export interface CaptureOriginInput {
  title: string;
  author: string;
  timestamp: string;
  commentId: string | null;
  /** The page carried DiscussionTools' markers, so the wiki runs it and compare can be asked. */
  discussionTools: boolean;
  session: DtCompareSession;
}

/** The one entry point for a captured comment: compare where the wiki has DiscussionTools, else the history search. */
export async function findOriginForCapture(input: CaptureOriginInput): Promise<ConfirmedOrigin> {
  if (input.discussionTools && input.commentId) {
    return findConfirmedAddingRevision({ ...input, commentId: input.commentId });
  }
  const { session } = input;
  const origin = await findAddingRevision({
    apiUrl: session.apiUrl,
    title: input.title,
    author: input.author,
    timestamp: input.timestamp,
    fetchFn: session.fetchFn,
    signal: session.signal,
  });
  const why = input.discussionTools ? 'the comment has no DiscussionTools id' : 'the page had no DiscussionTools markers';
  return { origin, status: 'skipped', requests: 0, detail: `not compared: ${why}` };
}
