import fc from 'fast-check';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { buildPageModel, interactions, modelToJson } from '../../../utils/page-model/model';
import { WikiProfileSchema, type WikiProfile } from '../../../utils/wiki-profile/schema';

/** A self-contained English profile, so these tests run without the shared data. */
const profile: WikiProfile = WikiProfileSchema.parse({
  schemaVersion: 1, wikiId: 'test', server: '', articlePath: '/wiki/$1', scriptPath: '/w', contentLanguage: 'en',
  dir: 'ltr', namespaceIds: { user: 2, user_talk: 3, special: -1 }, formattedNamespaces: { 2: 'User', 3: 'User talk', '-1': 'Special' },
  specialContributionsNames: ['Contributions'], localTimezone: 'Europe/Berlin',
  dateLocales: [{
    code: 'en', dateFormat: 'H:i, j F Y', digits: null,
    messages: { january: 'January', february: 'February', march: 'March', april: 'April', may_long: 'May', june: 'June',
      july: 'July', august: 'August', september: 'September', october: 'October', november: 'November', december: 'December' },
    timezoneAbbreviations: { CET: 'CET', CEST: 'CEST' },
  }],
  fetchedAt: 0,
});

/** Generous wall-clock bound for one hostile page in happy-dom on a shared 2-core machine. */
const TIME_BOUND_MS = 5_000;

function build(html: string) {
  const w = new Window();
  const doc = new w.DOMParser().parseFromString(`<body><div class="mw-parser-output">${html}</div></body>`, 'text/html') as unknown as Document;
  const t0 = performance.now();
  const model = buildPageModel(doc, profile, 'Talk:X', { source: 'parser' });
  const json = modelToJson(model, { text: true });
  interactions(model);
  const ms = performance.now() - t0;
  void w.happyDOM.close();
  return { model, json, ms };
}

const sig = (user: string, time = '12:00, 5 March 2020 (CET)') =>
  `<a href="/wiki/User:${user}">${user}</a> (<a href="/wiki/User_talk:${user}">talk</a>) ${time}`;

describe('hostile pages', () => {
  it('handles 10,000 links in one paragraph within bounds', () => {
    const html = `<p>${'<a href="/wiki/User:Spam">x</a> '.repeat(10_000)}${sig('Real')}</p>`;
    const { model, ms } = build(html);
    expect(model.comments).toHaveLength(1);
    expect(model.comments[0]?.author).toBe('Real');
    expect(ms).toBeLessThan(TIME_BOUND_MS);
  });

  // 2,000 rather than 10,000: happy-dom's nextSibling is O(siblings), so a 40,000-node paragraph measures
  // happy-dom, not us (browsers keep sibling links). The per-comment signature cap is what is under test.
  it('handles 2,000 signatures on one line (merged into one comment, signatures capped)', () => {
    const html = `<p>${Array.from({ length: 2_000 }, (_, i) => sig(`U${i % 7}`)).join(' ')}</p>`;
    const { model, ms } = build(html);
    // MAX_PARAGRAPH_WALK_NODES may cut the line into a few comments; each keeps at most 50 signatures.
    expect(model.comments.length).toBeGreaterThanOrEqual(1);
    expect(model.comments.length).toBeLessThanOrEqual(3);
    for (const c of model.comments) expect(c.signatureRanges.length).toBeLessThanOrEqual(50);
    expect(ms).toBeLessThan(TIME_BOUND_MS);
  });

  it('handles 5,000-deep nesting without throwing', () => {
    const depth = 5_000;
    const html = `${'<dl><dd>'.repeat(depth)}${sig('Deep')}${'</dd></dl>'.repeat(depth)}<p>${sig('Top')}</p>`;
    const { model, ms } = build(html);
    expect(model.comments.map((c) => c.author)).toEqual(['Deep', 'Top']);
    expect(ms).toBeLessThan(TIME_BOUND_MS);
  });

  it('drops invalid dates and keeps valid ones', () => {
    const { model } = build(`<p>${sig('A', '12:00, 31 February 2020 (CET)')}</p><p>${sig('B', '25:00, 1 March 2020 (CET)')}</p><p>${sig('C')}</p>`);
    expect(model.comments.map((c) => c.author)).toEqual(['C']);
  });

  it('never throws on arbitrary tag soup', () => {
    const piece = fc.constantFrom('<p>', '</p>', '<dl>', '<dd>', '</dd>', '<ul><li>', '<b>', '</b>', '<h2 id="x">H</h2>',
      '<h3>', '<blockquote>', '<a href="/wiki/User:A">A</a>', '<a href="/wiki/User_talk:B">B</a>', '<a href="/wiki/Special:Contributions/1.2.3.4">ip</a>',
      ' 12:00, 5 March 2020 (CET)', ' 99:99, 45 March 0000 (CET)', '<span typeof="mw:Entity">&nbsp;</span>', 'text ', '<br>', '<hr>',
      '<div class="mw-notalk">', '</div>', '<ol class="references"><li>', '<a class="mw-selflink">self</a>', '<a href="%E1%">bad</a>');
    fc.assert(fc.property(fc.array(piece, { maxLength: 200 }), (parts) => {
      const { json, ms } = build(parts.join(''));
      expect(Array.isArray(json)).toBe(true);
      expect(ms).toBeLessThan(TIME_BOUND_MS);
    }), { numRuns: 150 });
  });

  it('never throws on random strings as HTML', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => {
      expect(() => build(s)).not.toThrow();
    }), { numRuns: 150 });
  });
});
