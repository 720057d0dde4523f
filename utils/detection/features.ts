import type { Token } from './normalize.ts';

/**
 * Hashed features shared by training (scripts/train-detector.ts) and scoring, so both see exactly the same
 * numbers: character n-grams of 2..5 inside each word (with word-boundary marks), word unigrams and bigrams,
 * and one language feature. Identity words are replaced by one placeholder first, so swapping "gay" for
 * "muslim" cannot change any feature (the fairness requirement of the issue).
 */

/** Hash space is 2^HASH_BITS weights; 2^18 int8 weights are 256 KiB before base64. */
export const HASH_BITS = 18;
export const HASH_MASK = (1 << HASH_BITS) - 1;
export const MIN_CHAR_NGRAM = 2;
export const MAX_CHAR_NGRAM = 5;
/** Placeholder every identity word becomes before features are taken. */
export const IDENTITY_PLACEHOLDER = '\u0001';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Different seeds keep a word unigram "ab" apart from the character bigram "ab". */
const SEED_CHAR = FNV_OFFSET;
const SEED_WORD = 0x9e3779b1;
const SEED_BIGRAM = 0x85ebca6b;
const SEED_LANG = 0xc2b2ae35;
const BOUNDARY = 0x02;

function fnvString(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Called once per feature occurrence with its hash slot and the token it came from (-1: not from a token). */
export type FeatureVisitor = (slot: number, token: number) => void;

/** The word the model sees for a token: identity words collapse to one placeholder. */
export function modelWord(token: Token, identity: ReadonlySet<string>): string {
  return identity.has(token.text) ? IDENTITY_PLACEHOLDER : token.text;
}

/**
 * Visits every feature of the given tokens. `skip[i]` true leaves token i out (quoted or masked text).
 * Returns the number of feature occurrences, for length normalisation.
 */
export function visitFeatures(
  tokens: readonly Token[], lang: string, identity: ReadonlySet<string>, skip: readonly boolean[], visit: FeatureVisitor,
): number {
  let count = 1;
  visit((fnvString(SEED_LANG, lang) >>> 0) & HASH_MASK, -1);
  let prev: string | null = null;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (skip[t] === true) { prev = null; continue; }
    const word = modelWord(token, identity);
    visit((fnvString(SEED_WORD, word) >>> 0) & HASH_MASK, t);
    count++;
    if (prev !== null && !token.sentenceStart) {
      visit((fnvString(fnvString(SEED_BIGRAM, prev) ^ 0x20, word) >>> 0) & HASH_MASK, t);
      count++;
    }
    prev = word;
    if (word === IDENTITY_PLACEHOLDER) continue;
    // Character n-grams over "\u0002word\u0002", computed by extending one rolling hash per start position.
    const n = word.length + 2;
    for (let i = 0; i < n - 1; i++) {
      let h = SEED_CHAR;
      for (let k = 0; k < MAX_CHAR_NGRAM && i + k < n; k++) {
        const pos = i + k;
        const code = pos === 0 || pos === n - 1 ? BOUNDARY : word.charCodeAt(pos - 1);
        h = Math.imul(h ^ code, FNV_PRIME);
        if (k + 1 >= MIN_CHAR_NGRAM) {
          visit((h >>> 0) & HASH_MASK, t);
          count++;
        }
      }
    }
  }
  return count;
}
