import { describe, expect, it } from 'vitest';
import { foldTerm, normalizeText, tokenize } from '../../../utils/detection/normalize.ts';

describe('normalizeText folds evasions', () => {
  const cases: Array<[string, string, string?]> = [
    // [input, folded text, lang]
    ['IDIOT', 'idiot'],
    ['ｉｄｉｏｔ', 'idiot'], // fullwidth (NFKC)
    ['𝐢𝐝𝐢𝐨𝐭', 'idiot'], // mathematical bold
    ['іdіоt', 'idiot'], // Cyrillic і and о inside a Latin word
    ['ιdιοt', 'idiot'], // Greek iota and omicron
    ['cукa', 'сука', 'ru'], // Latin c and a inside a Russian word
    ['1d10t', 'idiot'],
    ['sh!t', 'shit'],
    ['a$$hole', 'ashole'],
    ['stuuuuupid', 'stupid'],
    ['i d i o t', 'idiot'],
    ['f.u.c.k', 'fuck'],
    ['f*ck', 'f*ck'],
    ['id**t', 'id*t'],
    ['you\u2019re', 'youre'],
    ['i\u200Bdiot', 'idiot'], // zero-width space inside the word
    ['Şikayet', 'sikayet'],
    ['ЁЛКА', 'елка'],
    ['2004 user123', '2004 user123'], // numbers are not leetspeak
    ['h3ll0 w0rld', 'helo world'],
    ['Straße', 'strase'],
  ];
  it.each(cases)('%s → %s', (input, expected, lang) => {
    expect(normalizeText(input, lang).text).toBe(expected);
  });

  const notJoined: string[] = ['a b c', 'I am here', 'u r ok'];
  it.each(notJoined)('does not join short runs of single letters: %s', (input) => {
    expect(normalizeText(input).tokens.length).toBe(input.split(' ').length);
  });
});

describe('token spans point into the original text', () => {
  const cases: Array<[string, string, [number, number]]> = [
    ['hello ѕtuuupid!', 'stupid', [6, 14]],
    ['well, i d i o t.', 'idiot', [6, 15]],
    ['𝐢𝐝𝐢𝐨𝐭 here', 'idiot', [0, 10]], // astral code points are 2 UTF-16 units each
    ['ok f*ck', 'f*ck', [3, 7]],
    ['«1d10t»', 'idiot', [1, 6]],
  ];
  it.each(cases)('%s: %s at %j', (input, word, span) => {
    const t = tokenize(input).find((x) => x.text === word);
    expect(t).toBeDefined();
    expect([t!.start, t!.end]).toEqual(span);
  });

  it('marks masked tokens and sentence starts', () => {
    const tokens = tokenize('good. f*ck');
    expect(tokens[1]!.masked).toBe(true);
    expect(tokens[1]!.sentenceStart).toBe(true);
    expect(tokens[0]!.masked).toBe(false);
  });

  it('folds rule-pack terms the same way as text', () => {
    expect(foldTerm('Kill')).toBe(normalizeText('kiiiill').text);
    expect(foldTerm('Scheiße', 'de')).toBe(normalizeText('scheisse', 'de').text);
  });
});
