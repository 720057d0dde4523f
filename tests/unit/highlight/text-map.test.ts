import fc from 'fast-check';
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { CommentTextReader, commentText, commentTextMap, findQuotes, QuoteCursor, quotesByComment, spanToRange, textHash } from '../../../utils/highlight/text-map';
import { buildPageModel } from '../../../utils/page-model/model';
import type { DomRange } from '../../../utils/page-model/types';
import { WikiProfileSchema, type WikiProfile } from '../../../utils/wiki-profile/schema';

/** A self-contained English profile (as in tests/unit/page-model/hostile.test.ts). */
const profile: WikiProfile = WikiProfileSchema.parse({
  schemaVersion: 1, wikiId: 'test', server: '', articlePath: '/wiki/$1', scriptPath: '/w', contentLanguage: 'en',
  dir: 'ltr', namespaceIds: { user: 2, user_talk: 3, special: -1 }, formattedNamespaces: { 2: 'User', 3: 'User talk', '-1': 'Special' },
  specialContributionsNames: ['Contributions'], localTimezone: 'UTC',
  dateLocales: [{
    code: 'en', dateFormat: 'H:i, j F Y', digits: null,
    messages: { january: 'January', february: 'February', march: 'March', april: 'April', may_long: 'May', june: 'June',
      july: 'July', august: 'August', september: 'September', october: 'October', november: 'November', december: 'December' },
    timezoneAbbreviations: { UTC: 'UTC' },
  }],
  fetchedAt: 0,
});

const sig = (user: string, time = '12:00, 5 March 2020 (UTC)') =>
  `<a href="/wiki/User:${user}">${user}</a> (<a href="/wiki/User_talk:${user}">talk</a>) ${time}`;

const windows: Window[] = [];
afterEach(() => {
  for (const w of windows.splice(0)) void w.happyDOM.close();
});

function page(html: string) {
  const w = new Window();
  windows.push(w);
  const doc = w.document as unknown as Document;
  doc.body.innerHTML = `<div class="mw-parser-output">${html}</div>`;
  const model = buildPageModel(doc, profile, 'Talk:X', { source: 'parser' });
  return { doc, model };
}

function rangeText(doc: Document, r: DomRange): string {
  const live = doc.createRange();
  live.setStart(r.startContainer, r.startOffset);
  live.setEnd(r.endContainer, r.endOffset);
  return live.toString();
}

describe('comment text for highlighting', () => {
  it('leaves the signature out and maps every character back to the page', () => {
    const { doc, model } = page(`<p>You are a <b>stupid</b> idiot. ${sig('Bakyt')}</p>`);
    const comment = model.comments[0]!;
    const { text } = commentText(doc, comment);
    expect(text).toBe('You are a stupid idiot. ');
    const map = commentTextMap(comment);
    expect(map.text).toBe(text);
    const start = text.indexOf('stupid');
    const range = spanToRange(map, start, start + 'stupid idiot'.length)!;
    expect(rangeText(doc, range)).toBe('stupid idiot');
  });

  it('reports blockquotes, <q> and quote templates inside the comment as quoted ranges', () => {
    const { doc, model } = page(
      `<p>He wrote <q>you idiot</q> and <span class="inline-quote-talk">go away</span>, which is unacceptable. ${sig('Chloe')}</p>` +
      `<p>Second comment <i>no quote</i>. ${sig('Dilnoza', '13:00, 5 March 2020 (UTC)')}</p>`,
    );
    const quotes = new QuoteCursor(findQuotes(model.root));
    const first = commentText(doc, model.comments[0]!, quotes);
    expect(first.quoted.map(([a, b]) => first.text.slice(a, b))).toEqual(['you idiot', 'go away']);
    const second = commentText(doc, model.comments[1]!, quotes);
    expect(second.quoted).toEqual([]);
  });

  it('does not treat a blockquote that wraps the whole comment as a quotation', () => {
    const { doc, model } = page(`<div class="talkquote"><p>Indented inside a quote box, you idiot. ${sig('Bakyt')}</p></div>`);
    const { text, quoted } = commentText(doc, model.comments[0]!, new QuoteCursor(findQuotes(model.root)));
    expect(text).toContain('you idiot');
    expect(quoted).toEqual([]);
  });

  it('gives the same text both ways, and every span maps to exactly its text (random comment bodies)', () => {
    const word = fc.constantFrom('you', 'idiot', 'the', 'edit', 'ok', 'ünïcödé', 'عربى', '😀x');
    const inline = fc.constantFrom('b', 'i', 'span', 'a', 'q', 'code');
    const piece = fc.oneof(
      word,
      fc.tuple(inline, fc.array(word, { minLength: 1, maxLength: 3 })).map(([tag, ws]) => `<${tag}>${ws.join(' ')}</${tag}>`),
    );
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.nat(), fc.nat(), (pieces, a, b) => {
      const { doc, model } = page(`<p>${pieces.join(' ')} ${sig('Aigerim')}</p>`);
      const comment = model.comments[0];
      if (!comment) return;
      const { text } = commentText(doc, comment);
      const map = commentTextMap(comment);
      expect(map.text).toBe(text);
      if (!text.length) return;
      const start = a % text.length;
      const end = start + 1 + (b % (text.length - start));
      const range = spanToRange(map, start, end);
      expect(range && rangeText(doc, range)).toBe(text.slice(start, end));
    }), { numRuns: 60 });
  });

  it('assigns each quotation to the comment it starts in, by binary search, as the cursor does', () => {
    const comments = Array.from({ length: 40 }, (_v, i) => {
      const time = `12:${String(i).padStart(2, '0')}, 5 March 2020 (UTC)`;
      if (i === 3) return `<p>He wrote <q>you idiot</q>, rude. ${sig('U3', time)}</p>`;
      if (i === 20) return `<blockquote><p>moron</p></blockquote><p>Not ok. ${sig('U20', time)}</p>`;
      return `<p>Plain comment ${i}. ${sig(`U${i}`, time)}</p>`;
    });
    // Unsigned text opens the first comment (as in DiscussionTools); a quote box around a whole comment is not a
    // quotation of it.
    const { doc, model } = page(`<p><q>unsigned quote</q></p>${comments.join('')}<div class="talkquote"><p>Boxed, you idiot. ${sig('Box', '13:00, 5 March 2020 (UTC)')}</p></div>`);
    const quotes = findQuotes(model.root);
    expect(quotes).toHaveLength(4);
    const named = (map: Map<{ author: string }, Element[]>) => [...map].map(([c, qs]) => [c.author, qs.map((q) => q.textContent)]);
    const viaCursor = new Map<{ author: string }, Element[]>();
    const cursor = new QuoteCursor(quotes);
    for (const comment of model.comments) {
      const whole = doc.createRange();
      whole.setStart(comment.range.startContainer, comment.range.startOffset);
      whole.setEnd(comment.range.endContainer, comment.range.endOffset);
      const inside = cursor.within(whole);
      if (inside.length) viaCursor.set(comment, inside);
    }
    const byComment = quotesByComment(doc, model.comments, quotes);
    expect(named(byComment)).toEqual(named(viaCursor));
    // (U20's blockquote comes before the paragraph where the model starts U20's comment: in no comment, both ways.)
    expect(named(byComment)).toEqual([['U0', ['unsigned quote']], ['U3', ['you idiot']]]);
    // With as many quotations as comments the cursor itself is used: the same answer.
    expect(named(quotesByComment(doc, model.comments.slice(0, 4), quotes))).toEqual([['U0', ['unsigned quote']], ['U3', ['you idiot']]]);
    // Reading with the assigned quotations gives the same text and quoted ranges as reading with the cursor.
    const reader = new CommentTextReader(doc);
    const again = new QuoteCursor(quotes);
    for (const comment of model.comments) {
      expect(reader.read(comment, byComment.get(comment) ?? [])).toEqual(commentText(doc, comment, again));
    }
  });

  it('hashes text cheaply and stably', () => {
    expect(textHash('abc')).toBe(textHash('abc'));
    expect(textHash('abc')).not.toBe(textHash('abd'));
    expect(textHash('')).not.toBe(textHash(' '));
  });

  it('returns no range for empty or out-of-text spans', () => {
    const { model } = page(`<p>Hello there. ${sig('Chloe')}</p>`);
    const map = commentTextMap(model.comments[0]!);
    expect(spanToRange(map, 3, 3)).toBeNull();
    expect(spanToRange(map, 500, 510)).toBeNull();
  });
});
