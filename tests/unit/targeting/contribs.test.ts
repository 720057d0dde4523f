import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import {
  contribsUrl, ContribsError, DEFAULT_RETRY_WAIT_MS, fetchContribsForUsers, fetchUserContribs, MAX_RATE_LIMIT_RETRIES,
  retryAfterMs, timelineUsersProblem, type ApiFetch, type ApiFetchResponse,
} from '../../../utils/targeting/contribs';

const API = 'http://127.0.0.1:8915/w/api.php';
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/targeting/${name}.json`, import.meta.url), 'utf8'));

function answer(body: unknown, status = 200, headers: Record<string, string> = {}): ApiFetchResponse {
  return { status, headers: { get: (name) => headers[name] ?? null }, json: async () => body };
}

/** A fake API: answers in order, recording the URLs asked. */
function scripted(answers: ApiFetchResponse[]): { fetch: ApiFetch; urls: URL[] } {
  const urls: URL[] = [];
  let i = 0;
  return {
    urls,
    fetch: async (url) => {
      urls.push(new URL(url));
      const next = answers[i++];
      if (!next) throw new Error(`unexpected request ${url}`);
      return next;
    },
  };
}

const noSleep = vi.fn(async (_ms: number) => undefined);

describe('fetchUserContribs on recorded answers', () => {
  it('follows continue across pages and keeps every contribution in order', async () => {
    const api = scripted(['contribs-Aigerim-page1', 'contribs-Aigerim-page2', 'contribs-Aigerim-page3'].map((n) => answer(fixture(n))));
    const progress: number[] = [];
    const { contributions, truncated } = await fetchUserContribs(api.fetch, API, 'Aigerim', { onProgress: (p) => progress.push(p.fetched), sleep: noSleep });
    expect(truncated).toBe(false);
    expect(contributions).toHaveLength(10);
    expect(contributions.map((c) => c.title).slice(0, 3)).toEqual(['Talk:Kalkan demo', 'Talk:Kalkan demo', 'Talk:Komuz']);
    expect(contributions.at(-1)).toEqual({ user: 'Aigerim', revid: 23, ns: 0, title: 'Felt making', utcMs: Date.parse('2026-03-02T08:30:00Z') });
    expect(progress).toEqual([4, 8, 10]);
    // The second request carries the continuation of the first, and every request asks politely (maxlag).
    expect(api.urls[1]?.searchParams.get('uccontinue')).toBe('20260309090200|8');
    expect(api.urls.every((u) => u.searchParams.get('maxlag') === '5' && u.searchParams.get('ucuser') === 'Aigerim')).toBe(true);
  });

  it('stops at the limit and says the history was cut', async () => {
    const api = scripted([answer(fixture('contribs-Aigerim-page1')), answer(fixture('contribs-Aigerim-page2'))]);
    const result = await fetchUserContribs(api.fetch, API, 'Aigerim', { limit: 6, sleep: noSleep });
    expect(result.truncated).toBe(true);
    expect(result.contributions).toHaveLength(6);
    // The last page asks only for what is still missing.
    expect(api.urls[1]?.searchParams.get('uclimit')).toBe('2');
  });

  it('an unknown user has no contributions', async () => {
    const api = scripted([answer(fixture('contribs-unknown-user'))]);
    expect((await fetchUserContribs(api.fetch, API, 'Nobody', { sleep: noSleep })).contributions).toEqual([]);
  });
});

describe('rate limits', () => {
  it.each([
    ['maxlag error: waits the lag it names', answer(fixture('maxlag')), 3_000],
    ['maxlag error with Retry-After: waits as told', answer(fixture('maxlag'), 200, { 'Retry-After': '5' }), 5_000],
    ['ratelimited error: default wait', answer(fixture('ratelimited')), DEFAULT_RETRY_WAIT_MS],
    ['HTTP 429 with Retry-After', answer(null, 429, { 'Retry-After': '7' }), 7_000],
    ['HTTP 503 without Retry-After', answer(null, 503), DEFAULT_RETRY_WAIT_MS],
  ])('%s, then repeats the same request', async (_name, limited, wait) => {
    const sleep = vi.fn(async (_ms: number) => undefined);
    const api = scripted([limited, answer(fixture('contribs-Aigerim'))]);
    const { contributions } = await fetchUserContribs(api.fetch, API, 'Aigerim', { sleep });
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([wait]);
    expect(contributions).toHaveLength(10);
    expect(api.urls[0]?.toString()).toBe(api.urls[1]?.toString());
  });

  it('gives up after MAX_RATE_LIMIT_RETRIES, or when asked to wait too long', async () => {
    const many = scripted(Array.from({ length: MAX_RATE_LIMIT_RETRIES + 1 }, () => answer(null, 429, { 'Retry-After': '1' })));
    await expect(fetchUserContribs(many.fetch, API, 'Aigerim', { sleep: noSleep })).rejects.toMatchObject({ code: 'rate-limited' });
    const long = scripted([answer(null, 429, { 'Retry-After': '3600' })]);
    await expect(fetchUserContribs(long.fetch, API, 'Aigerim', { sleep: noSleep })).rejects.toBeInstanceOf(ContribsError);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe('failures and cancelling', () => {
  it.each([
    ['an answer of the wrong shape', answer({ query: { usercontribs: [{ title: 5 }] } }), 'bad-answer'],
    ['an HTML error page (HTTP 500)', answer(null, 500), 'http-error'],
    ['an API error', answer({ error: { code: 'baduser', info: 'Invalid value "<x>" for user parameter ucuser.' } }), 'bad-request'],
  ])('%s is refused with a message', async (_name, bad, code) => {
    const api = scripted([bad]);
    await expect(fetchUserContribs(api.fetch, API, 'Aigerim', { sleep: noSleep })).rejects.toMatchObject({ code });
  });

  it('an aborted signal stops before the next request', async () => {
    const controller = new AbortController();
    const api = scripted([answer(fixture('contribs-Aigerim-page1')), answer(fixture('contribs-Aigerim-page2'))]);
    const run = fetchUserContribs(api.fetch, API, 'Aigerim', { signal: controller.signal, sleep: noSleep, onProgress: () => controller.abort() });
    await expect(run).rejects.toThrow();
    expect(api.urls).toHaveLength(1);
  });

  it('several users are asked one after another', async () => {
    const api = scripted([answer(fixture('contribs-Aigerim')), answer(fixture('contribs-Bakyt'))]);
    const { byUser } = await fetchContribsForUsers(api.fetch, API, ['Aigerim', 'Bakyt'], { sleep: noSleep });
    expect([...byUser.keys()]).toEqual(['Aigerim', 'Bakyt']);
    expect(byUser.get('Bakyt')).toHaveLength(10);
  });

  it('checks the number of users (2–10, distinct)', () => {
    expect(timelineUsersProblem(['A'])).toBe('too-few');
    expect(timelineUsersProblem(['A', ' A '])).toBe('too-few');
    expect(timelineUsersProblem(['A', 'B'])).toBeNull();
    expect(timelineUsersProblem(Array.from({ length: 11 }, (_, i) => `U${i}`))).toBe('too-many');
  });

  it('builds the documented query', () => {
    const url = new URL(contribsUrl(API, 'Bakyt', { uccontinue: 'x|1', continue: '-||' }, 500));
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ list: 'usercontribs', ucuser: 'Bakyt', uclimit: '500', uccontinue: 'x|1', continue: '-||', origin: '*' });
  });
});
