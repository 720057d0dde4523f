import { describe, expect, it } from 'vitest';
import { createDetector } from '../../../utils/detection/detector.ts';
import {
  collectFeatures, FEATURE_SPEC, HASH_BITS, MAX_CACHED_WORD_LENGTH, newFeatureBuffer, sumFeatures, WORD_CACHE_BITS,
} from '../../../utils/detection/features.ts';
import { tokenize, type Token } from '../../../utils/detection/normalize.ts';
import { findQuotedRanges } from '../../../utils/detection/quotes.ts';
import { builtinPacks } from '../../../utils/detection/rule-packs/index.ts';
import { compilePacks, matchRules, maskMatches, maskMatchesByCodePoint } from '../../../utils/detection/rules.ts';
import { seededRandom } from '../../../utils/detection/training.ts';

/*
 * The detector's fast paths (docs/detector.md, "Speed") must give exactly what the general code gives. Each table
 * runs a text through the fast path and through a variant that forces the general one, or checks against outputs
 * recorded from the code before the fast paths existed.
 */

const spans = (tokens: readonly Token[]): Array<[string, number, number]> => tokens.map((t) => [t.text, t.start, t.end]);

/** Texts that reach every tokenizer path: ASCII only, letters that fold to one code point, plain runs, evasions. */
const TEXTS: Array<[string, string?]> = [
  ['You are an IDIOT.'], ['stuuuupid'], ['i d i o t'], ['f.u.c.k you'], ['f*ck off, id**t'], ['h3ll0 1d10t 2004 user123'],
  ["you're don't"], ['a$$hole sh!t'], ['idiot!you idiot?yes'], ['internationalization Internationalization'],
  ['Mississippi misspellingsss'], ['ты дурак', 'ru'], ['ДУРАК ты!!!', 'ru'], ['cукa', 'ru'], ['іdіоt'], ['ιdιοt'],
  ['caña İstanbul straße'], ['Şikayet ediyorum, aptal', 'tr'], ['abcабв'], ['ｉｄｉｏｔ'], ['ЁЛКА ёлка', 'ru'],
  ['«1d10t»'], ['a b c d e'], ['', 'en'],
];

describe('tokenizer fast paths give the general path\'s tokens', () => {
  // An astral character (not a letter) after the text makes every range explicit: the general path.
  it.each(TEXTS)('%s: same tokens with ranges written out', (text, lang) => {
    expect(tokenize(`${text} \u{1F600}`, lang)).toEqual(tokenize(text, lang));
  });

  // An invisible character first: also the general path, every offset one unit later.
  it.each(TEXTS)('%s: same tokens after an invisible character, shifted by one', (text, lang) => {
    const shifted = tokenize(text, lang).map((t) => ({ ...t, start: t.start + 1, end: t.end + 1 }));
    expect(tokenize(`\u200B${text}`, lang)).toEqual(shifted);
  });

  // A word with a non-ASCII letter after the text: no longer the all-ASCII path, still one code point per unit.
  it.each(TEXTS)('%s: same tokens in a text that is not all ASCII', (text, lang) => {
    const alone = tokenize(text, lang);
    const longer = tokenize(`${text} café`, lang);
    expect(longer.length).toBe(alone.length + 1);
    expect(longer.slice(0, alone.length)).toEqual(alone);
  });

  // Recorded from the tokenizer before the plain-run and ASCII paths were added.
  const recorded: Array<[string, string | undefined, Array<[string, number, number]>]> = [
    ['Hello  wooorld', undefined, [['helo', 0, 5], ['world', 7, 14]]],
    ['ДУРАК ты', 'ru', [['дурак', 0, 5], ['ты', 6, 8]]],
    ['abcабв', undefined, [['авсабв', 0, 6]]], // mixed scripts in one word: not a plain run
    ['internationalization Internationalization', undefined, [['internationalization', 0, 20], ['internationalization', 21, 41]]],
    ['Mississippi', undefined, [['misisipi', 0, 11]]],
    ['ты дурак!!! Ты', undefined, [['ты', 0, 2], ['дурак', 3, 8], ['ты', 12, 14]]],
    ['caña İstanbul straße', undefined, [['cana', 0, 4], ['istanbul', 5, 13], ['strase', 14, 20]]],
    ['cукa', 'ru', [['сука', 0, 4]]],
    ['іdіоt', undefined, [['idiot', 0, 5]]],
    ['stuuupid i d i o t', undefined, [['stupid', 0, 8], ['idiot', 9, 18]]],
    ['xyz \u{1F600} abc', undefined, [['xyz', 0, 3], ['abc', 7, 10]]],
  ];
  it.each(recorded)('%s → %j', (text, lang, expected) => {
    expect(spans(tokenize(text, lang))).toEqual(expected);
  });

  it('marks plain words as the general path does (not masked, not joined, sentence and clause starts)', () => {
    const tokens = tokenize('Ok. well, fine');
    expect(tokens.map((t) => [t.masked, t.joined, t.sentenceStart, t.clauseStart])).toEqual([
      [false, false, true, true], [false, false, true, true], [false, false, false, true],
    ]);
  });
});

describe('masked words', () => {
  const cases: Array<[string, string, boolean, boolean]> = [
    ['f*ck', 'fuck', false, true], ['f**k', 'fuck', false, true], ['f*ck', 'fag', true, false], ['f*cking', 'fuck', true, true],
    ['id*t', 'idiot', false, true], ['id*ot', 'idiot', false, true], ['i*', 'idiot', true, false], ['*uck', 'fuck', false, true],
    ['x*ck', 'fuck', false, false], ['f*ck', 'f', false, false], ['', 'fuck', false, false], ['f*ck', '', true, true],
    ['𝐟*ck', '𝐟uck', false, true], ['𝐟*ck', 'fuck', false, false], ['д*рак', 'дурак', false, true], ['s*d', 'stupid', false, true],
    ['s**d', 'stupid', false, true], ['s*****d', 'stupid', false, false], ['s*d', 'stupid', true, true], ['s*', 'stupid', true, false],
  ];
  it.each(cases)('%s against %s (stem %s): %s', (token, word, stem, expected) => {
    expect(maskMatches(token, word, stem)).toBe(expected);
    expect(maskMatchesByCodePoint(token, word, stem)).toBe(expected);
  });

  it('agrees with the first version on every masked spelling of the pack words', () => {
    const rand = seededRandom(11);
    const words = [...new Set([...builtinPacks().values()].flatMap((p) => p.rules.flatMap((r) => r.match)))]
      .filter((w) => !w.includes(' ')).map((w) => w.replace(/^\*+|\*+$/g, '')).filter((w) => w.length >= 3);
    let checked = 0;
    for (const word of words) {
      const chars = [...word];
      for (let k = 0; k < 4; k++) {
        const at = 1 + Math.floor(rand() * (chars.length - 1));
        const len = 1 + Math.floor(rand() * 3);
        const token = [...chars.slice(0, at), '*', ...chars.slice(at + len)].join('');
        const other = words[Math.floor(rand() * words.length)]!;
        for (const stem of [false, true]) {
          expect(maskMatches(token, word, stem)).toBe(maskMatchesByCodePoint(token, word, stem));
          expect(maskMatches(token, other, stem)).toBe(maskMatchesByCodePoint(token, other, stem));
          checked += 2;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('rule look-up filters', () => {
  // The filters in front of the exact-word and stem look-ups may only say "maybe": every single-word rule of
  // every shipped pack must still be found when its word (or its stem, or a word starting with the stem) is the text.
  const packs = [...builtinPacks().values()];
  it.each(packs.map((p) => [p.lang, p] as const))('%s: every single-word rule is still found', (_lang, pack) => {
    const compiled = compilePacks([pack]);
    let checked = 0;
    for (const rule of pack.rules) {
      for (const m of rule.match) {
        if (m.includes(' ') || m.startsWith('*') || m.includes('|')) continue;
        const stem = m.endsWith('*');
        const word = m.replace(/\*+$/, '');
        // A longer word in the stem's own script (mixed scripts fold as lookalikes), not doubling its last letter.
        const suffix = /[\u0400-\u04FF]/.test(word) ? 'ами' : /[\u0600-\u06FF]/.test(word) ? 'ها' : 'xyz';
        const longer = word.endsWith(suffix[0]!) ? [] : [`${word}${suffix}`];
        for (const text of stem ? [word, ...longer] : [word]) {
          const tokens = tokenize(text, pack.lang);
          if (tokens.length !== 1) continue;
          expect(matchRules(tokens, compiled).map((x) => x.rule.id), `${pack.lang} "${text}"`).toContain(rule.id);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('finds nothing in ordinary words', () => {
    const compiled = compilePacks([builtinPacks().get('en')!]);
    expect(matchRules(tokenize('thanks for the source, I fixed the citation format'), compiled)).toEqual([]);
  });
});

describe('quotations', () => {
  const found: Array<[string, Array<[number, number]>]> = [
    ['he said "idiot" twice', [[8, 15]]], ['«дурак»', [[0, 7]]], ['“fool”', [[0, 6]]], ['„Idiot“', [[0, 7]]], ['„Idiot”', [[0, 7]]],
    ['‹x›', [[0, 3]]], ['「ばか」', [[0, 4]]], ['> you idiot\nthanks', [[0, 11]]], [':: > quoted', [[0, 11]]], ['＞ quoted', [[0, 8]]],
  ];
  it.each(found)('%s: %j', (text, ranges) => {
    expect(findQuotedRanges(text)).toEqual(ranges);
  });
  const none = ['no quotation here', 'a > b is not a quote line', 'don\u2019t', 'unbalanced « only', ''];
  it.each(none)('%s: none', (text) => {
    expect(findQuotedRanges(text)).toEqual([]);
  });
});

/** The walk's word hash (FNV-1a over UTF-16 units from the word seed), to build words that share a cache entry. */
function wordHash(word: string): number {
  let h = 0x9e3779b1;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h;
}

describe('per-word feature cache', () => {
  const rand = seededRandom(5);
  const weights = new Int8Array(1 << HASH_BITS).map(() => Math.floor(rand() * 255) - 127);
  const identity = new Set(['gay']);

  /** Count and sum from the training walk, which is never cached. */
  function reference(tokens: readonly Token[], lang: string): { count: number; sum: number } {
    const buf = newFeatureBuffer(4);
    const count = collectFeatures(tokens, lang, identity, [], buf, FEATURE_SPEC);
    let sum = 0;
    for (let i = 0; i < count; i++) sum += weights[buf.slots[i]!]!;
    return { count, sum };
  }

  it('gives the uncached sums for words that share a cache entry, in every order and language', () => {
    const mask = (1 << WORD_CACHE_BITS) - 1;
    const byEntry = new Map<number, string>();
    let pair: [string, string] | null = null;
    for (let i = 0; pair === null; i++) {
      const w = `w${i.toString(36)}`;
      const prev = byEntry.get(wordHash(w) & mask);
      if (prev !== undefined) pair = [prev, w];
      else byEntry.set(wordHash(w) & mask, w);
    }
    const [a, b] = pair;
    const long = 'x'.repeat(MAX_CACHED_WORD_LENGTH);
    const longer = 'y'.repeat(MAX_CACHED_WORD_LENGTH + 1);
    const texts = [`${a} ${b}`, `${b} ${a} ${a}`, `${a}. ${b} gay ${a}`, `${long} ${longer} ${long}`, `${b} ${long}`, 'gay gay'];
    for (let round = 0; round < 3; round++) {
      for (const lang of ['en', 'ru']) {
        for (const text of texts) {
          const tokens = tokenize(text, lang);
          const perToken = new Float64Array(tokens.length);
          expect(sumFeatures(tokens, lang, identity, [], weights, perToken), `${text} (${lang}, round ${round})`).toEqual(reference(tokens, lang));
        }
      }
    }
  });

  it('scores a comment the same cold and warm, and the same as a fresh detector', () => {
    const text = 'You are a stupid idiot, stop editing this article. Stupid stupid edits.';
    const warm = createDetector();
    const first = warm.detect(text, { lang: 'en' });
    for (const other of ['Gracias por la fuente', 'Grazie mille', 'Teşekkürler', 'Спасибо']) warm.detect(other, { lang: 'en' });
    expect(warm.detect(text, { lang: 'en' })).toEqual(first);
    expect(createDetector().detect(text, { lang: 'en' })).toEqual(first);
  });
});
