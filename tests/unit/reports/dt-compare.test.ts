import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DtCompareSession,
  findConfirmedAddingRevision,
  findOriginForCapture,
  matchAddedComment,
  MAX_DT_CANDIDATES,
  MAX_DT_COMPARE_REQUESTS,
  orderCandidates,
  type DtComment,
} from '../../../utils/reports/dt-compare';
import { HistorySearchError, type FetchFn, type HistoryRevision } from '../../../utils/reports/history';

/**
 * Answers in the shape of DiscussionTools' includes/ApiDiscussionToolsCompare.php (formatversion=2): recorded-style
 * files under fixtures/dt-*.json and constructed ones below. No live wiki.
 */

const API = 'https://test.wikipedia.org/w/api.php';
const COMMENT_ID = 'c-Example_troll-20240305140700-Victim-20240305120000';
const base = { title: 'User talk:Victim', author: 'Example troll', timestamp: '2024-03-05T14:07:00Z', commentId: COMMENT_ID };

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(resolve(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8')) as unknown;
}

function compareAnswer(fromrevid: number, torevid: number, added: DtComment[] = []): unknown {
  return {
    discussiontoolscompare: {
      fromrevid,
      fromtitle: 'User talk:Victim',
      torevid,
      totitle: 'User talk:Victim',
      removedcomments: [],
      addedcomments: added,
    },
  };
}

function history(revisions: { revid: number; parentid: number; user?: string; timestamp: string }[]): unknown {
  return { batchcomplete: true, query: { pages: [{ pageid: 4242, ns: 3, title: 'User talk:Victim', revisions }] } };
}

function ours(overrides: Partial<DtComment> = {}): DtComment {
  return {
    type: 'comment',
    level: 1,
    id: COMMENT_ID,
    name: 'c-Example_troll-20240305140700',
    author: 'Example troll',
    timestamp: '20240305140700',
    headingId: 'h-Victim-20240305120000',
    subscribableHeadingId: 'h-Victim-20240305120000',
    ...overrides,
  };
}

type Answer = unknown | Error | Response;

/**
 * A fake wiki: history requests get `historyAnswers` in turn, compare requests the answer for "from:to" (missing
 * pairs fail the test). Records every URL and init.
 */
function wiki(historyAnswers: unknown[], compares: Record<string, Answer>) {
  const urls: URL[] = [];
  const inits: (RequestInit | undefined)[] = [];
  const queue = [...historyAnswers];
  const fetchFn: FetchFn = (input, init) => {
    const url = new URL(input);
    urls.push(url);
    inits.push(init);
    let answer: Answer;
    if (url.searchParams.get('action') === 'query') {
      if (queue.length === 0) return Promise.reject(new Error('unexpected extra history request'));
      answer = queue.shift();
    } else {
      const key = `${url.searchParams.get('fromrev')}:${url.searchParams.get('torev')}`;
      if (!(key in compares)) return Promise.reject(new Error(`unexpected compare ${key}`));
      answer = compares[key];
    }
    if (answer instanceof Error) return Promise.reject(answer);
    if (answer instanceof Response) return Promise.resolve(answer);
    return Promise.resolve(new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } }));
  };
  const session = (maxRequests?: number) => new DtCompareSession({ apiUrl: API, fetchFn, maxRequests });
  const compareUrls = () => urls.filter((url) => url.searchParams.get('action') === 'discussiontoolscompare');
  const historyUrls = () => urls.filter((url) => url.searchParams.get('action') === 'query');
  return { fetchFn, urls, inits, session, compareUrls, historyUrls };
}

const DIFF_302 = 'https://test.wikipedia.org/w/index.php?diff=1000302&oldid=1000301';
const HISTORY_301 = {
  revid: 1000301,
  parentid: 1000300,
  diffUrl: 'https://test.wikipedia.org/w/index.php?diff=1000301&oldid=1000300',
  foundBy: 'history-search',
};

describe('findConfirmedAddingRevision', () => {
  it('picks the author\'s second edit of the minute, where the history search alone picks the first', async () => {
    const fake = wiki([fixture('dt-window')], {
      '1000300:1000301': fixture('dt-compare-other-thread'),
      '1000301:1000302': fixture('dt-compare-added'),
    });
    const found = await findConfirmedAddingRevision({ ...base, session: fake.session() });
    expect(found.origin).toEqual({ revid: 1000302, parentid: 1000301, diffUrl: DIFF_302, foundBy: 'dt-compare' });
    expect(found.status).toBe('confirmed');
    expect(found.requests).toBe(2);
    expect(found.detail).toContain('the history search alone would give r1000301');
    // The other thread's comment shares the name (same author, same minute); only the id decides.
    expect(fake.compareUrls()).toHaveLength(2);
  });

  it('sends exactly the documented compare parameters, anonymously through the given fetch, with a timeout signal', async () => {
    const fake = wiki([fixture('dt-window')], {
      '1000300:1000301': compareAnswer(1000300, 1000301, [ours()]),
    });
    await findConfirmedAddingRevision({ ...base, session: fake.session() });
    const [compare] = fake.compareUrls();
    expect(compare?.origin + (compare?.pathname ?? '')).toBe(API);
    expect(Object.fromEntries(compare?.searchParams ?? [])).toEqual({
      action: 'discussiontoolscompare',
      format: 'json',
      formatversion: '2',
      fromrev: '1000300',
      torev: '1000301',
      origin: '*',
    });
    expect(fake.inits.every((init) => init?.signal instanceof AbortSignal && init.credentials === undefined)).toBe(true);
    // The candidate listing covers every author: no rvuser.
    const [listing] = fake.historyUrls();
    expect(listing?.searchParams.has('rvuser')).toBe(false);
    expect(listing?.searchParams.get('rvstart')).toBe('2024-03-05T14:07:00Z');
    expect(listing?.searchParams.get('rvend')).toBe('2024-03-05T14:22:00Z');
  });

  it('finds an edit by someone else that added the comment (after the author\'s own edits say no)', async () => {
    const fake = wiki([fixture('dt-window')], {
      '1000300:1000301': compareAnswer(1000300, 1000301),
      '1000301:1000302': compareAnswer(1000301, 1000302),
      '1000302:1000303': compareAnswer(1000302, 1000303, [ours()]),
    });
    const found = await findConfirmedAddingRevision({ ...base, session: fake.session() });
    expect(found.origin).toMatchObject({ revid: 1000303, parentid: 1000302, foundBy: 'dt-compare' });
    expect(fake.compareUrls().map((url) => url.searchParams.get('torev'))).toEqual(['1000301', '1000302', '1000303']);
  });

  it('confirms a revision whose name matches when the id has changed since (parent or heading changed)', async () => {
    const fake = wiki([fixture('dt-window')], {
      '1000300:1000301': compareAnswer(1000300, 1000301),
      '1000301:1000302': compareAnswer(1000301, 1000302, [ours({ id: 'c-Example_troll-20240305140700-Old_heading' })]),
      '1000302:1000303': compareAnswer(1000302, 1000303),
    });
    const found = await findConfirmedAddingRevision({ ...base, session: fake.session() });
    expect(found).toMatchObject({ status: 'confirmed', origin: { revid: 1000302, foundBy: 'dt-compare' } });
    expect(found.detail).toContain('same author and time');
  });

  it.each([['dt-compare-badvalue'], ['dt-compare-unknown-action']])(
    'falls back to the history search when the wiki lacks the module (%s), and stops asking',
    async (name) => {
      const later = history([{ revid: 1000310, parentid: 1000309, user: 'Example troll', timestamp: '2024-03-05T14:30:10Z' }]);
      const fake = wiki([fixture('dt-window'), later], { '1000300:1000301': fixture(name) });
      const session = fake.session();
      const found = await findConfirmedAddingRevision({ ...base, session });
      expect(found.origin).toEqual(HISTORY_301);
      expect(found.status).toBe('unavailable');
      expect(found.detail).toContain("kept the history search's r1000301");
      expect(fake.compareUrls()).toHaveLength(1);
      // A later comment of the same capture (other revisions) asks no compare at all.
      const second = await findConfirmedAddingRevision({ ...base, timestamp: '2024-03-05T14:30:00Z', commentId: 'c-Example_troll-20240305143000', session });
      expect(second).toMatchObject({ status: 'unavailable', origin: { revid: 1000310, foundBy: 'history-search' }, requests: 0 });
      expect(fake.compareUrls()).toHaveLength(1);
    },
  );

  it('keeps the history search and says so when no compared revision added the comment', async () => {
    const fake = wiki([fixture('dt-window')], {
      '1000300:1000301': compareAnswer(1000300, 1000301),
      '1000301:1000302': compareAnswer(1000301, 1000302, [ours({ type: 'heading', id: COMMENT_ID })]),
      '1000302:1000303': compareAnswer(1000302, 1000303, [ours({ id: 'c-Kind_helper-20240305141100-Victim-20240305120000', name: 'c-Kind_helper-20240305141100' })]),
    });
    const found = await findConfirmedAddingRevision({ ...base, session: fake.session() });
    expect(found.origin).toEqual(HISTORY_301);
    expect(found.status).toBe('not-added');
    expect(found.detail).toBe(`none of the 3 revisions compared added ${COMMENT_ID}; kept the history search's r1000301`);
  });

  it(`makes at most ${MAX_DT_COMPARE_REQUESTS} compare requests per comment and considers ${MAX_DT_CANDIDATES} candidates`, async () => {
    const revisions = Array.from({ length: MAX_DT_CANDIDATES + 3 }, (_, i) => ({
      revid: 2000 + i + 1,
      parentid: 2000 + i,
      user: i % 2 ? 'Someone' : 'Example troll',
      timestamp: `2024-03-05T14:${String(7 + i).padStart(2, '0')}:00Z`,
    }));
    const compares = Object.fromEntries(revisions.map((r) => [`${r.parentid}:${r.revid}`, compareAnswer(r.parentid, r.revid)]));
    const fake = wiki([history(revisions)], compares);
    const found = await findConfirmedAddingRevision({ ...base, session: fake.session() });
    expect(fake.compareUrls()).toHaveLength(MAX_DT_COMPARE_REQUESTS);
    expect(found).toMatchObject({ status: 'not-added', requests: MAX_DT_COMPARE_REQUESTS, origin: { revid: 2001, foundBy: 'history-search' } });
    expect(found.detail).toContain(`stopped after ${MAX_DT_COMPARE_REQUESTS} compare requests`);
    // The author's edits are asked first.
    expect(fake.compareUrls().map((url) => url.searchParams.get('torev'))).toEqual(['2001', '2003', '2005', '2007']);
  });

  it.each([
    ['a network error', new TypeError('Failed to fetch'), 'TypeError: Failed to fetch'],
    ['a timeout', new DOMException('The operation timed out.', 'TimeoutError'), 'TimeoutError'],
    ['HTTP 503', new Response('busy', { status: 503 }), 'HTTP 503'],
  ])('falls back on %s and stops the session', async (_label, answer, said) => {
    const later = history([{ revid: 1000310, parentid: 1000309, user: 'Example troll', timestamp: '2024-03-05T14:30:10Z' }]);
    const fake = wiki([fixture('dt-window'), later], { '1000300:1000301': answer });
    const session = fake.session();
    const found = await findConfirmedAddingRevision({ ...base, session });
    expect(found).toMatchObject({ status: 'failed', origin: HISTORY_301 });
    expect(found.detail).toContain(said);
    // Other revisions, same capture: no request to a wiki that just failed.
    const second = await findConfirmedAddingRevision({ ...base, timestamp: '2024-03-05T14:30:00Z', commentId: 'c-Example_troll-20240305143000', session });
    expect(second).toMatchObject({ status: 'failed', origin: { revid: 1000310 }, requests: 0 });
    expect(fake.compareUrls()).toHaveLength(1);
  });

  it('moves on to the next candidate after a per-revision API error or an answer for other revisions', async () => {
    const fake = wiki([fixture('dt-window')], {
      '1000300:1000301': fixture('dt-compare-nosuchrevid'),
      '1000301:1000302': compareAnswer(1000299, 1000302, [ours()]),
      '1000302:1000303': compareAnswer(1000302, 1000303, [ours()]),
    });
    const found = await findConfirmedAddingRevision({ ...base, session: fake.session() });
    expect(found.origin).toMatchObject({ revid: 1000303, foundBy: 'dt-compare' });
  });

  it('stops at once when the wiki asks to slow down', async () => {
    const fake = wiki([fixture('dt-window')], {
      '1000300:1000301': { error: { code: 'ratelimited', info: "You've exceeded your rate limit." } },
    });
    const found = await findConfirmedAddingRevision({ ...base, session: fake.session() });
    expect(found).toMatchObject({ status: 'failed', origin: HISTORY_301 });
    expect(fake.compareUrls()).toHaveLength(1);
  });

  it('never compares a page creation (there is no parent revision)', async () => {
    const fake = wiki([history([{ revid: 3001, parentid: 0, user: 'Example troll', timestamp: '2024-03-05T14:07:20Z' }])], {});
    const found = await findConfirmedAddingRevision({ ...base, session: fake.session() });
    expect(found).toMatchObject({ status: 'skipped', origin: { revid: 3001, parentid: 0, foundBy: 'history-search' } });
    expect(fake.compareUrls()).toHaveLength(0);
  });

  it('shares answers between the comments of one capture and honours the capture budget', async () => {
    // The author answered in two threads in one edit: a heading capture holds both comments.
    const other = 'c-Example_troll-20240305140700-Kind_helper-20240301090000';
    const fake = wiki([fixture('dt-window'), fixture('dt-window'), fixture('dt-window')], {
      '1000300:1000301': compareAnswer(1000300, 1000301, [ours(), ours({ id: other, level: 2 })]),
    });
    const session = fake.session(1);
    const first = await findConfirmedAddingRevision({ ...base, session });
    const second = await findConfirmedAddingRevision({ ...base, commentId: other, session });
    expect(first.origin).toMatchObject({ revid: 1000301, foundBy: 'dt-compare' });
    expect(second).toMatchObject({ status: 'confirmed', requests: 0, origin: { revid: 1000301, foundBy: 'dt-compare' } });
    expect(fake.compareUrls()).toHaveLength(1);
    // A comment the shared answer does not hold finds the budget spent: the history search stands.
    const third = await findConfirmedAddingRevision({ ...base, commentId: 'c-Someone-20240305140700-Elsewhere', session });
    expect(third).toMatchObject({ status: 'not-added', origin: HISTORY_301 });
    expect(third.detail).toContain('this capture has used its compare requests');
    expect(session.requestsMade).toBe(1);
  });

  it('is cancellable: an abort is not swallowed as a failed compare', async () => {
    const controller = new AbortController();
    const listing = fixture('dt-window');
    const fetchFn: FetchFn = (input, init) => {
      if (new URL(input).searchParams.get('action') === 'query') return Promise.resolve(new Response(JSON.stringify(listing)));
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
        controller.abort(new Error('user closed the dialog'));
      });
    };
    const session = new DtCompareSession({ apiUrl: API, fetchFn, signal: controller.signal });
    await expect(findConfirmedAddingRevision({ ...base, session })).rejects.toThrow('user closed the dialog');
  });

  it('lets history errors through, as the history search does (the caller keeps the capture without a diff)', async () => {
    const fake = wiki([{ error: { code: 'badvalue', info: 'Unrecognized value for parameter "rvprop".' } }], {});
    await expect(findConfirmedAddingRevision({ ...base, session: fake.session() })).rejects.toThrow(HistorySearchError);
  });

  it('asks the history search by user when the listing could not cover the window', async () => {
    const busy = { continue: { rvcontinue: '20240305141000|1|', continue: '||' }, ...(history([{ revid: 4001, parentid: 4000, user: 'Someone', timestamp: '2024-03-05T14:07:10Z' }]) as object) };
    const fake = wiki([busy, busy, busy, fixture('history-found')], { '4000:4001': compareAnswer(4000, 4001) });
    const found = await findConfirmedAddingRevision({ ...base, session: fake.session() });
    expect(found.origin).toMatchObject({ revid: 1000101, foundBy: 'history-search' });
    expect(fake.historyUrls().at(-1)?.searchParams.get('rvuser')).toBe('Example troll');
  });
});

describe('findOriginForCapture', () => {
  it('uses compare only where the page carried DiscussionTools markers and the comment has an id', async () => {
    for (const [discussionTools, commentId] of [[false, COMMENT_ID], [true, null]] as const) {
      const fake = wiki([fixture('history-found')], {});
      const found = await findOriginForCapture({ ...base, commentId, discussionTools, session: fake.session() });
      expect(found).toMatchObject({ status: 'skipped', origin: { revid: 1000101, foundBy: 'history-search' } });
      expect(fake.historyUrls()[0]?.searchParams.get('rvuser')).toBe('Example troll');
      expect(fake.compareUrls()).toHaveLength(0);
    }
    const fake = wiki([fixture('dt-window')], { '1000300:1000301': compareAnswer(1000300, 1000301, [ours()]) });
    const found = await findOriginForCapture({ ...base, discussionTools: true, session: fake.session() });
    expect(found.origin).toMatchObject({ revid: 1000301, foundBy: 'dt-compare' });
  });
});

describe('matchAddedComment', () => {
  const id = COMMENT_ID;
  it.each([
    ['the same id', ours(), 'id'],
    ['the same name, another id (parent changed)', ours({ id: 'c-Example_troll-20240305140700-Old' }), 'name'],
    ['the name alone as id (a first comment without parent)', ours({ id: 'x', name: id }), 'name'],
  ] as const)('matches %s', (_label, added, expected) => {
    expect(matchAddedComment(added, id)).toBe(expected);
  });
  it.each([
    ['a heading with the id', ours({ type: 'heading' })],
    ['another author', ours({ id: 'c-Other-20240305140700-Victim-20240305120000', name: 'c-Other-20240305140700' })],
    ['another minute', ours({ id: 'c-Example_troll-20240305140800-Victim-20240305120000', name: 'c-Example_troll-20240305140800' })],
    ['a name that is a prefix but not at a dash', ours({ id: 'y', name: 'c-Example_troll-2024030514070' })],
    ['an empty name ("c-" for a comment without author)', ours({ id: 'y', name: 'c-' })],
    ['no name', ours({ id: 'y', name: undefined })],
  ])('does not match %s', (_label, added) => {
    expect(matchAddedComment(added, id)).toBeNull();
  });
});

describe('orderCandidates', () => {
  it('puts the author first, then others, each oldest first, and keeps at most MAX_DT_CANDIDATES', () => {
    const rev = (revid: number, user: string | undefined, minute: number): HistoryRevision => ({
      revid,
      parentid: revid - 1,
      user,
      timestamp: `2024-03-05T14:${String(minute).padStart(2, '0')}:00Z`,
    });
    const ordered = orderCandidates(
      [rev(5, 'Other', 8), rev(3, 'Example_troll', 9), rev(2, 'Example troll', 7), rev(9, undefined, 7), rev(7, 'Other', 10), rev(8, 'A', 11), rev(10, 'B', 12)],
      'Example troll',
    );
    expect(ordered.map((r) => r.revid)).toEqual([2, 3, 9, 5, 7, 8].slice(0, MAX_DT_CANDIDATES));
  });
});
