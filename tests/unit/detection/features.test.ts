import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectFeatures, HASH_BITS, HASH_MASK, newFeatureBuffer, sumFeatures } from '../../../utils/detection/features.ts';
import { tokenize } from '../../../utils/detection/normalize.ts';
import { seededRandom } from '../../../utils/detection/training.ts';

/** Random int8 weights: sumFeatures (scoring) must add exactly what collectFeatures (training) lists. */
function randomWeights(seed: number): Int8Array {
  const rand = seededRandom(seed);
  const w = new Int8Array(1 << HASH_BITS);
  for (let i = 0; i < w.length; i++) w[i] = Math.floor(rand() * 255) - 127;
  return w;
}

const IDENTITY = new Set(['gay', 'muslim']);
const weights = randomWeights(7);

function reference(text: string, lang: string, skip: Uint8Array): { count: number; sum: number; perToken: number[] } {
  const tokens = tokenize(text, lang);
  const buf = newFeatureBuffer(4);
  const count = collectFeatures(tokens, lang, IDENTITY, skip, buf);
  const perToken = tokens.map(() => 0);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const v = weights[buf.slots[i]!]!;
    sum += v;
    const t = buf.tokens[i]!;
    if (t >= 0) perToken[t]! += v;
  }
  return { count, sum, perToken };
}

describe('features', () => {
  const cases: Array<[string, string]> = [
    ['you are a stupid gay', 'en'], ['хлеб и небо', 'ru'], ['𝐢𝐝𝐢𝐨𝐭 ok', 'en'], ['', 'es'], ['a', 'it'],
    ['I am gay and a muslim', 'en'], ['Çok güzel bir makale, teşekkürler.', 'tr'],
  ];
  it.each(cases)('scoring sums the same features training stores: %s', (text, lang) => {
    const tokens = tokenize(text, lang);
    const skip = new Uint8Array(tokens.length);
    const ref = reference(text, lang, skip);
    const perToken = new Float64Array(tokens.length);
    expect(sumFeatures(tokens, lang, IDENTITY, skip, weights, perToken)).toEqual({ count: ref.count, sum: ref.sum });
    expect([...perToken]).toEqual(ref.perToken);
  });

  it('agrees on arbitrary text, with skipped tokens', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('en', 'ru'), fc.integer({ min: 0, max: 3 }), (text, lang, every) => {
      const tokens = tokenize(text, lang);
      const skip = new Uint8Array(tokens.length).map((_, i) => (every > 0 && i % every === 0 ? 1 : 0));
      const ref = reference(text, lang, skip);
      expect(sumFeatures(tokens, lang, IDENTITY, skip, weights, null)).toEqual({ count: ref.count, sum: ref.sum });
    }), { numRuns: 200 });
  });

  it('keeps every slot inside the hash space and gives no unigram to identity words', () => {
    const buf = newFeatureBuffer();
    const withIdentity = collectFeatures(tokenize('gay'), 'en', IDENTITY, [], buf);
    // Only the language feature: a lone identity word is no evidence at all.
    expect(withIdentity).toBe(1);
    const n = collectFeatures(tokenize('some ordinary words here'), 'en', IDENTITY, [], buf);
    for (let i = 0; i < n; i++) expect(buf.slots[i]! & ~HASH_MASK).toBe(0);
  });

  it('takes no inner character bigrams (the "еб" of хлеб is not a feature of its own)', () => {
    const buf = newFeatureBuffer();
    // "\u0002хлеб\u0002": 2 edge bigrams + 4 trigrams + 3 four-grams + 2 five-grams + word + language word.
    const n = collectFeatures(tokenize('хлеб', 'ru'), 'ru', IDENTITY, [], buf);
    expect(n).toBe(1 + 2 + 2 + 4 + 3 + 2);
  });
});
