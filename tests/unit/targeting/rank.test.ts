import { describe, expect, it } from 'vitest';
import { commentPermalink, FLAGGED_ANY, FLAGGED_WEIGHT, pageTargeting, pairTimeline, rankPairs, userSummary } from '../../../utils/targeting/rank';
import type { InteractionObservation } from '../../../utils/targeting/schema';
import { rec, WIKI } from './helpers';

describe('rankPairs', () => {
  const log = [
    rec('Bakyt', 'Aigerim', { flagged: true, pageTitle: 'Talk:A' }),
    rec('Bakyt', 'Aigerim', { flagged: true, pageTitle: 'Talk:B', category: 'threat' }),
    rec('Bakyt', 'Aigerim', { flagged: false, pageTitle: 'Talk:C' }),
    rec('Chloe', 'Bakyt', { pageTitle: 'Talk:A' }),
    rec('Chloe', 'Bakyt', { pageTitle: 'Talk:B' }),
    rec('Chloe', 'Bakyt', { pageTitle: 'Talk:C' }),
    rec('Chloe', 'Bakyt', { pageTitle: 'Talk:D' }),
    rec('Dilnoza', 'Bakyt', { pageTitle: 'Talk:A', flagged: false }),
  ];

  it.each([
    // [case, filter, expected order "from>to:count/flagged"]
    ['flagged weigh more than repeated plain ones', {}, ['Bakyt>Aigerim:3/2', 'Chloe>Bakyt:4/0', 'Dilnoza>Bakyt:1/0']],
    ['flagged only', { category: FLAGGED_ANY }, ['Bakyt>Aigerim:2/2']],
    ['one category', { category: 'threat' }, ['Bakyt>Aigerim:1/1']],
    ['unknown category', { category: 'spam' }, []],
    ['another wiki', { wikiId: 'https://other.test/w' }, []],
  ] as const)('%s', (_name, filter, expected) => {
    expect(rankPairs(log, filter).map((p) => `${p.from}>${p.to}:${p.count}/${p.flagged}`)).toEqual(expected);
  });

  it('scores count + FLAGGED_WEIGHT × flagged and counts pages and categories', () => {
    const [top] = rankPairs(log);
    expect(top).toMatchObject({ score: 3 + FLAGGED_WEIGHT * 2, pages: 3, categories: ['insult', 'threat'], replies: 3, mentions: 0 });
  });

  it('a comment that replies to and pings the same user counts once; self-replies never count', () => {
    const both = [rec('A', 'B', { c: 'c1', kind: 'reply' }), rec('A', 'B', { c: 'c1', kind: 'mention' }), rec('A', 'A', { c: 'c2' })];
    expect(rankPairs(both).map((p) => [p.from, p.to, p.count, p.replies, p.mentions])).toEqual([['A', 'B', 1, 1, 1]]);
  });

  it('the window keeps comment times inside [since, until]', () => {
    const times = [rec('A', 'B', { utcMs: 1_000 }), rec('A', 'B', { utcMs: 2_000 }), rec('A', 'B', { utcMs: 3_000 })];
    expect(rankPairs(times, { sinceMs: 1_500, untilMs: 2_500 })[0]?.count).toBe(1);
    expect(rankPairs(times, { sinceMs: 4_000 })).toEqual([]);
  });

  it('keeps the same user names on two wikis apart', () => {
    const two = [rec('A', 'B'), rec('A', 'B', { wikiId: 'https://other.test/w' })];
    expect(rankPairs(two).map((p) => [p.wikiId, p.count]).sort()).toEqual([[WIKI, 1], ['https://other.test/w', 1]].sort());
  });
});

describe('pairTimeline and userSummary', () => {
  const log = [
    rec('Bakyt', 'Aigerim', { c: 'c-3', utcMs: 3_000, pageTitle: 'Talk:C', flagged: true }),
    rec('Bakyt', 'Aigerim', { c: 'c-1', utcMs: 1_000, pageTitle: 'Talk:A' }),
    rec('Bakyt', 'Aigerim', { c: 'c-1', utcMs: 1_000, pageTitle: 'Talk:A', kind: 'mention' }),
    rec('Aigerim', 'Bakyt', { c: 'c-2', utcMs: 2_000 }),
    rec('Chloe', 'Aigerim', { c: 'c-4', utcMs: 4_000, kind: 'mention' }),
  ];

  it('lists one entry per comment, oldest first, across pages, with a permalink to the comment', () => {
    const timeline = pairTimeline(log, WIKI, 'Bakyt', 'Aigerim');
    expect(timeline.map((e) => [e.commentId, e.pageTitle, e.kinds, e.flagged])).toEqual([
      ['c-1', 'Talk:A', ['reply', 'mention'], false],
      ['c-3', 'Talk:C', ['reply'], true],
    ]);
    expect(timeline[1]?.permalink).toBe('http://wiki.test/w/index.php?title=Talk%3AC&oldid=10#c-3');
  });

  it('summarises whom a user targets and who targets them', () => {
    expect(userSummary(log, WIKI, 'Aigerim')).toEqual({
      user: 'Aigerim',
      targets: [{ user: 'Bakyt', count: 1, flagged: 0 }],
      targetedBy: [{ user: 'Bakyt', count: 2, flagged: 1 }, { user: 'Chloe', count: 1, flagged: 0 }],
    });
  });

  it('permalinks without a revision link to the current page, and escape the anchor', () => {
    expect(commentPermalink({ server: 'https://x.org', scriptPath: '', pageTitle: 'Talk:Ä b', revisionId: null, commentId: 'c-A b-2026' }))
      .toBe('https://x.org/index.php?title=Talk%3A%C3%84_b#c-A%20b-2026');
  });
});

describe('pageTargeting (on-page indicator)', () => {
  const obs = (from: string, to: string, commentId: string, flagged: boolean | null): InteractionObservation => ({
    from, to, kind: 'reply', commentId, utcMs: 0, flag: flagged === null ? null : { flagged, category: null, score: null },
  });
  const page = [obs('B', 'A', 'c1', true), obs('B', 'A', 'c2', true), obs('B', 'A', 'c3', false), obs('B', 'A', 'c3', null), obs('C', 'A', 'c4', true)];

  it.each([
    [3, false, ['B>A:c1,c2,c3']],
    [3, true, []],
    [2, true, ['B>A:c1,c2']],
    [1, true, ['B>A:c1,c2', 'C>A:c4']],
  ] as const)('threshold %i, flags available %s', (threshold, flags, expected) => {
    expect(pageTargeting(page, threshold, flags).map((p) => `${p.from}>${p.to}:${p.commentIds.join(',')}`)).toEqual(expected);
  });
});
