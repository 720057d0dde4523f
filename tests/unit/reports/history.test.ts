import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildDiffUrl,
  buildPermalink,
  findAddingRevision,
  HistorySearchError,
  indexPhpFromApi,
  MAX_HISTORY_REQUESTS,
  type FetchFn,
} from '../../../utils/reports/history';

const API = 'https://test.wikipedia.org/w/api.php';

function fixture(name: string): string {
  return readFileSync(resolve(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8');
}

/** Replays recorded answers in order and records the requested URLs. */
function replay(...names: string[]): { fetchFn: FetchFn; urls: URL[] } {
  const urls: URL[] = [];
  const queue = [...names];
  const fetchFn: FetchFn = (input) => {
    urls.push(new URL(input));
    const next = queue.shift();
    if (next === undefined) return Promise.reject(new Error('unexpected extra request'));
    return Promise.resolve(new Response(fixture(next), { status: 200, headers: { 'content-type': 'application/json' } }));
  };
  return { fetchFn, urls };
}

const base = { apiUrl: API, title: 'User talk:Victim', author: 'Example troll', timestamp: '2024-03-05T14:07:00Z' };

describe('findAddingRevision', () => {
  it('picks the earliest revision by the author at or after the signature minute', async () => {
    const { fetchFn, urls } = replay('history-found');
    expect(await findAddingRevision({ ...base, fetchFn })).toEqual({
      revid: 1000101,
      parentid: 1000099,
      diffUrl: 'https://test.wikipedia.org/w/index.php?diff=1000101&oldid=1000099',
      foundBy: 'history-search',
    });
    const params = urls[0]?.searchParams;
    expect(params?.get('rvstart')).toBe('2024-03-05T14:07:00Z');
    expect(params?.get('rvend')).toBe('2024-03-05T14:22:00Z');
    expect(params?.get('rvdir')).toBe('newer');
    expect(params?.get('rvuser')).toBe('Example troll');
    expect(params?.get('rvprop')).toBe('ids|timestamp|user');
  });

  it('follows continuation, skips other users, treats underscores as spaces; page creation diffs against prev', async () => {
    const { fetchFn, urls } = replay('history-continue-1', 'history-continue-2');
    expect(await findAddingRevision({ ...base, fetchFn })).toEqual({
      revid: 1000201,
      parentid: 0,
      diffUrl: 'https://test.wikipedia.org/w/index.php?diff=prev&oldid=1000201',
      foundBy: 'history-search',
    });
    expect(urls[1]?.searchParams.get('rvcontinue')).toBe('20240305141000|1000200');
  });

  it.each([['history-empty'], ['history-missing']])('returns null for %s', async (name) => {
    expect(await findAddingRevision({ ...base, fetchFn: replay(name).fetchFn })).toBeNull();
  });

  it(`stops after ${MAX_HISTORY_REQUESTS} requests on an endless history`, async () => {
    const { fetchFn, urls } = replay(...Array.from({ length: MAX_HISTORY_REQUESTS + 2 }, () => 'history-continue-1'));
    expect(await findAddingRevision({ ...base, fetchFn })).toBeNull();
    expect(urls).toHaveLength(MAX_HISTORY_REQUESTS);
  });

  it('reports API errors and bad shapes as HistorySearchError', async () => {
    await expect(findAddingRevision({ ...base, fetchFn: replay('history-error').fetchFn })).rejects.toThrow(HistorySearchError);
    const junk: FetchFn = () => Promise.resolve(new Response('{"query":{"pages":"no"}}'));
    await expect(findAddingRevision({ ...base, fetchFn: junk })).rejects.toThrow(HistorySearchError);
    const down: FetchFn = () => Promise.resolve(new Response('busy', { status: 503 }));
    await expect(findAddingRevision({ ...base, fetchFn: down })).rejects.toThrow(/503/);
  });

  it('is cancellable through the AbortSignal', async () => {
    const controller = new AbortController();
    const hang: FetchFn = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
      });
    const pending = findAddingRevision({ ...base, fetchFn: hang, signal: controller.signal });
    controller.abort(new Error('user closed the dialog'));
    await expect(pending).rejects.toThrow('user closed the dialog');
  });

  it('refuses a time that is not ISO', async () => {
    await expect(findAddingRevision({ ...base, timestamp: '14:07, 5 March 2024', fetchFn: replay().fetchFn })).rejects.toThrow(HistorySearchError);
  });
});

describe('URL builders', () => {
  it.each([
    ['https://en.wikipedia.org/w/api.php', 'https://en.wikipedia.org/w/index.php'],
    ['http://127.0.0.1:8080/api.php?x=1', 'http://127.0.0.1:8080/index.php'],
  ])('index.php from %s', (api, expected) => {
    expect(indexPhpFromApi(api)).toBe(expected);
  });
  it('refuses a URL that is not api.php', () => {
    expect(() => indexPhpFromApi('https://en.wikipedia.org/wiki/Main_Page')).toThrow(HistorySearchError);
  });
  it('diff URL', () => {
    expect(buildDiffUrl('https://a.org/w/index.php', 5, 4)).toBe('https://a.org/w/index.php?diff=5&oldid=4');
  });
  it('permalink with anchor and GoToComment', () => {
    expect(
      buildPermalink({
        indexPhpUrl: 'https://a.org/w/index.php',
        articleUrlTemplate: 'https://a.org/wiki/$1',
        title: 'User talk:Victim',
        oldid: 7,
        anchor: 'c-X-20240305140700',
        commentId: 'c-X-20240305140700',
      }),
    ).toEqual({
      url: 'https://a.org/w/index.php?title=User_talk%3AVictim&oldid=7#c-X-20240305140700',
      oldid: 7,
      anchor: 'c-X-20240305140700',
      goToCommentUrl: 'https://a.org/wiki/Special:GoToComment/c-X-20240305140700',
    });
  });
});
