import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../support/shared-data';
import { loadDtCases, parseHtmlPage, readJson } from '../../../scripts/eval-threads';
import { scoreThreads, type ScoredItem } from '../../../utils/page-model/evaluate';
import { buildPageModel, interactions, modelToJson } from '../../../utils/page-model/model';
import { indexAfter, parseCommentId } from '../../../utils/page-model/markers';
import { childIndexOf } from '../../../utils/page-model/dom';
import { WikiProfileSchema } from '../../../utils/wiki-profile/schema';
import { dtProfile, dtTestsDir } from './helpers';

interface FormattedCase { name: string; title: string; expected: Record<string, string>; config: string }

describe.skipIf(!hasSharedData)('DiscussionTools markers fast path', () => {
  const formatted = hasSharedData ?
    readJson(join(dtTestsDir(), 'cases', 'formatted.json')) as FormattedCase[] : [];
  const cases = hasSharedData ? loadDtCases(dtTestsDir()) : [];
  const rows = formatted.flatMap((f) => {
    const c = cases.find((x) => x.name === f.name);
    if (!c) return [];
    return Object.entries(f.expected)
      .filter(([, p]) => existsSync(join(dtTestsDir(), p)))
      .map(([kind, p]) => [`${f.name} (${kind})`, f, p, c.expected] as const);
  });

  it.each(rows)('%s matches the expected threads from markers alone', (_n, f, page, expectedPath) => {
    const wiki = f.config.replace(/^.*\/([a-z]+)-config\.json$/, '$1');
    const parsed = parseHtmlPage(readFileSync(join(dtTestsDir(), page), 'utf8'));
    try {
      const model = buildPageModel(parsed.document, dtProfile(wiki), f.title);
      expect(model.source).toBe('markers');
      const expected = readJson(join(dtTestsDir(), 'cases', expectedPath)) as ScoredItem[];
      const s = scoreThreads(expected, modelToJson(model));
      expect(s.f1, s.examples.join('\n')).toBe(1);
      expect(s.levelAccuracy).toBeGreaterThanOrEqual(0.98);
      expect(s.parentAccuracy).toBeGreaterThanOrEqual(0.98);
      expect(s.idAccuracy).toBe(1);
      // Display names are read on demand from the signature (the build skips signature links): same as DT's.
      const names = (items: ReadonlyArray<{ id?: string; type?: string; displayName?: string; replies?: unknown[] }>) => {
        const out = new Map<string, string | null>();
        const stack = [...items];
        while (stack.length) {
          const item = stack.pop() as { id?: string; type?: string; displayName?: string; replies?: unknown[] };
          if (item.type === 'comment' && item.id) out.set(item.id, item.displayName ?? null);
          stack.push(...(item.replies ?? []) as typeof items);
        }
        return out;
      };
      const want = names(expected as Parameters<typeof names>[0]);
      const got = names(modelToJson(model));
      const differing = [...want].filter(([id, name]) => got.has(id) && got.get(id) !== name);
      expect(differing).toEqual([]);
      expect([...want.values()].filter((n) => n !== null).length).toBe([...got.values()].filter((n) => n !== null).length);
    } finally {
      parsed.close();
    }
  });

  it('reads the live-style plwiki page (pages/) with markers and finds replies', () => {
    const file = sharedPath('pages', 'plwiki-Kawiarenka-2018-10-DT-formatted-mobile.html');
    const parsed = parseHtmlPage(readFileSync(file, 'utf8'));
    try {
      const model = buildPageModel(parsed.document, dtProfile('plwiki'),
        'Wikipedia:Kawiarenka/Artykuły dyskusja/Archiwum/2018-październik');
      expect(model.source).toBe('markers');
      expect(model.comments).toHaveLength(174);
      const first = model.comments[0];
      expect(first?.author).toBe('Stok');
      expect(first?.id).toBe('c-Stok-2018-09-29T06:23:00.000Z-Kalendarium');
      const replies = interactions(model).filter((i) => i.kind === 'reply');
      expect(replies[0]).toEqual({ from: 'Cybularny', to: 'Stok', kind: 'reply',
        commentId: 'c-Cybularny-2018-09-29T07:06:00.000Z-Stok-2018-09-29T06:23:00.000Z' });
    } finally {
      parsed.close();
    }
  });
});

describe('comment ids', () => {
  it.each([
    ['c-Matma_Rex-2020-01-22T23:19:00.000Z-hello', 'Matma Rex', Date.UTC(2020, 0, 22, 23, 19)],
    ['c-127.0.0.1-20230113092500-test', '127.0.0.1', Date.UTC(2023, 0, 13, 9, 25)],
    ['c-Foo-Bar-2019-06-21T10:08:00.000Z', 'Foo-Bar', Date.UTC(2019, 5, 21, 10, 8)],
  ])('%s', (id, author, ms) => {
    expect(parseCommentId(id)).toEqual({ author, utcMs: ms });
  });
  it.each(['h-Foo-2020-01-22T23:19:00.000Z', 'c-NoTimestamp', 'c--'])('%s is not a comment id', (id) => {
    expect(parseCommentId(id)).toBeNull();
  });
});

/** An English wiki in UTC with the standard namespace names: enough for hand-written marker pages. */
const plainEnglishProfile = WikiProfileSchema.parse({
  schemaVersion: 1, wikiId: 'test', server: '', articlePath: '/wiki/$1', scriptPath: '/w', contentLanguage: 'en',
  dir: 'ltr', namespaceIds: { user: 2, user_talk: 3, special: -1 }, formattedNamespaces: { 2: 'User', 3: 'User talk', '-1': 'Special' },
  specialContributionsNames: ['Contributions'], localTimezone: 'UTC',
  dateLocales: [{ code: 'en', dateFormat: 'H:i, j F Y', digits: null, messages: {}, timezoneAbbreviations: {} }],
  fetchedAt: 0,
});

describe('timestamp links found with the markers (no walk)', () => {
  const profile = plainEnglishProfile;
  const A = 'c-Alice-2020-01-01T10:00:00.000Z-Topic';
  const B = 'c-Bob-2020-01-01T11:00:00.000Z-Alice-2020-01-01T10:00:00.000Z';
  const C = 'c-Zoë-2020-01-01T12:00:00.000Z-Topic';
  const ts = (id: string, seconds: number) =>
    `<a href="#${id}" class="ext-discussiontools-init-timestamplink" title="${seconds}">time ${seconds}</a>`;
  const sig = (id: string, user: string) => `<span data-mw-comment-sig="${id}"></span><a href="/wiki/User:${user}">${user}</a> `;
  const start = (id: string) => `<span data-mw-comment-start="" id="${id}"></span>`;
  const end = (id: string) => `<span data-mw-comment-end="${id}"></span>`;
  const heading = '<h2><span data-mw-comment-start="" id="h-Topic-2020-01-01T10:00:00.000Z"></span><span class="mw-headline" id="Topic">Topic</span></h2>';

  const cases: [string, string, { comments: string[]; timestamps: string[][]; signatures: number[] }][] = [
    ['one signature, one link', `${heading}<p>${start(A)}Hi ${sig(A, 'Alice')}${ts(A, 1)}${end(A)}</p>`,
      { comments: [A], timestamps: [['time 1']], signatures: [1] }],
    ['a signature without a link before the end marker gets none (the next comment\'s link is not taken)',
      `${heading}<p>${start(A)}Hi ${sig(A, 'Alice')}${end(A)}</p><dl><dd>${start(B)}Re ${sig(B, 'Bob')}${ts(B, 2)}${end(B)}</dd></dl>`,
      { comments: [A, B], timestamps: [[], ['time 2']], signatures: [0, 1] }],
    ['two signatures before one link both end at it, as a walk from each would',
      `${heading}<p>${start(A)}Hi ${sig(A, 'Alice')}and ${sig(A, 'Alice')}${ts(A, 3)}${end(A)}</p>`,
      { comments: [A], timestamps: [['time 3', 'time 3']], signatures: [2] }],
    ['a timestamp link outside any comment is nobody\'s',
      `${heading}<p>${ts(A, 4)}</p><p>${start(A)}Hi ${sig(A, 'Alice')}${ts(A, 5)}${end(A)}</p>`,
      { comments: [A], timestamps: [['time 5']], signatures: [1] }],
    ['a signature marker before the start marker is not the comment\'s (DT\'s fake-heading markup)',
      `${heading}<dl><dd>${sig(A, 'Alice')}<span>${start(A)}Hi</span> ${ts(A, 6)}${end(A)}</dd></dl>`,
      { comments: [A], timestamps: [[]], signatures: [0] }],
    ['a signature marker after the end marker is not the comment\'s',
      `${heading}<p>${start(A)}Hi ${sig(A, 'Alice')}${ts(A, 7)}${end(A)} ${sig(A, 'Alice')}${ts(A, 8)}</p>`,
      { comments: [A], timestamps: [['time 7']], signatures: [1] }],
    ['two signatures with a link each take their own',
      `${heading}<p>${start(A)}Hi ${sig(A, 'Alice')}${ts(A, 9)} and ${sig(A, 'Alice')}${ts(A, 10)}${end(A)}</p>`,
      { comments: [A], timestamps: [['time 9', 'time 10']], signatures: [2] }],
    ['a link whose fragment names another page\'s anchor is found by walking from the signature',
      `${heading}<p>${start(A)}Hi ${sig(A, 'Alice')}<a href="#elsewhere" class="ext-discussiontools-init-timestamplink" title="11">time 11</a>${end(A)}</p>`,
      { comments: [A], timestamps: [['time 11']], signatures: [1] }],
    ['a percent-encoded fragment names the same comment',
      `${heading}<p>${start(C)}Hi ${sig(C, 'Zoë')}<a href="#${encodeURIComponent(C)}" class="ext-discussiontools-init-timestamplink" title="12">time 12</a>${end(C)}</p>`,
      { comments: [C], timestamps: [['time 12']], signatures: [1] }],
    ['a heading without a DT marker (one DT did not read as a thread) starts no thread',
      `${heading}<p>${start(A)}Hi ${sig(A, 'Alice')}${ts(A, 13)}${end(A)}</p><h2>Not a thread</h2><dl><dd>${start(B)}Re ${sig(B, 'Bob')}${ts(B, 14)}${end(B)}</dd></dl>`,
      { comments: [A, B], timestamps: [['time 13'], ['time 14']], signatures: [1, 1] }],
  ];
  it.each(cases)('%s', (_name, html, want) => {
    const w = new Window();
    const doc = new w.DOMParser().parseFromString(`<body><div class="mw-parser-output">${html}</div></body>`, 'text/html') as unknown as Document;
    const model = buildPageModel(doc, profile, 'Talk:Topic');
    expect(model.source).toBe('markers');
    expect(model.comments.map((c) => c.id)).toEqual(want.comments);
    expect(model.comments.map((c) => c.timestampRanges.map((r) => (r.startContainer as Text).data.slice(r.startOffset, r.endOffset))))
      .toEqual(want.timestamps);
    expect(model.comments.map((c) => c.signatureRanges.length)).toEqual(want.signatures);
    expect(model.comments.map((c) => c.author)).toEqual(want.comments.map((id) => parseCommentId(id)?.author));
    expect(model.headings.filter((h) => !h.placeholderHeading).map((h) => h.text)).toEqual(['Topic']);
  });
});

describe('comment names: taken from the DT id where it spells them, else written as DT would', () => {
  const profile = plainEnglishProfile;
  const longName = `L${'o'.repeat(85)}ng`;
  const cases: [string, string, string, string][] = [
    ['an ISO id before the format switch', 'c-Alice-2020-01-01T10:00:00.000Z-Topic', 'Alice', 'c-Alice-2020-01-01T10:00:00.000Z'],
    ['a compact id after it', 'c-Bob_B-20230113092500-Topic', 'Bob B', 'c-Bob_B-20230113092500'],
    ['an ISO id without milliseconds is not DT\'s: the time comes from the link', 'c-Alice-2020-01-01T10:00:00Z-Topic', 'Alice',
      'c-Alice-1970-01-01T00:00:01.000Z'],
    ['a compact id before the switch', 'c-Alice-20200101100000-Topic', 'Alice', 'c-Alice-2020-01-01T10:00:00.000Z'],
    ['an id whose day rolls over', 'c-Alice-20230229100000-Topic', 'Alice', 'c-Alice-20230301100000'],
    ['an id author with an edge underscore', 'c-_Alice-2020-01-01T10:00:00.000Z-Topic', ' Alice', 'c-Alice-2020-01-01T10:00:00.000Z'],
    ['an author cut in the id, read in full from the signature', `c-${longName.slice(0, 80)}-2020-01-01T10:00:00.000Z-Topic`, longName,
      `c-${longName.slice(0, 80)}-2020-01-01T10:00:00.000Z`],
  ];
  it.each(cases)('%s', (_name, id, user, name) => {
    const w = new Window();
    const html = '<h2><span data-mw-comment-start="" id="h-Topic"></span><span class="mw-headline" id="Topic">Topic</span></h2>' +
      `<p><span data-mw-comment-start="" id="${id}"></span>Hi <span data-mw-comment-sig="${id}"></span>` +
      `<a href="/wiki/User:${user.trim().replace(/ /g, '_')}">${user}</a> <a class="ext-discussiontools-init-timestamplink" href="#x" title="1">t</a>` +
      `<span data-mw-comment-end="${id}"></span></p>`;
    const doc = new w.DOMParser().parseFromString(`<body><div class="mw-parser-output">${html}</div></body>`, 'text/html') as unknown as Document;
    const model = buildPageModel(doc, profile, 'Talk:Topic');
    const comment = model.comments[0];
    expect(comment?.id).toBe(id);
    expect(comment?.name).toBe(name);
    expect(model.headings[0]?.name).toBe(`h-${name.slice(2)}`);
  });
});

describe('childIndexOf gives each child its index', () => {
  it.each([1, 2, 3, 4, 7, 40])('every child of a parent with %i children', (count) => {
    const w = new Window();
    const doc = new w.DOMParser().parseFromString(
      `<body><p id="p">${Array.from({ length: count }, (_, i) => (i % 2 ? `<b>${i}</b>` : `t${i}`)).join('')}</p></body>`, 'text/html') as unknown as Document;
    const kids = Array.from((doc.getElementById('p') as Element).childNodes) as Node[];
    expect(kids).toHaveLength(count);
    expect(kids.map((k) => childIndexOf(k))).toEqual(kids.map((_, i) => i));
  });
});

describe('indexAfter counts from a known sibling with the same result as childIndexOf', () => {
  const w = new Window();
  const doc = new w.DOMParser().parseFromString(
    `<body><p id="p">${Array.from({ length: 80 }, (_, i) => `<b>${i}</b>t`).join('')}</p><p id="q"><i>x</i></p></body>`,
    'text/html') as unknown as Document;
  const kids = Array.from((doc.getElementById('p') as Element).childNodes) as Node[];
  const other = (doc.getElementById('q') as Element).firstChild as Node;
  const cases: [string, { node: Node; index: number } | null, Node][] = [
    ['no known sibling', null, kids[5] as Node],
    ['a close following sibling', { node: kids[3] as Node, index: 3 }, kids[9] as Node],
    ['the known node itself', { node: kids[7] as Node, index: 7 }, kids[7] as Node],
    ['a sibling too far away', { node: kids[2] as Node, index: 2 }, kids[150] as Node],
    ['an earlier sibling', { node: kids[40] as Node, index: 40 }, kids[10] as Node],
    ['a node under another parent', { node: kids[1] as Node, index: 1 }, other],
  ];
  it.each(cases)('%s', (_name, known, node) => {
    expect(indexAfter(known, node)).toBe(childIndexOf(node));
  });
});
