import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserContribsAnswerSchema, type Contribution } from '../../../utils/targeting/contribs';
import { chartLayout, csvCell, formatGap, sharedPages, toCsv, toWikitextTable } from '../../../utils/targeting/shared-pages';

function recorded(user: string): Contribution[] {
  const raw: unknown = JSON.parse(readFileSync(new URL(`../../fixtures/targeting/contribs-${user}.json`, import.meta.url), 'utf8'));
  const list = UserContribsAnswerSchema.parse(raw).query?.usercontribs ?? [];
  return list.map((c) => ({ user, revid: c.revid, ns: c.ns, title: c.title, utcMs: Date.parse(c.timestamp) }));
}

const MIN = 60_000;

describe('sharedPages on the seeded wiki (Bakyt follows Aigerim)', () => {
  const byUser = new Map([['Aigerim', recorded('Aigerim')], ['Bakyt', recorded('Bakyt')]]);
  const pages = sharedPages(byUser);

  it('lists exactly the pages both edited, in the order they became shared, with who came first and the smallest gap', () => {
    expect(pages.map((p) => [p.title, p.firstUser, p.minGapMs / MIN, `${p.gapFrom}>${p.gapTo}`])).toEqual([
      ['Felt making', 'Aigerim', 21, 'Aigerim>Bakyt'],
      ['Talk:Felt making', 'Aigerim', 12, 'Aigerim>Bakyt'],
      ['Issyk-Kul Lake', 'Aigerim', 21, 'Aigerim>Bakyt'],
      ['Talk:Issyk-Kul Lake', 'Aigerim', 12, 'Aigerim>Bakyt'],
      ['Manas (epic)', 'Aigerim', 21, 'Aigerim>Bakyt'],
      ['Talk:Manas (epic)', 'Aigerim', 12, 'Aigerim>Bakyt'],
      ['Komuz', 'Aigerim', 21, 'Aigerim>Bakyt'],
      ['Talk:Komuz', 'Aigerim', 12, 'Aigerim>Bakyt'],
      ['Talk:Kalkan demo', 'Aigerim', 25, 'Aigerim>Bakyt'],
    ]);
    expect(pages.at(-1)?.users.map((u) => [u.user, u.edits])).toEqual([['Aigerim', 2], ['Bakyt', 1]]);
  });

  it('exports a sortable wikitable and a CSV', () => {
    const wikitext = toWikitextTable(pages.slice(0, 1), ['Aigerim', 'Bakyt']);
    expect(wikitext).toBe([
      '{| class="wikitable sortable"',
      '! Page !! First !! Edits by Aigerim !! Edits by Bakyt !! Smallest gap',
      '|-',
      '| [[:Felt making]] || Aigerim (2026-03-02T08:30Z) || 1 || 1 || data-sort-value="1260000" | 21 min (Aigerim then Bakyt)',
      '|}',
      '',
    ].join('\n'));
    expect(toCsv(pages.slice(-1), ['Aigerim', 'Bakyt'])).toBe(
      'page,first_user,first_edit_utc,edits_Aigerim,edits_Bakyt,smallest_gap_seconds,gap_from,gap_to\r\n'
      + 'Talk:Kalkan demo,Aigerim,2026-04-01T09:40:00.000Z,2,1,1500,Aigerim,Bakyt\r\n',
    );
  });

  it('places one chart row per page and one dot per edit', () => {
    const layout = chartLayout(pages, ['Aigerim', 'Bakyt'], 800);
    expect(layout.rows).toHaveLength(9);
    expect(layout.points).toHaveLength(19);
    expect(Math.min(...layout.points.map((p) => p.x))).toBe(layout.labelWidth);
    expect(Math.max(...layout.points.map((p) => p.x))).toBeCloseTo(800 - 16);
  });

  it('the relative chart puts each page\'s first edit at the start and keeps minutes apart on a log scale', () => {
    const layout = chartLayout(pages, ['Aigerim', 'Bakyt'], 800, 'relative');
    const x = (title: string, user: string) => layout.points.find((p) => p.title === title && p.user === user)?.x ?? NaN;
    expect(x('Komuz', 'Aigerim')).toBe(layout.labelWidth);
    // Bakyt 21 min after on the article, 12 min after on the talk page: the later follower is further right.
    expect(x('Komuz', 'Bakyt')).toBeGreaterThan(x('Talk:Komuz', 'Bakyt'));
    expect(x('Talk:Komuz', 'Bakyt') - layout.labelWidth).toBeGreaterThan(100);
  });
});

describe('sharedPages tables', () => {
  const c = (user: string, title: string, minute: number, revid = minute): Contribution => ({ user, title, ns: 0, revid, utcMs: minute * MIN });
  it.each([
    ['a page only one user edited is not shared', [c('A', 'P', 1), c('A', 'P', 2)], []],
    ['smallest gap is between neighbours of different users', [c('A', 'P', 0), c('B', 'P', 50), c('A', 'P', 60), c('B', 'P', 63)], ['P:A:3:A>B']],
    ['the follower can come first on another page', [c('B', 'Q', 5), c('A', 'Q', 9)], ['Q:B:4:B>A']],
    ['three users: any two sharing a page count', [c('A', 'R', 1), c('C', 'R', 2), c('B', 'S', 1)], ['R:A:1:A>C']],
  ] as const)('%s', (_name, edits, expected) => {
    const byUser = new Map<string, Contribution[]>();
    for (const e of edits) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
    expect(sharedPages(byUser).map((p) => `${p.title}:${p.firstUser}:${p.minGapMs / MIN}:${p.gapFrom}>${p.gapTo}`)).toEqual(expected);
  });

  it.each([
    [30_000, '30 s'], [12 * MIN, '12 min'], [185 * MIN, '3 h 5 min'], [48 * 60 * MIN, '2 d'], [52 * 60 * MIN, '2 d 4 h'],
  ])('formatGap(%i) = %s', (ms, text) => expect(formatGap(ms)).toBe(text));

  it.each([
    ['plain', 'plain'], ['a,b', '"a,b"'], ['say "hi"', '"say ""hi"""'], ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'], ['-1', "'-1"],
  ])('csvCell(%s)', (value, cell) => expect(csvCell(value)).toBe(cell));
});
