import type { Token } from './normalize.ts';

/**
 * Hashed features shared by training (scripts/train-detector.ts) and scoring, so both see exactly the same
 * numbers: character n-grams inside each word (with word-boundary marks), word unigrams and bigrams, and one
 * language feature. Identity words are replaced by one placeholder first, so swapping "gay" for "muslim" cannot
 * change any feature (the fairness requirement of the issue).
 *
 * Speed: features are written into a reusable Int32Array (no callback, no per-feature object); n-gram hashes are
 * extended one character at a time (FNV-1a over UTF-16 units), so no substring is ever allocated.
 */

/** Hash space is 2^HASH_BITS weights; 2^18 int8 weights are 256 KiB: small enough to stay in a core's L2 cache. */
export const HASH_BITS = 18;
export const HASH_MASK = (1 << HASH_BITS) - 1;
/**
 * Character n-grams are 3..5 long, plus 2-grams only where they touch a word boundary ("\u0002x", "x\u0002").
 * Inner 2-grams were dropped: the Russian model learnt "еб" (obscene stems) and then flagged хлеб and небо;
 * they also made a quarter of all features.
 */
export const MIN_CHAR_NGRAM = 3;
export const MAX_CHAR_NGRAM = 5;
/** Placeholder every identity word becomes before features are taken. */
export const IDENTITY_PLACEHOLDER = '\u0001';

/** Which features are taken; the shipped spec is FEATURE_SPEC, experiments (scripts) may pass another. */
export interface FeatureSpec {
  minCharNgram: number;
  maxCharNgram: number;
  /** Also take 2-grams that touch a word boundary (word starts and ends, one-letter words). */
  edgeBigrams: boolean;
  /** Inner 2-grams too (the old behaviour; see MIN_CHAR_NGRAM for why it is off). */
  innerBigrams: boolean;
  wordBigrams: boolean;
  /** Word unigrams also hashed with the language, so a word may weigh differently in es and it. */
  languageWords: boolean;
}

export const FEATURE_SPEC: FeatureSpec = {
  minCharNgram: MIN_CHAR_NGRAM, maxCharNgram: MAX_CHAR_NGRAM, edgeBigrams: true, innerBigrams: false,
  wordBigrams: true, languageWords: true,
};

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Different seeds keep a word unigram "ab" apart from the character n-gram "ab". */
const SEED_CHAR = FNV_OFFSET;
const SEED_WORD = 0x9e3779b1;
const SEED_BIGRAM = 0x85ebca6b;
const SEED_LANG = 0xc2b2ae35;
const SEED_LANG_WORD = 0x27d4eb2f;
const BOUNDARY = 0x02;

function fnvString(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Mixes two 32-bit hashes (murmur3 finaliser) so that (a, b) and (b, a) differ. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ (b >>> 16), 0x85ebca6b) ^ b;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Feature occurrences of one text: hash slots and the token each came from (-1: not from a token). */
export interface FeatureBuffer {
  slots: Int32Array;
  tokens: Int32Array;
  length: number;
}

const INITIAL_FEATURES = 4096;

export function newFeatureBuffer(capacity = INITIAL_FEATURES): FeatureBuffer {
  return { slots: new Int32Array(capacity), tokens: new Int32Array(capacity), length: 0 };
}

/** Grows the buffer to hold `needed` features, keeping the first `used`. */
function ensure(out: FeatureBuffer, needed: number, used: number): void {
  if (needed <= out.slots.length) return;
  let cap = Math.max(1, out.slots.length * 2);
  while (cap < needed) cap *= 2;
  const slots = new Int32Array(cap); slots.set(out.slots.subarray(0, used));
  const tokens = new Int32Array(cap); tokens.set(out.tokens.subarray(0, used));
  out.slots = slots;
  out.tokens = tokens;
}

/** The word the model sees for a token: identity words collapse to one placeholder. */
export function modelWord(token: Token, identity: ReadonlySet<string>): string {
  return identity.has(token.text) ? IDENTITY_PLACEHOLDER : token.text;
}

/** Which tokens to leave out (quoted or masked text); indexable by token number. */
export type SkipList = ArrayLike<boolean | number>;

/** "\u0002word\u0002" as UTF-16 units, rebuilt per word in this reused array (n-grams read it without branches). */
let padded = new Int32Array(256);

/** Sum of the weights of the last sumFeatures call (the count is its return value). */
let lastSum = 0;

/**
 * A bit per IDENTITY_FILTER_BITS-bit slice of the word hash of every identity word, so most tokens are known not
 * to be one without a Set look-up (that look-up, which also hashed every token's string, was ~4% of detect).
 * Built once per identity set; rebuilt if its size changes (the sets come from compilePacks and are not edited).
 */
export const IDENTITY_FILTER_BITS = 16;
const IDENTITY_FILTER_MASK = (1 << IDENTITY_FILTER_BITS) - 1;
const identityFilters = new WeakMap<ReadonlySet<string>, { size: number; bits: Uint8Array }>();

function identityFilter(identity: ReadonlySet<string>): Uint8Array {
  const known = identityFilters.get(identity);
  if (known !== undefined && known.size === identity.size) return known.bits;
  const bits = new Uint8Array((1 << IDENTITY_FILTER_BITS) >> 3);
  for (const w of identity) {
    const b = fnvString(SEED_WORD, w) & IDENTITY_FILTER_MASK;
    bits[b >> 3]! |= 1 << (b & 7);
  }
  identityFilters.set(identity, { size: identity.size, bits });
  return bits;
}

/** The word hash of the identity placeholder (the word every identity word becomes). */
const PLACEHOLDER_HASH = fnvString(SEED_WORD, IDENTITY_PLACEHOLDER);

/**
 * Scoring remembers, per word, the sum of its unigram, per-language and character n-gram weights and how many
 * features those are (the bigram with the previous word is added per occurrence): a frequent word then costs one
 * look-up instead of ~25 reads spread over the weight table. Direct-mapped by the word hash the walk computes
 * anyway; the word's units are stored and compared, so a collision only costs a recomputation. Typed arrays only:
 * a Map keyed by the string, and a table holding the strings, were both slower than no cache (measured; likely
 * hashing every string again, and young strings kept alive from a long-lived table). ~70% of the benchmark
 * corpus's words are found. A 2^14 table was no faster. One table per weight array (weights are never changed
 * after they are made: loadModel and quantize make new arrays) and language. Sums of int8 values are whole numbers,
 * so a cached sum gives bit-identical scores.
 */
interface WordCache { units: Uint16Array; lengths: Uint8Array; sums: Int32Array; counts: Int32Array }
/** Entries per (model, language) table: 2^12 words of up to MAX_CACHED_WORD_LENGTH units, ~165 KiB. */
export const WORD_CACHE_BITS = 12;
const WORD_CACHE_MASK = (1 << WORD_CACHE_BITS) - 1;
/** Longest word that is cached: most words are shorter, and longer rows would double the table. */
export const MAX_CACHED_WORD_LENGTH = 16;
const wordCaches = new WeakMap<Int8Array, Map<string, WordCache>>();

function wordCacheFor(weights: Int8Array, lang: string): WordCache {
  let byLang = wordCaches.get(weights);
  if (byLang === undefined) { byLang = new Map(); wordCaches.set(weights, byLang); }
  let cache = byLang.get(lang);
  if (cache === undefined) {
    const size = 1 << WORD_CACHE_BITS;
    cache = { units: new Uint16Array(size * MAX_CACHED_WORD_LENGTH), lengths: new Uint8Array(size), sums: new Int32Array(size), counts: new Int32Array(size) };
    byLang.set(lang, cache);
  }
  return cache;
}

/** True when cache entry `at` holds the word p[1, len] (the padded copy). */
function cacheHolds(cache: WordCache, at: number, p: Int32Array, len: number): boolean {
  if (cache.lengths[at] !== len) return false;
  const base = at * MAX_CACHED_WORD_LENGTH;
  const units = cache.units;
  for (let i = 0; i < len; i++) if (units[base + i] !== p[i + 1]) return false;
  return true;
}

/**
 * The one walk over a comment's features, used by training (stores the slots) and by scoring (adds up the int8
 * weights on the spot, never storing a feature; per-token sums go to `perToken` for explanations). One function
 * for both, so training and scoring cannot disagree.
 */
function walk(
  tokens: readonly Token[], lang: string, identity: ReadonlySet<string>, skip: SkipList, spec: FeatureSpec,
  out: FeatureBuffer | null, weights: Int8Array | null, perToken: Float64Array | null,
): number {
  const minN = spec.minCharNgram;
  const maxN = spec.maxCharNgram;
  const langHash = fnvString(SEED_LANG, lang);
  const langWordSeed = mix(SEED_LANG_WORD, langHash);
  let n = 0;
  let sum = 0;
  let slots = out?.slots ?? null;
  let owners = out?.tokens ?? null;
  const langSlot = (langHash >>> 0) & HASH_MASK;
  if (out !== null) { ensure(out, 1, 0); slots = out.slots; owners = out.tokens; slots[0] = langSlot; owners![0] = -1; }
  if (weights !== null) sum += weights[langSlot]!;
  n++;
  let prevHash = 0;
  let hasPrev = false;
  const idFilter = identityFilter(identity);
  // Only scoring with the shipped spec is cached: training stores every slot, experiments change the spec.
  const cache = weights !== null && out === null && spec === FEATURE_SPEC ? wordCacheFor(weights, lang) : null;
  for (let t = 0; t < tokens.length; t++) {
    if (skip[t]) { hasPrev = false; continue; }
    const token = tokens[t]!;
    const text = token.text;
    const textLen = text.length;
    if (padded.length < textLen + 2) padded = new Int32Array(2 * (textLen + 2));
    const p = padded;
    // The word's hash and its padded copy for the n-grams, in one pass over the word.
    let wordHash = SEED_WORD;
    for (let i = 0; i < textLen; i++) {
      const c = text.charCodeAt(i);
      p[i + 1] = c;
      wordHash = Math.imul(wordHash ^ c, FNV_PRIME);
    }
    const fb = wordHash & IDENTITY_FILTER_MASK;
    const isIdentity = (idFilter[fb >> 3]! & (1 << (fb & 7))) !== 0 && identity.has(text);
    if (isIdentity) wordHash = PLACEHOLDER_HASH;
    const len = isIdentity ? IDENTITY_PLACEHOLDER.length : textLen;
    if (out !== null) {
      // Upper bound of this token's features: char n-grams per start position, plus word features.
      ensure(out, n + (len + 1) * (maxN - 1) + 4, n);
      slots = out.slots;
      owners = out.tokens;
    }
    let tokenSum = 0;
    const size = len + 2;
    const cacheAt = cache !== null && !isIdentity && len > 0 && len <= MAX_CACHED_WORD_LENGTH ? wordHash & WORD_CACHE_MASK : -1;
    const cached = cacheAt >= 0 && cacheHolds(cache!, cacheAt, p, len);
    let wordSum = 0;
    const wordStart = n;
    if (cached) {
      wordSum = cache!.sums[cacheAt]!;
      n += cache!.counts[cacheAt]!;
    } else if (!isIdentity) {
      // An identity word is no evidence on its own: no unigram for the placeholder (else merely naming a group
      // raises the score, the unintended bias of the Wikipedia data); it still forms bigrams ("dirty <identity>").
      const slot = (wordHash >>> 0) & HASH_MASK;
      if (slots !== null) { slots[n] = slot; owners![n] = t; }
      if (weights !== null) wordSum += weights[slot]!;
      n++;
      if (spec.languageWords) {
        const ls = (mix(langWordSeed, wordHash) >>> 0) & HASH_MASK;
        if (slots !== null) { slots[n] = ls; owners![n] = t; }
        if (weights !== null) wordSum += weights[ls]!;
        n++;
      }
    }
    let bigrams = 0;
    if (spec.wordBigrams && hasPrev && !token.sentenceStart) {
      const bs = (mix(mix(SEED_BIGRAM, prevHash), wordHash) >>> 0) & HASH_MASK;
      if (slots !== null) { slots[n] = bs; owners![n] = t; }
      if (weights !== null) tokenSum += weights[bs]!;
      n++;
      bigrams = 1;
    }
    prevHash = wordHash;
    hasPrev = true;
    if (!isIdentity && !cached) {
      p[0] = BOUNDARY;
      p[size - 1] = BOUNDARY;
      // Character n-grams over the padded word, each start position extending one hash character by character.
      for (let i = 0; i < size - 1; i++) {
        let h = Math.imul(SEED_CHAR ^ p[i]!, FNV_PRIME);
        const stop = Math.min(size, i + maxN);
        for (let pos = i + 1; pos < stop; pos++) {
          h = Math.imul(h ^ p[pos]!, FNV_PRIME);
          const gram = pos - i + 1;
          if (gram < minN) {
            if (gram !== 2) continue;
            // 2-grams below the minimum: kept at word edges ("\u0002x", "x\u0002") or inside, as the spec says.
            const edge = i === 0 || pos === size - 1;
            if (!(edge ? spec.edgeBigrams : spec.innerBigrams)) continue;
          }
          const slot = (h >>> 0) & HASH_MASK;
          if (slots !== null) { slots[n] = slot; owners![n] = t; }
          if (weights !== null) wordSum += weights[slot]!;
          n++;
        }
      }
      if (cacheAt >= 0) {
        const c = cache!;
        const base = cacheAt * MAX_CACHED_WORD_LENGTH;
        for (let i = 0; i < len; i++) c.units[base + i] = p[i + 1]!;
        c.lengths[cacheAt] = len;
        c.sums[cacheAt] = wordSum;
        // The bigram (if any) was counted between the word's own features: it is not part of the word's count.
        c.counts[cacheAt] = n - wordStart - bigrams;
      }
    }
    tokenSum += wordSum;
    if (perToken !== null) perToken[t] = tokenSum;
    sum += tokenSum;
  }
  if (out !== null) out.length = n;
  lastSum = sum;
  return n;
}

/**
 * Writes every feature occurrence of the tokens into `out` (cleared first) and returns how many there are.
 * `skip[i]` truthy leaves token i out.
 */
export function collectFeatures(
  tokens: readonly Token[], lang: string, identity: ReadonlySet<string>, skip: SkipList, out: FeatureBuffer,
  spec: FeatureSpec = FEATURE_SPEC,
): number {
  out.length = 0;
  return walk(tokens, lang, identity, skip, spec, out, null, null);
}

/**
 * Adds up the weights of every feature occurrence without storing any: `{ count, sum }` (sum in int8 units).
 * perToken[t] receives token t's own sum (0 for skipped tokens) when given; it must hold tokens.length values.
 */
export function sumFeatures(
  tokens: readonly Token[], lang: string, identity: ReadonlySet<string>, skip: SkipList, weights: Int8Array,
  perToken: Float64Array | null, spec: FeatureSpec = FEATURE_SPEC,
): { count: number; sum: number } {
  if (perToken !== null) perToken.fill(0, 0, tokens.length);
  const count = walk(tokens, lang, identity, skip, spec, null, weights, perToken);
  return { count, sum: lastSum };
}

/** Called once per feature occurrence with its hash slot and the token it came from (-1: not from a token). */
export type FeatureVisitor = (slot: number, token: number) => void;

const visitBuffer = newFeatureBuffer();

/**
 * Visits every feature of the given tokens (kept for callers of the first version; the detector and training use
 * collectFeatures). Returns the number of feature occurrences, for length normalisation.
 */
export function visitFeatures(
  tokens: readonly Token[], lang: string, identity: ReadonlySet<string>, skip: SkipList, visit: FeatureVisitor,
): number {
  const n = collectFeatures(tokens, lang, identity, skip, visitBuffer);
  // Copy first: the visitor may itself collect features into the shared buffer.
  const slots = visitBuffer.slots.slice(0, n);
  const owners = visitBuffer.tokens.slice(0, n);
  for (let i = 0; i < n; i++) visit(slots[i]!, owners[i]!);
  return n;
}
