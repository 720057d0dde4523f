import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { readPageText, textPosition } from '../../../utils/highlight/page-text';
import { commentText, commentTextMap, findQuotes, QuoteCursor, type CommentText } from '../../../utils/highlight/text-map';
import { buildPageModel, type PageModel } from '../../../utils/page-model/model';
import { WikiProfileSchema, type WikiProfile } from '../../../utils/wiki-profile/schema';
import { hasSharedData, sharedPath } from '../../support/shared-data';

/** A self-contained English profile (as in text-map.test.ts). */
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

const sig = (user: string, minute = 0) =>
  `<a href="/wiki/User:${user}">${user}</a> (<a href="/wiki/User_talk:${user}">talk</a>) 12:${String(minute).padStart(2, '0')}, 5 March 2020 (UTC)`;

const windows: Window[] = [];
afterEach(() => {
  for (const w of windows.splice(0)) void w.happyDOM.close();
});

function page(html: string): { doc: Document; model: PageModel } {
  const w = new Window();
  windows.push(w);
  const doc = w.document as unknown as Document;
  doc.body.innerHTML = `<div class="mw-parser-output">${html}</div>`;
  return { doc, model: buildPageModel(doc, profile, 'Talk:X', { source: 'parser' }) };
}

/** Every comment's text and quoted ranges from one walk, in an array by comment index. */
async function readAll(model: PageModel, options: { budgetMs?: number } = {}): Promise<{ reads: CommentText[]; order: number[]; slices: number }> {
  const reads: CommentText[] = [];
  const order: number[] = [];
  let slices = 0;
  const done = await readPageText(model.root, model.comments, (index, read) => {
    reads[index] = read;
    order.push(index);
  }, { quotes: findQuotes(model.root), yieldFn: () => Promise.resolve(), onSlice: () => { slices += 1; }, ...options });
  expect(done).toBe(true);
  return { reads, order, slices };
}

const quotedText = (read: CommentText) => read.quoted.map(([a, b]) => read.text.slice(a, b));

describe('readPageText: every comment in one walk', () => {
  it.each([
    ['a plain comment, signature left out', `<p>You are a <b>stupid</b> idiot. ${sig('Bakyt')}</p>`, ['You are a stupid idiot. '], [[]]],
    ['two comments in one paragraph run', `<p>First. ${sig('Aigerim')}</p><p>Second <i>one</i>. ${sig('Bakyt', 1)}</p>`,
      ['First. ', 'Second one. '], [[], []]],
    ['a reply list', `<p>Top. ${sig('Aigerim')}</p><dl><dd>Reply here. ${sig('Bakyt', 1)}<dl><dd>Deeper. ${sig('Chloe', 2)}</dd></dl></dd></dl>`,
      ['Top. ', 'Reply here. ', 'Deeper. '], [[], [], []]],
    ['quotations inside: <q>, {{tq}}, a blockquote', `<p>He wrote <q>you idiot</q> and <span class="inline-quote-talk">go away</span>.</p><blockquote><p>moron</p></blockquote><p>Unacceptable. ${sig('Chloe')}</p>`,
      ['He wrote you idiot and go away.moronUnacceptable. '], [['you idiot', 'go away', 'moron']]],
    ['a quotation at the very start of the comment is inside it', `<p><q>idiot</q> is what you said. ${sig('Dilnoza')}</p>`,
      ['idiot is what you said. '], [['idiot']]],
    ['nested quotations give both ranges', `<p>See <q>a <q>b</q> c</q> here. ${sig('Aigerim')}</p>`,
      ['See a b c here. '], [['a b c', 'b']]],
    ['a quotation wrapping the whole comment is not a quotation', `<div class="talkquote"><p>Inside a quote box, you idiot. ${sig('Bakyt')}</p></div>`,
      ['Inside a quote box, you idiot. '], [[]]],
    ['a quotation in the next comment does not leak into this one', `<p>Mine. ${sig('Aigerim')}</p><p><q>quoted</q> yours. ${sig('Bakyt', 1)}</p>`,
      ['Mine. ', 'quoted yours. '], [[], ['quoted']]],
    ['empty quotation quotes nothing', `<p>Before <q></q>after. ${sig('Aigerim')}</p>`, ['Before after. '], [[]]],
  ])('%s', async (_name, html, texts, quotes) => {
    const { doc, model } = page(html);
    const { reads, order } = await readAll(model);
    expect(reads.map((r) => r.text)).toEqual(texts);
    expect(reads.map(quotedText)).toEqual(quotes);
    expect(order).toEqual(texts.map((_t, i) => i));
    // The same answer as the per-comment readers (Range.toString and the source-map walk).
    const cursor = new QuoteCursor(findQuotes(model.root));
    model.comments.forEach((comment, i) => {
      const native = commentText(doc, comment, cursor);
      expect(reads[i]!.text).toBe(native.text);
      expect(reads[i]!.text).toBe(commentTextMap(comment).text);
      expect(quotedText(reads[i]!)).toEqual(quotedText(native));
    });
  });

  it('keeps text after a signature in the body and leaves every signature out', async () => {
    const { model } = page(`<p>Part one ${sig('Aigerim')} and part two ${sig('Aigerim', 1)}</p>`);
    const { reads } = await readAll(model);
    expect(reads.map((r) => r.text).join('|')).not.toContain('talk');
    expect(reads.map((r) => r.text).join('')).toContain('Part one');
  });

  it('turns boundaries into text positions: inside a text node, before an element, at the end', () => {
    const { doc } = page('<p id="p">ab<b>cd</b></p><p id="q"></p>');
    const p = doc.getElementById('p')!;
    const root = doc.body.firstChild!;
    expect(textPosition(p.firstChild!, 1, root)).toMatchObject({ offset: 1 });
    expect(textPosition(p, 1, root)?.node.data).toBe('cd');
    // After the last text of the page there is no position.
    expect(textPosition(doc.getElementById('q')!, 0, root)).toBeNull();
    expect(textPosition(root, root.childNodes.length, root)).toBeNull();
  });

  it('is cut into slices of the budget and stops when cancelled', async () => {
    const html = Array.from({ length: 60 }, (_v, i) => `<p>Comment number ${i} with some words. ${sig(`User${i}`, i % 60)}</p>`).join('');
    const { model } = page(html);
    let clock = 0;
    const reads: string[] = [];
    const sliced = await readPageText(model.root, model.comments, (_i, read) => reads.push(read.text), {
      budgetMs: 5, now: () => (clock += 1), yieldFn: () => Promise.resolve(), onSlice: () => undefined,
    });
    expect(sliced).toBe(true);
    expect(reads).toHaveLength(model.comments.length);
    let yields = 0;
    const stopped = await readPageText(model.root, model.comments, () => undefined, {
      budgetMs: 5, now: () => (clock += 1), yieldFn: () => { yields += 1; return Promise.resolve(); }, cancelled: () => yields >= 2,
    });
    expect(stopped).toBe(false);
  });

  it('gives the same text as the source-map walk on random comment bodies', async () => {
    const word = fc.constantFrom('you', 'idiot', 'the', 'edit', 'ok', 'ünïcödé', 'عربى', '😀x', '');
    const inline = fc.constantFrom('b', 'i', 'span', 'a', 'q', 'code', 'blockquote');
    const piece = fc.oneof(
      word,
      fc.tuple(inline, fc.array(word, { minLength: 0, maxLength: 3 })).map(([tag, ws]) => `<${tag}>${ws.join(' ')}</${tag}>`),
    );
    const comment = fc.array(piece, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(' '));
    await fc.assert(fc.asyncProperty(fc.array(comment, { minLength: 1, maxLength: 4 }), async (bodies) => {
      const { doc, model } = page(bodies.map((body, i) => `<p>${body} ${sig(`User${i}`, i)}</p>`).join(''));
      const { reads } = await readAll(model);
      const cursor = new QuoteCursor(findQuotes(model.root));
      model.comments.forEach((c, i) => {
        // Range.toString() is the reference: the source-map walk can differ where the parser gives a comment a
        // signature that starts before the comment itself (an empty body), then Range.toString() gives ''.
        const native = commentText(doc, c, cursor);
        expect(reads[i]!.text).toBe(native.text);
        expect(quotedText(reads[i]!)).toEqual(quotedText(native));
      });
    }), { numRuns: 40 });
  });
});

/** The saved enwiki archive in its three renderings: the walk must agree with the per-comment reader on every comment. */
const ARCHIVES = ['enwiki-VPT-Archive175-oldparser.html', 'enwiki-VPT-Archive175-parsoid.html', 'enwiki-VPT-Archive175-DT-formatted-desktop.html'];

describe.skipIf(!hasSharedData)('readPageText on the 1,311-comment enwiki archive', () => {
  it.each(ARCHIVES)('%s: same text and quotations as the per-comment reader for every comment', async (file) => {
    const w = new Window();
    windows.push(w);
    const doc = w.document as unknown as Document;
    doc.body.innerHTML = `<div id="mw-content-text">${readFileSync(sharedPath('pages', file), 'utf8')}</div>`;
    const model = buildPageModel(doc, { ...profile, wikiId: 'enwiki' }, 'Wikipedia:Village pump (technical)/Archive 175');
    expect(model.comments.length).toBeGreaterThan(1_000);
    const { reads } = await readAll(model, { budgetMs: Infinity });
    const cursor = new QuoteCursor(findQuotes(model.root));
    const differing = model.comments.filter((c, i) => {
      const native = commentText(doc, c, cursor);
      return reads[i]!.text !== native.text || JSON.stringify(reads[i]!.quoted) !== JSON.stringify(native.quoted);
    }).map((c) => c.id);
    expect(differing).toEqual([]);
    // Where the source-map walk applies (flagged comments), it agrees too.
    const mapped = model.comments.filter((c, i) => reads[i]!.text === commentTextMap(c).text).length;
    expect(mapped).toBeGreaterThan(model.comments.length * 0.99);
    expect(reads.filter((r) => r.quoted.length > 0).length).toBeGreaterThan(0);
  }, 120_000);
});
