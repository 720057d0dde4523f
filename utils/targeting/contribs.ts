import { z } from 'zod';

/**
 * A paging client for list=usercontribs (the API side of the interaction timeline). The fetch is injected, so
 * the same code runs in the patroller page (the browser's fetch, no cookies), in Node scripts and in unit tests
 * on recorded answers. Every answer is validated with zod; rate limits are honoured instead of hammered:
 * `maxlag` and `ratelimited` API errors and HTTP 429/503 wait for Retry-After (bounded) and try again.
 */

/** Most contributions read per user: an interaction timeline needs recent history, not a whole career. */
export const MAX_CONTRIBS_PER_USER = 5_000;
/** The API's maximum page size for clients without the apihighlimits right. */
export const UC_PAGE_SIZE = 500;
/** Ask the servers to refuse us while replication lag is above this (Wikimedia API etiquette). */
export const MAXLAG_SECONDS = 5;
/** Rate-limit answers tolerated in a row before giving up. */
export const MAX_RATE_LIMIT_RETRIES = 4;
/** Longest single wait for Retry-After; a server asking for more is treated as unavailable. */
export const MAX_RETRY_WAIT_MS = 30_000;
/** Wait when a rate-limit answer names no Retry-After. */
export const DEFAULT_RETRY_WAIT_MS = 2_000;
export const MIN_TIMELINE_USERS = 2;
export const MAX_TIMELINE_USERS = 10;

export interface ApiFetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}
export type ApiFetch = (url: string, init: { signal?: AbortSignal; credentials?: 'omit'; headers?: Record<string, string> }) => Promise<ApiFetchResponse>;
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const ContributionSchema = z.object({
  revid: z.number().int().nonnegative(),
  ns: z.number().int(),
  title: z.string().min(1),
  timestamp: z.iso.datetime(),
});

export const UserContribsAnswerSchema = z.object({
  continue: z.object({ uccontinue: z.string() }).catchall(z.string()).optional(),
  query: z.object({ usercontribs: z.array(ContributionSchema) }).optional(),
  error: z.object({ code: z.string(), info: z.string().optional(), lag: z.number().optional() }).optional(),
});

export interface Contribution {
  user: string;
  revid: number;
  ns: number;
  title: string;
  utcMs: number;
}

export interface ContribsProgress {
  user: string;
  userIndex: number;
  users: number;
  fetched: number;
  /** Waiting for a rate limit to pass (ms), or 0. */
  waitingMs: number;
}

export interface FetchContribsOptions {
  signal?: AbortSignal;
  limit?: number;
  onProgress?: (progress: ContribsProgress) => void;
  sleep?: Sleep;
}

export type ContribsErrorCode = 'rate-limited' | 'bad-answer' | 'api-error' | 'http-error' | 'bad-request';

export class ContribsError extends Error {
  constructor(readonly code: ContribsErrorCode, message: string) {
    super(message);
    this.name = 'ContribsError';
  }
}

export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Retry-After is seconds or an HTTP date; answers in ms, or null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function contribsUrl(apiUrl: string, user: string, cont: Record<string, string> | null, pageSize: number): string {
  const params = new URLSearchParams({
    action: 'query', list: 'usercontribs', ucuser: user, uclimit: String(pageSize), ucprop: 'ids|title|timestamp',
    ucdir: 'older', format: 'json', formatversion: '2', maxlag: String(MAXLAG_SECONDS), origin: '*',
  });
  for (const [key, value] of Object.entries(cont ?? {})) params.set(key, value);
  return `${apiUrl}?${params}`;
}

const RATE_LIMIT_CODES = new Set(['maxlag', 'ratelimited']);

/** One user's contributions, newest first, paging with `continue` up to `limit`. */
export async function fetchUserContribs(
  fetchFn: ApiFetch, apiUrl: string, user: string, options: FetchContribsOptions & { userIndex?: number; users?: number } = {},
): Promise<{ contributions: Contribution[]; truncated: boolean }> {
  const limit = options.limit ?? MAX_CONTRIBS_PER_USER;
  const sleep = options.sleep ?? abortableSleep;
  const progress = (fetched: number, waitingMs: number) =>
    options.onProgress?.({ user, userIndex: options.userIndex ?? 0, users: options.users ?? 1, fetched, waitingMs });
  const out: Contribution[] = [];
  let cont: Record<string, string> | null = null;
  let retries = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const response = await fetchFn(contribsUrl(apiUrl, user, cont, Math.min(UC_PAGE_SIZE, limit - out.length)), {
      signal: options.signal, credentials: 'omit', headers: { 'Api-User-Agent': 'Kalkan/0.1 (browser extension; interaction timeline)' },
    });
    const retryHeader = response.headers.get('Retry-After');
    let body: unknown = null;
    if (response.status !== 429 && response.status !== 503) {
      if (response.status < 200 || response.status >= 300) {
        throw new ContribsError('http-error', `The wiki answered HTTP ${response.status} for ${user}'s contributions; check the wiki address and try again later.`);
      }
      body = await response.json();
    }
    const parsed = body === null ? null : UserContribsAnswerSchema.safeParse(body);
    if (parsed && !parsed.success) {
      throw new ContribsError('bad-answer', `The wiki's answer for ${user}'s contributions had an unexpected shape; is this a MediaWiki API address?`);
    }
    const error = parsed?.data.error;
    if (parsed === null || (error && RATE_LIMIT_CODES.has(error.code))) {
      // 429/503, maxlag or ratelimited: wait as asked (bounded), then repeat the same request.
      retries += 1;
      const lagMs = error?.lag !== undefined ? error.lag * 1000 : null;
      const wait = retryAfterMs(retryHeader) ?? lagMs ?? DEFAULT_RETRY_WAIT_MS;
      if (retries > MAX_RATE_LIMIT_RETRIES || wait > MAX_RETRY_WAIT_MS) {
        throw new ContribsError('rate-limited', `The wiki is busy or limiting requests (${error?.code ?? `HTTP ${response.status}`}); wait a minute and try again.`);
      }
      progress(out.length, wait);
      await sleep(wait, options.signal);
      continue;
    }
    if (error) {
      const code = error.code === 'baduser' || error.code.startsWith('param') ? 'bad-request' : 'api-error';
      throw new ContribsError(code, `The wiki refused the request for ${user}: ${error.info ?? error.code}. Check the user name.`);
    }
    retries = 0;
    for (const c of parsed.data.query?.usercontribs ?? []) {
      out.push({ user, revid: c.revid, ns: c.ns, title: c.title, utcMs: Date.parse(c.timestamp) });
    }
    progress(out.length, 0);
    const next = parsed.data.continue;
    if (!next) return { contributions: out, truncated: false };
    if (out.length >= limit) return { contributions: out.slice(0, limit), truncated: true };
    cont = next;
  }
}

/** Validates a list of user names for the timeline (2–10 distinct, non-empty). Returns an error key or null. */
export function timelineUsersProblem(users: readonly string[]): 'too-few' | 'too-many' | null {
  const distinct = new Set(users.map((u) => u.trim()).filter(Boolean));
  if (distinct.size < MIN_TIMELINE_USERS) return 'too-few';
  if (distinct.size > MAX_TIMELINE_USERS) return 'too-many';
  return null;
}

/** Several users one after another (never in parallel: one client, one request at a time, as the API asks). */
export async function fetchContribsForUsers(
  fetchFn: ApiFetch, apiUrl: string, users: readonly string[], options: FetchContribsOptions = {},
): Promise<{ byUser: Map<string, Contribution[]>; truncated: string[] }> {
  const byUser = new Map<string, Contribution[]>();
  const truncated: string[] = [];
  for (const [index, user] of users.entries()) {
    const result = await fetchUserContribs(fetchFn, apiUrl, user, { ...options, userIndex: index, users: users.length });
    byUser.set(user, result.contributions);
    if (result.truncated) truncated.push(user);
  }
  return { byUser, truncated };
}
