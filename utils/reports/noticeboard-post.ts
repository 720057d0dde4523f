import { z } from 'zod';
import { isAllowedEndpointUrl, type NoticeboardDestination } from './destinations';
import type { FetchFn } from './history';
import { findExistingReport, type NoticeboardSection } from './noticeboard';
import { parseRetryAfter, PermanentReasonSchema, RetryReasonSchema, type PermanentReason, type RetryReason, type SendOutcome } from './outbox';
import type { NoticeboardReceipt } from './receipt';
import { isEmergency, MAX_TITLE_CHARS, type Report } from './schema';

/**
 * Delivery to a PUBLIC noticeboard through the wiki's Action API, Twinkle-style: a new section posted with the
 * user's own wiki session (cookies) and a CSRF token, `assert=user` so a logged-out session fails instead of
 * posting under an IP address. Exactly once: the section carries an invisible marker with the report's
 * idempotency key, and every attempt first looks for that marker on the page — found means already delivered
 * (a crash after the wiki saved the edit but before Kalkan recorded it), so no attempt ever adds a second section.
 * Reads of the page are public and made without cookies; only the token, the user check and the edit use them.
 * Pure apart from the injected fetch; never throws for delivery problems (every result is a SendOutcome).
 */

/** One Action API request; ANI-sized pages (~1 MB of wikitext) arrive well within it. */
export const WIKI_REQUEST_TIMEOUT_MS = 30_000;
/** Revisions of the noticeboard searched for the edit that carries a found marker's tag (the API's maximum). */
export const MARKER_HISTORY_LIMIT = 500;
/** Characters of the idempotency key put in the edit summary: enough to tell one user's reports apart. */
export const SUMMARY_TAG_CHARS = 8;
/** MediaWiki cuts edit summaries at 500 bytes; a long title is clipped before that so the tag survives. */
export const MAX_SUMMARY_CHARS = 400;
export const MAX_SECTION_TITLE_CHARS = 200;
/** Largest section body Kalkan posts (MediaWiki's default page limit is 2 MiB for the whole page). */
export const MAX_SECTION_TEXT_CHARS = 200_000;

const API_USER_AGENT = 'Kalkan/0.1 (browser extension; talk-page safety tools)';
/** An idempotency key that is safe inside an HTML comment and a summary (Kalkan makes UUIDs). */
const SAFE_KEY = /^[A-Za-z0-9-]{8,64}$/;

/** The exact section the user confirmed; stored with the outbox entry so every attempt posts the same text. */
export const NoticeboardPostSchema = z.object({
  sectionTitle: z.string().min(1).max(MAX_SECTION_TITLE_CHARS),
  /** Section body with the marker, ending in ~~~~ (the wiki signs it on save). */
  text: z.string().min(1).max(MAX_SECTION_TEXT_CHARS),
  summary: z.string().min(1).max(MAX_SUMMARY_CHARS + 100),
});
export type NoticeboardPost = z.infer<typeof NoticeboardPostSchema>;

export function reportMarker(idempotencyKey: string): string {
  return `<!-- kalkan-report: ${idempotencyKey} -->`;
}

export function summaryTag(idempotencyKey: string): string {
  return `kalkan:${idempotencyKey.slice(0, SUMMARY_TAG_CHARS)}`;
}

/**
 * Adds the marker (first line of the body) and the tagged summary ("/* title *\/ text (kalkan:1a2b3c4d)", the
 * section link MediaWiki itself writes) to a built section. `summaryText` is the wiki-language summary.
 */
export function withMarker(section: NoticeboardSection, idempotencyKey: string, summaryText: string): NoticeboardPost {
  if (!SAFE_KEY.test(idempotencyKey)) throw new Error('The idempotency key must be 8–64 letters, digits or hyphens.');
  const sectionTitle = clip(section.title, MAX_SECTION_TITLE_CHARS);
  const summary = `${clip(`/* ${sectionTitle} */ ${summaryText}`, MAX_SUMMARY_CHARS)} (${summaryTag(idempotencyKey)})`;
  return NoticeboardPostSchema.parse({ sectionTitle, text: `${reportMarker(idempotencyKey)}\n${section.text}`, summary });
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// ---- URLs ------------------------------------------------------------------------------------------------------

/** A noticeboard's wiki id is origin + script path (e.g. https://en.wikipedia.org/w); https only, loopback excepted. */
export function isAllowedWikiId(wikiId: string): boolean {
  if (!isAllowedEndpointUrl(wikiId)) return false;
  const url = new URL(wikiId);
  return !url.search && !url.hash && !/\.php$/.test(url.pathname);
}

export function apiUrlOf(wikiId: string): string {
  return `${wikiId.replace(/\/+$/, '')}/api.php`;
}

function indexUrl(wikiId: string, params: Record<string, string>): string {
  return `${wikiId.replace(/\/+$/, '')}/index.php?${new URLSearchParams(params).toString()}`;
}

/**
 * The fragment MediaWiki gives a heading ($wgFragmentMode html5): the rendered text with spaces as underscores.
 * Wikitext in a heading is reduced to its visible text (links to their label, bold/italic quotes and tags
 * dropped); templates cannot be rendered here, so such headings may link to the page top instead.
 */
export function sectionAnchor(heading: string): string {
  return heading
    .replace(/\[\[(?:[^|\]]*\|)?([^\]]*)\]\]/g, '$1')
    .replace(/'{2,}/g, '')
    .replace(/<[^>]*>/g, '')
    .trim()
    .replace(/\s+/g, '_');
}

/** Headings of level 2–6 in page order, as findExistingReport reads them. */
function headings(wikitext: string): string[] {
  const out: string[] = [];
  for (const line of wikitext.split('\n')) {
    const match = /^(={2,6})\s*(.+?)\s*\1\s*$/.exec(line);
    if (match?.[2]) out.push(match[2]);
  }
  return out;
}

/** A second "== X ==" on a page gets the anchor X_2, a third X_3 (MediaWiki's rule), so count those before ours. */
function newSectionAnchor(wikitextBefore: string, sectionTitle: string): string {
  const anchor = sectionAnchor(sectionTitle);
  const same = headings(wikitextBefore).filter((heading) => sectionAnchor(heading) === anchor).length;
  return same === 0 ? anchor : `${anchor}_${same + 1}`;
}

export function sectionLink(wikiId: string, pageTitle: string, heading: string): string {
  return `${indexUrl(wikiId, { title: pageTitle.replace(/ /g, '_') })}#${encodeURIComponent(sectionAnchor(heading))}`;
}

/** The wiki as people name it in a sentence ("en.wikipedia.org", "localhost:8911"). */
export function hostOf(wikiId: string): string {
  try {
    return new URL(wikiId).host;
  } catch {
    return wikiId; // shown as typed; posting refuses such an address anyway
  }
}

export function loginUrl(wikiId: string, returnTo: string): string {
  return indexUrl(wikiId, { title: 'Special:UserLogin', returnto: returnTo.replace(/ /g, '_') });
}

// ---- Action API answers (formatversion=2) ------------------------------------------------------------------------

const ApiErrorSchema = z.object({ error: z.object({ code: z.string(), info: z.string().optional() }) });

const PageAnswerSchema = z.object({
  query: z.object({
    pages: z
      .array(
        z.object({
          title: z.string(),
          missing: z.boolean().optional(),
          invalid: z.boolean().optional(),
          revisions: z
            .array(z.object({ revid: z.number().int(), slots: z.object({ main: z.object({ content: z.string() }) }) }))
            .optional(),
        }),
      )
      .min(1),
  }),
});

const SessionAnswerSchema = z.object({
  query: z.object({
    tokens: z.object({ csrftoken: z.string().min(1) }),
    userinfo: z.object({ id: z.number().int(), name: z.string(), anon: z.boolean().optional() }),
  }),
});

const HistoryAnswerSchema = z.object({
  query: z.object({
    pages: z
      .array(z.object({ revisions: z.array(z.object({ revid: z.number().int(), comment: z.string().optional(), user: z.string().optional() })).optional() }))
      .min(1),
  }),
});

const EditAnswerSchema = z.object({
  edit: z.object({
    result: z.string(),
    newrevid: z.number().int().optional(),
    newtimestamp: z.string().optional(),
    title: z.string().optional(),
    /** ConfirmEdit asks for a CAPTCHA this way (no error object). */
    captcha: z.unknown().optional(),
    /** AbuseFilter and SpamBlacklist failures. */
    code: z.string().optional(),
    info: z.string().optional(),
    warning: z.string().optional(),
  }),
});

type ApiResult = { ok: true; json: unknown; response: Response } | { ok: false; outcome: SendOutcome };

interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  now: () => number;
}

/**
 * One API request. `credentials` is the point: 'omit' for public reads (they must not reveal who is looking),
 * 'include' for the token, the user check and the edit (the user's own session on that wiki).
 */
async function apiRequest(
  fetchFn: FetchFn,
  apiUrl: string,
  params: Record<string, string>,
  how: { method: 'GET' | 'POST'; credentials: 'omit' | 'include' },
  options: RequestOptions,
): Promise<ApiResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? WIKI_REQUEST_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const query = new URLSearchParams({ format: 'json', formatversion: '2', ...params });
  let response: Response;
  try {
    response = await fetchFn(how.method === 'GET' ? `${apiUrl}?${query.toString()}` : apiUrl, {
      method: how.method,
      headers: {
        'Api-User-Agent': API_USER_AGENT,
        ...(how.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: how.method === 'POST' ? query.toString() : undefined,
      credentials: how.credentials,
      // api.php does not redirect; one that does may be a login wall or a captive portal, never the wiki's answer.
      redirect: 'manual',
      cache: 'no-store',
      signal,
    });
  } catch {
    if (timeout.aborted) return failRetry('kalkan-report-retry-timeout', null, null);
    if (options.signal?.aborted) return failRetry('kalkan-report-retry-interrupted', null, null);
    return failRetry('kalkan-report-retry-network', null, null);
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    return { ok: false, outcome: { kind: 'permanent', reason: 'kalkan-report-error-redirect', httpStatus: response.status || null } };
  }
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now());
  if (response.status === 429) return failRetry('kalkan-report-retry-wiki-busy', 429, retryAfterMs);
  if (response.status >= 500 || response.status === 408) return failRetry('kalkan-report-retry-server', response.status, retryAfterMs);
  if (!response.ok) {
    return { ok: false, outcome: { kind: 'permanent', reason: 'kalkan-report-error-wiki-refused', httpStatus: response.status, detail: `HTTP ${response.status}` } };
  }
  try {
    return { ok: true, json: await response.json(), response };
  } catch {
    return failRetry('kalkan-report-retry-bad-response', response.status, null);
  }
}

function failRetry(reason: RetryReason, httpStatus: number | null, retryAfterMs: number | null): { ok: false; outcome: SendOutcome } {
  return { ok: false, outcome: { kind: 'retry', reason, httpStatus, retryAfterMs } };
}

/** Action API error codes (MediaWiki core, CentralAuth, GlobalBlocking, ConfirmEdit) and what they mean for us. */
const PERMANENT_BY_CODE: Readonly<Record<string, PermanentReason>> = {
  assertuserfailed: 'kalkan-report-error-not-logged-in',
  assertnameduserfailed: 'kalkan-report-error-not-logged-in',
  notloggedin: 'kalkan-report-error-not-logged-in',
  protectedpage: 'kalkan-report-error-protected',
  cascadeprotected: 'kalkan-report-error-protected',
  protectednamespace: 'kalkan-report-error-protected',
  'protectednamespace-interface': 'kalkan-report-error-protected',
  protectedtitle: 'kalkan-report-error-protected',
  permissiondenied: 'kalkan-report-error-permission-denied',
  writeapidenied: 'kalkan-report-error-permission-denied',
  noedit: 'kalkan-report-error-permission-denied',
  'noedit-anon': 'kalkan-report-error-not-logged-in',
  blocked: 'kalkan-report-error-blocked',
  autoblocked: 'kalkan-report-error-blocked',
  globalblocking: 'kalkan-report-error-blocked',
  'globalblocking-blockedtext': 'kalkan-report-error-blocked',
  missingtitle: 'kalkan-report-error-page-missing',
  invalidtitle: 'kalkan-report-error-page-missing',
};
const RETRY_BY_CODE: Readonly<Record<string, RetryReason>> = {
  ratelimited: 'kalkan-report-retry-wiki-busy',
  maxlag: 'kalkan-report-retry-wiki-busy',
  readonly: 'kalkan-report-retry-wiki-readonly',
};

/** Maps an API error object to an outcome. badtoken is handled by the caller (refetch once). */
export function outcomeForApiError(code: string, info: string | undefined, retryAfterMs: number | null): SendOutcome {
  const retry = RETRY_BY_CODE[code] ?? (code.startsWith('internal_api_error') ? 'kalkan-report-retry-server' : undefined);
  if (retry) return { kind: 'retry', reason: retry, httpStatus: null, retryAfterMs };
  if (code === 'badtoken') return { kind: 'retry', reason: 'kalkan-report-retry-session', httpStatus: null, retryAfterMs: null };
  // Anything else (abuse filters, spam blacklist, a wiki's own extensions) is the wiki refusing this text: say what it said.
  const reason = PERMANENT_BY_CODE[code] ?? 'kalkan-report-error-wiki-refused';
  return { kind: 'permanent', reason, httpStatus: null, detail: info ? `${code}: ${info}` : code };
}

// ---- reading the page and the session ------------------------------------------------------------------------------

export interface NoticeboardPage {
  /** As the wiki normalised it. */
  title: string;
  exists: boolean;
  revid: number | null;
  wikitext: string;
}

type PageRead = { ok: true; page: NoticeboardPage } | { ok: false; outcome: SendOutcome };

export async function readNoticeboardPage(fetchFn: FetchFn, wikiId: string, page: string, options: RequestOptions): Promise<PageRead> {
  const answer = await apiRequest(
    fetchFn,
    apiUrlOf(wikiId),
    { action: 'query', prop: 'revisions', titles: page, rvslots: 'main', rvprop: 'content|ids' },
    { method: 'GET', credentials: 'omit' },
    options,
  );
  if (!answer.ok) return answer;
  const error = ApiErrorSchema.safeParse(answer.json);
  if (error.success) return { ok: false, outcome: outcomeForApiError(error.data.error.code, error.data.error.info, null) };
  const parsed = PageAnswerSchema.safeParse(answer.json);
  if (!parsed.success) return failRetry('kalkan-report-retry-bad-response', answer.response.status, null);
  const found = parsed.data.query.pages[0];
  if (!found || found.invalid) {
    return { ok: false, outcome: { kind: 'permanent', reason: 'kalkan-report-error-page-missing', httpStatus: null, detail: page } };
  }
  const revision = found.revisions?.[0];
  return {
    ok: true,
    page: { title: found.title, exists: !found.missing, revid: revision?.revid ?? null, wikitext: revision?.slots.main.content ?? '' },
  };
}

export interface WikiSession {
  loggedIn: boolean;
  /** The account name, or the IP address the wiki sees when logged out. */
  name: string;
  csrfToken: string;
}

type SessionRead = { ok: true; session: WikiSession } | { ok: false; outcome: SendOutcome };

export async function readSession(fetchFn: FetchFn, wikiId: string, options: RequestOptions): Promise<SessionRead> {
  const answer = await apiRequest(
    fetchFn,
    apiUrlOf(wikiId),
    { action: 'query', meta: 'tokens|userinfo', type: 'csrf' },
    { method: 'GET', credentials: 'include' },
    options,
  );
  if (!answer.ok) return answer;
  const parsed = SessionAnswerSchema.safeParse(answer.json);
  if (!parsed.success) return failRetry('kalkan-report-retry-bad-response', answer.response.status, null);
  const { tokens, userinfo } = parsed.data.query;
  // A logged-out session gets the constant token "+\"; id 0 and `anon` say the same.
  const loggedIn = userinfo.id > 0 && !userinfo.anon && tokens.csrftoken !== '+\\';
  return { ok: true, session: { loggedIn, name: userinfo.name, csrfToken: tokens.csrftoken } };
}

// ---- the check shown before posting -----------------------------------------------------------------------------------

export const NoticeboardCheckSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    pageTitle: z.string(),
    pageExists: z.boolean(),
    /** Sections that already mention one of the reported users, with a link to each. */
    existing: z.array(z.object({ heading: z.string(), url: z.string() })),
    loggedIn: z.boolean(),
    /** Account name when logged in, else null (the IP address the wiki sees is not shown back). */
    userName: z.string().nullable(),
    loginUrl: z.string(),
  }),
  z.object({ ok: z.literal(false), reason: z.union([PermanentReasonSchema, RetryReasonSchema]), detail: z.string().nullable() }),
]);
export type NoticeboardCheck = z.infer<typeof NoticeboardCheckSchema>;

/**
 * What the confirmation shows before anything is posted: is the user logged in to that wiki (and as whom), does
 * the page exist, and do any of its sections already concern the reported users.
 */
export async function checkNoticeboard(
  fetchFn: FetchFn,
  destination: NoticeboardDestination,
  users: readonly string[],
  options: Partial<RequestOptions> = {},
): Promise<NoticeboardCheck> {
  if (!isAllowedWikiId(destination.wikiId)) return { ok: false, reason: 'kalkan-report-error-insecure-destination', detail: destination.wikiId };
  const requestOptions: RequestOptions = { ...options, now: options.now ?? Date.now };
  const [page, session] = await Promise.all([
    readNoticeboardPage(fetchFn, destination.wikiId, destination.page, requestOptions),
    readSession(fetchFn, destination.wikiId, requestOptions),
  ]);
  if (!page.ok || !session.ok) {
    const failed = !page.ok ? page.outcome : !session.ok ? session.outcome : null;
    if (failed?.kind === 'permanent') return { ok: false, reason: failed.reason, detail: failed.detail ?? null };
    return { ok: false, reason: failed?.kind === 'retry' ? failed.reason : 'kalkan-report-retry-bad-response', detail: null };
  }
  const duplicate = findExistingReport(page.page.wikitext, users);
  return {
    ok: true,
    pageTitle: page.page.title,
    pageExists: page.page.exists,
    existing: duplicate.sections.map((heading) => ({ heading, url: sectionLink(destination.wikiId, page.page.title, heading) })),
    loggedIn: session.session.loggedIn,
    userName: session.session.loggedIn ? session.session.name : null,
    loginUrl: loginUrl(destination.wikiId, page.page.title),
  };
}

// ---- posting ----------------------------------------------------------------------------------------------------------

export interface PostInput {
  destination: NoticeboardDestination;
  report: Report;
  post: NoticeboardPost;
  idempotencyKey: string;
}

export interface PostOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  now?: () => number;
}

function receiptFor(input: PostInput, pageTitle: string, revid: number, anchor: string, postedAs: string | null, postedAt: string, foundBy: NoticeboardReceipt['foundBy']): NoticeboardReceipt {
  const { wikiId } = input.destination;
  return {
    status: 'posted',
    reportId: input.report.reportId,
    revid,
    pageTitle: pageTitle.slice(0, MAX_TITLE_CHARS),
    sectionTitle: input.post.sectionTitle,
    permalink: `${indexUrl(wikiId, { title: pageTitle.replace(/ /g, '_'), oldid: String(revid) })}#${encodeURIComponent(anchor)}`,
    diffUrl: indexUrl(wikiId, { diff: 'prev', oldid: String(revid) }),
    postedAs,
    postedAt,
    foundBy,
  };
}

/** The marker is on the page: find the edit that put it there from the tag in its summary (public history). */
async function receiptFromMarker(fetchFn: FetchFn, input: PostInput, page: NoticeboardPage, options: RequestOptions): Promise<SendOutcome> {
  const tag = summaryTag(input.idempotencyKey);
  const history = await apiRequest(
    fetchFn,
    apiUrlOf(input.destination.wikiId),
    { action: 'query', prop: 'revisions', titles: page.title, rvprop: 'ids|comment|user', rvlimit: String(MARKER_HISTORY_LIMIT) },
    { method: 'GET', credentials: 'omit' },
    options,
  );
  const parsed = history.ok ? HistoryAnswerSchema.safeParse(history.json) : null;
  const revisions = parsed?.success ? (parsed.data.query.pages[0]?.revisions ?? []) : [];
  const tagged = revisions.find((revision) => revision.comment?.includes(tag));
  const postedAt = new Date(options.now()).toISOString();
  // Even without the tagged revision the report IS on the page: never post again; the page's revision stands in.
  const revid = tagged?.revid ?? page.revid;
  if (revid === null) return { kind: 'retry', reason: 'kalkan-report-retry-bad-response', httpStatus: null, retryAfterMs: null };
  const anchor = sectionAnchor(input.post.sectionTitle);
  return { kind: 'sent', receipt: receiptFor(input, page.title, revid, anchor, tagged?.user ?? null, postedAt, tagged ? 'marker' : 'marker-current') };
}

/**
 * One delivery attempt: look for the marker, get a token, post the section (refetching the token once on
 * badtoken), and map the answer. The marker check runs before EVERY post, so an attempt whose answer was lost
 * (timeout, killed worker, unreadable reply) is recognised on the next one.
 */
export async function postNoticeboardSection(fetchFn: FetchFn, input: PostInput, options: PostOptions = {}): Promise<SendOutcome> {
  const { destination, report, post, idempotencyKey } = input;
  if (isEmergency(report.harm)) return { kind: 'permanent', reason: 'kalkan-report-error-emergency-public', httpStatus: null };
  if (!isAllowedWikiId(destination.wikiId)) return { kind: 'permanent', reason: 'kalkan-report-error-insecure-destination', httpStatus: null };
  if (!post.text.includes(reportMarker(idempotencyKey))) {
    // Without its marker a lost answer could not be recognised later: refuse rather than risk a second section.
    return { kind: 'permanent', reason: 'kalkan-report-error-invalid', httpStatus: null, detail: 'marker missing' };
  }
  const requestOptions: RequestOptions = { signal: options.signal, timeoutMs: options.timeoutMs, now: options.now ?? Date.now };

  const page = await readNoticeboardPage(fetchFn, destination.wikiId, destination.page, requestOptions);
  if (!page.ok) return page.outcome;
  if (!page.page.exists) return { kind: 'permanent', reason: 'kalkan-report-error-page-missing', httpStatus: null, detail: page.page.title };
  if (page.page.wikitext.includes(reportMarker(idempotencyKey))) return receiptFromMarker(fetchFn, input, page.page, requestOptions);
  const anchor = newSectionAnchor(page.page.wikitext, post.sectionTitle);

  for (let tokenTry = 0; tokenTry < 2; tokenTry += 1) {
    const session = await readSession(fetchFn, destination.wikiId, requestOptions);
    if (!session.ok) return session.outcome;
    // Never post for a logged-out user: the edit would be saved under their IP address, for everyone to see.
    if (!session.session.loggedIn) return { kind: 'permanent', reason: 'kalkan-report-error-not-logged-in', httpStatus: null };
    const answer = await apiRequest(
      fetchFn,
      apiUrlOf(destination.wikiId),
      {
        action: 'edit',
        title: page.page.title,
        section: 'new',
        sectiontitle: post.sectionTitle,
        text: post.text,
        summary: post.summary,
        // Only an existing noticeboard: a typo in settings must not create a new public page.
        nocreate: '1',
        assert: 'user',
        // The token goes last: a body cut short in transit then lacks it and is refused, not half-posted.
        token: session.session.csrfToken,
      },
      { method: 'POST', credentials: 'include' },
      requestOptions,
    );
    if (!answer.ok) return answer.outcome;
    const error = ApiErrorSchema.safeParse(answer.json);
    if (error.success) {
      // A token that went stale (session renewed in another tab) is fetched again, once.
      if (error.data.error.code === 'badtoken' && tokenTry === 0) continue;
      const retryAfterMs = parseRetryAfter(answer.response.headers.get('retry-after'), requestOptions.now());
      return outcomeForApiError(error.data.error.code, error.data.error.info, retryAfterMs);
    }
    const edit = EditAnswerSchema.safeParse(answer.json);
    if (!edit.success) return { kind: 'retry', reason: 'kalkan-report-retry-bad-response', httpStatus: answer.response.status, retryAfterMs: null };
    const result = edit.data.edit;
    if (result.result === 'Success' && result.newrevid) {
      const postedAt = result.newtimestamp && !Number.isNaN(Date.parse(result.newtimestamp)) ? new Date(result.newtimestamp).toISOString() : new Date(requestOptions.now()).toISOString();
      return { kind: 'sent', receipt: receiptFor(input, result.title ?? page.page.title, result.newrevid, anchor, session.session.name, postedAt, 'edit') };
    }
    if (result.captcha !== undefined) return { kind: 'permanent', reason: 'kalkan-report-error-captcha', httpStatus: null };
    const detail = [result.code, result.info ?? result.warning].filter(Boolean).join(': ') || result.result;
    return { kind: 'permanent', reason: 'kalkan-report-error-wiki-refused', httpStatus: null, detail };
  }
  return { kind: 'retry', reason: 'kalkan-report-retry-session', httpStatus: null, retryAfterMs: null };
}
