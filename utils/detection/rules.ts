import { foldTerm, MIN_MASKED_VISIBLE_LETTERS, type Token } from './normalize.ts';
import type { Rule, RulePack } from './rule-pack.ts';
import type { Category } from './types.ts';

/**
 * Compiles rule packs into lookup tables and matches them against folded tokens. Single words are found with
 * hash lookups (exact word, or stem by a few prefix/suffix lengths) so that cost grows with the text, not with
 * the size of the packs.
 */

/** How many words before a match we look at for "you", "I" or a negation. */
export const CONTEXT_WINDOW = 4;
/** An insult not aimed at anyone ("that idiot edit") counts this much of its weight. */
export const UNTARGETED_FACTOR = 0.75;
/** An insult aimed at the reader ("you idiot", "ты дурак") counts this much more. */
export const TARGETED_BOOST = 1.35;
/** Self-reference ("I am an idiot") keeps this share of the weight. */
export const SELF_FACTOR = 0.25;
/** Negation ("you are not an idiot") keeps this share of the weight. */
export const NEGATION_FACTOR = 0.25;
/** Most wildcard letters one '*' of a masked word may stand for ("f*ck" → 1, "f**k" → 2 … up to this). */
export const MAX_MASKED_LETTERS = 4;

type Position =
  | { kind: 'any'; optional: boolean }
  | { kind: 'you' }
  | { kind: 'identity' }
  | { kind: 'words'; exact: Set<string>; prefixes: string[]; suffixes: string[]; infixes: string[] };

interface CompiledPattern { rule: Rule; positions: Position[]; anchor: number }

/** Stems with one hash (of the stem's UTF-16 units; suffixes read backwards), checked again on a hit. */
type HashedStems = Map<number, Array<{ stem: string; patterns: CompiledPattern[] }>>;

interface StemIndex {
  exact: Map<string, CompiledPattern[]>;
  prefix: Map<string, CompiledPattern[]>;
  prefixLengths: number[];
  suffix: Map<string, CompiledPattern[]>;
  suffixLengths: number[];
  infix: Array<[string, CompiledPattern]>;
  /** prefix and suffix by hash: a token's prefixes are hashed in one pass, no substring is allocated. */
  prefixByHash: HashedStems;
  suffixByHash: HashedStems;
  /**
   * One bit per STEM_FILTER_BITS-bit slice of each stem hash: most tokens start with no stem, and a bit test
   * rejects them without a Map look-up per stem length (the look-ups were ~3% of detect's time).
   */
  prefixFilter: Uint8Array;
  suffixFilter: Uint8Array;
  /** The same filter over the hashes of the exact words: most tokens are no rule word, and skip the Map. */
  exactFilter: Uint8Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Size of the stem-hash filters: 2^16 bits (8 KiB) per direction keeps false hits rare for a few hundred stems. */
export const STEM_FILTER_BITS = 16;
const STEM_FILTER_MASK = (1 << STEM_FILTER_BITS) - 1;

function stemFilter(hashes: Iterable<number>): Uint8Array {
  const bits = new Uint8Array((1 << STEM_FILTER_BITS) >> 3);
  for (const h of hashes) {
    const b = h & STEM_FILTER_MASK;
    bits[b >> 3]! |= 1 << (b & 7);
  }
  return bits;
}

function inFilter(filter: Uint8Array, h: number): boolean {
  const b = h & STEM_FILTER_MASK;
  return (filter[b >> 3]! & (1 << (b & 7))) !== 0;
}

function fnv(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

function hashStems(map: Map<string, CompiledPattern[]>, backwards: boolean): HashedStems {
  const out: HashedStems = new Map();
  for (const [stem, patterns] of map) {
    let h = FNV_OFFSET;
    for (let i = 0; i < stem.length; i++) {
      h = Math.imul(h ^ stem.charCodeAt(backwards ? stem.length - 1 - i : i), FNV_PRIME);
    }
    const list = out.get(h);
    if (list) list.push({ stem, patterns });
    else out.set(h, [{ stem, patterns }]);
  }
  return out;
}

export interface CompiledPacks {
  langs: string[];
  index: StemIndex;
  /** Every literal and stem, for matching masked tokens ("f*ck") which cannot use hash lookups. */
  maskables: Array<{ word: string; stem: boolean; pattern: CompiledPattern }>;
  secondPerson: Set<string>;
  firstPerson: Set<string>;
  negations: Set<string>;
  identity: Set<string>;
}

export interface RuleMatch {
  rule: Rule;
  /** Token indices [first, last] covered by the match. */
  first: number;
  last: number;
  weight: number;
  context: 'targeted' | 'untargeted' | 'self' | 'negated' | 'plain';
  /**
   * A person word decided the context ("you are not an idiot", "ты не дурак", "No eres un idiota"): a negated
   * address, unlike a negation that merely sits nearby ("не понимаешь, что дебил" before clause breaks existed).
   */
  addressed: boolean;
}

function foldWord(word: string, lang: string): string {
  // Several folded tokens ("a-hole") are joined: a position always stands for one word of the text.
  return foldTerm(word, lang).replace(/ /g, '');
}

function compilePosition(word: string, lang: string): Position {
  if (word === '_' || word === '_?') return { kind: 'any', optional: word === '_?' };
  if (word === '@you') return { kind: 'you' };
  if (word === '@identity') return { kind: 'identity' };
  const pos: Position = { kind: 'words', exact: new Set(), prefixes: [], suffixes: [], infixes: [] };
  for (const alt of word.split('|')) {
    const lead = alt.startsWith('*');
    const trail = alt.endsWith('*') && alt.length > 1;
    const folded = foldWord(alt.replace(/^\*+|\*+$/g, ''), lang);
    if (folded === '') continue;
    if (lead && trail) pos.infixes.push(folded);
    else if (trail) pos.prefixes.push(folded);
    else if (lead) pos.suffixes.push(folded);
    else pos.exact.add(folded);
  }
  return pos;
}

function addTo(map: Map<string, CompiledPattern[]>, key: string, p: CompiledPattern): void {
  const list = map.get(key);
  if (list) list.push(p);
  else map.set(key, [p]);
}

/** Compiles one or more packs (e.g. the comment's language, or all packs when the language is unknown). */
export function compilePacks(packs: readonly RulePack[]): CompiledPacks {
  const index: StemIndex = {
    exact: new Map(), prefix: new Map(), prefixLengths: [], suffix: new Map(), suffixLengths: [], infix: [],
    prefixByHash: new Map(), suffixByHash: new Map(), prefixFilter: new Uint8Array(0), suffixFilter: new Uint8Array(0),
    exactFilter: new Uint8Array(0),
  };
  const maskables: CompiledPacks['maskables'] = [];
  const fold = (words: string[], lang: string): Set<string> => new Set(words.map((w) => foldWord(w, lang)).filter((w) => w !== ''));
  const compiled: CompiledPacks = {
    langs: packs.map((p) => p.lang), index, maskables,
    secondPerson: new Set(), firstPerson: new Set(), negations: new Set(), identity: new Set(),
  };
  const prefixLengths = new Set<number>();
  const suffixLengths = new Set<number>();
  for (const pack of packs) {
    for (const w of fold(pack.secondPerson, pack.lang)) compiled.secondPerson.add(w);
    for (const w of fold(pack.firstPerson, pack.lang)) compiled.firstPerson.add(w);
    for (const w of fold(pack.negations, pack.lang)) compiled.negations.add(w);
    for (const w of fold(pack.identityTerms, pack.lang)) compiled.identity.add(w);
    for (const rule of pack.rules) {
      for (const text of rule.match) {
        const positions = text.trim().split(/\s+/).map((w) => compilePosition(w, pack.lang));
        const anchor = positions.findIndex((p) => p.kind === 'words');
        if (anchor < 0) continue; // "@you _" alone has nothing to look up; the schema rejects pure wildcards.
        const pattern: CompiledPattern = { rule, positions, anchor };
        const a = positions[anchor];
        if (a?.kind !== 'words') continue;
        for (const w of a.exact) { addTo(index.exact, w, pattern); maskables.push({ word: w, stem: false, pattern }); }
        for (const w of a.prefixes) { addTo(index.prefix, w, pattern); prefixLengths.add(w.length); maskables.push({ word: w, stem: true, pattern }); }
        for (const w of a.suffixes) { addTo(index.suffix, w, pattern); suffixLengths.add(w.length); }
        for (const w of a.infixes) index.infix.push([w, pattern]);
      }
    }
  }
  index.prefixLengths = [...prefixLengths].sort((x, y) => x - y);
  index.suffixLengths = [...suffixLengths].sort((x, y) => x - y);
  index.prefixByHash = hashStems(index.prefix, false);
  index.suffixByHash = hashStems(index.suffix, true);
  index.prefixFilter = stemFilter(index.prefixByHash.keys());
  index.suffixFilter = stemFilter(index.suffixByHash.keys());
  index.exactFilter = stemFilter([...index.exact.keys()].map(fnv));
  return compiled;
}

/**
 * Does a masked token ("f*ck", "id*t") spell `word`? Each '*' stands for 1..MAX_MASKED_LETTERS letters.
 * With `stem`, the token only has to start with the word ("f*cking" against the stem "fuck").
 */
export function maskMatches(token: string, word: string, stem: boolean): boolean {
  // Masked tokens are tried against every literal of the packs (a few hundred): reject on the first letter, and
  // compare code units in place when neither string has a surrogate pair (then units are code points).
  if (word.length > 0 && token.length > 0 && token.charCodeAt(0) !== STAR_UNIT && token.charCodeAt(0) !== word.charCodeAt(0)) return false;
  if (!SURROGATE.test(token) && !SURROGATE.test(word)) return maskMatchesUnits(token, 0, word, 0, stem);
  return maskMatchesByCodePoint(token, word, stem);
}

/** maskMatches over code points (any text; the in-place path above must agree with it, tests compare them). */
export function maskMatchesByCodePoint(token: string, word: string, stem: boolean): boolean {
  const t = [...token];
  const w = [...word];
  const go = (i: number, j: number): boolean => {
    if (j === w.length) return stem || i === t.length;
    if (i === t.length) return false;
    if (t[i] === '*') {
      // Against a stem the mask may not swallow the stem's tail: "f*ck" must not match the stem "fag".
      const limit = stem ? w.length - 1 : w.length;
      for (let k = 1; k <= MAX_MASKED_LETTERS && j + k <= limit; k++) if (go(i + 1, j + k)) return true;
      return false;
    }
    return t[i] === w[j] && go(i + 1, j + 1);
  };
  return go(0, 0);
}

const STAR_UNIT = 0x2a;
const SURROGATE = /[\uD800-\uDFFF]/;

/** maskMatches on UTF-16 units from t[i] and w[j] (strings without surrogates); the same steps as its `go`. */
function maskMatchesUnits(t: string, i: number, w: string, j: number, stem: boolean): boolean {
  for (;;) {
    if (j === w.length) return stem || i === t.length;
    if (i === t.length) return false;
    const c = t.charCodeAt(i);
    if (c === STAR_UNIT) {
      const limit = stem ? w.length - 1 : w.length;
      for (let k = 1; k <= MAX_MASKED_LETTERS && j + k <= limit; k++) if (maskMatchesUnits(t, i + 1, w, j + k, stem)) return true;
      return false;
    }
    if (c !== w.charCodeAt(j)) return false;
    i++;
    j++;
  }
}

function isOptional(pos: Position): boolean {
  return pos.kind === 'any' && pos.optional;
}

function visibleLetters(token: string): number {
  return token.replace(/\*/g, '').length;
}

function positionMatches(pos: Position, token: Token, packs: CompiledPacks): boolean {
  switch (pos.kind) {
    case 'any': return true;
    case 'you': return packs.secondPerson.has(token.text);
    case 'identity': return packs.identity.has(token.text);
    case 'words': {
      const t = token.text;
      if (token.masked) {
        for (const w of pos.exact) if (maskMatches(t, w, false)) return true;
        for (const w of pos.prefixes) if (maskMatches(t, w, true)) return true;
        return false;
      }
      if (pos.exact.has(t)) return true;
      for (const p of pos.prefixes) if (t.startsWith(p)) return true;
      for (const s of pos.suffixes) if (t.endsWith(s)) return true;
      for (const s of pos.infixes) if (t.includes(s)) return true;
      return false;
    }
  }
}

/** Matches positions[pi..] from token ti; returns the last token index used, or -1. */
function matchFrom(positions: Position[], pi: number, tokens: Token[], ti: number, packs: CompiledPacks): number {
  if (pi === positions.length) return ti - 1;
  const pos = positions[pi]!;
  if (pos.kind === 'any' && pos.optional) {
    const skip = matchFrom(positions, pi + 1, tokens, ti, packs);
    if (skip >= 0) return skip;
  }
  if (ti >= tokens.length) return -1;
  // Phrases do not run across sentences: "… you. Idiots like …" is not "you idiots".
  if (pi > 0 && tokens[ti]!.sentenceStart) return -1;
  if (!positionMatches(pos, tokens[ti]!, packs)) return -1;
  return matchFrom(positions, pi + 1, tokens, ti + 1, packs);
}

/**
 * Reused by candidatesFor (matching is synchronous; matchRules reads it before the next token). Filled up to
 * candidateCount: resetting an array's length is a runtime call, and it ran once per token.
 */
const candidateBuffer: CompiledPattern[] = [];
let candidateCount = 0;

function addCandidates(patterns: readonly CompiledPattern[]): void {
  for (let i = 0; i < patterns.length; i++) candidateBuffer[candidateCount++] = patterns[i]!;
}

/** Hashes of the token's prefixes that passed the filter (reused: matching is synchronous); one per stem length. */
let prefixHashes = new Int32Array(32);

/** Adds the patterns of every stem of `lengths` that the token ends with (suffix stems, hashed backwards). */
function suffixHits(t: string, lengths: readonly number[], byHash: HashedStems, filter: Uint8Array): void {
  let h = FNV_OFFSET;
  let li = 0;
  const last = t.length - 1;
  for (let i = 0; i < t.length && li < lengths.length; i++) {
    h = Math.imul(h ^ t.charCodeAt(last - i), FNV_PRIME);
    if (i + 1 !== lengths[li]) continue;
    li++;
    if (!inFilter(filter, h)) continue;
    const hit = byHash.get(h);
    if (!hit) continue;
    for (const e of hit) if (t.endsWith(e.stem)) addCandidates(e.patterns);
  }
}

/** Fills candidateBuffer[0, returned count) with the patterns whose anchor word the token may be. */
function candidatesFor(token: Token, packs: CompiledPacks): number {
  const { index } = packs;
  candidateCount = 0;
  const t = token.text;
  if (token.masked) {
    // "f***" or "*uck" leave too much to guess: a masked word needs visible letters on both sides of the mask.
    if (visibleLetters(t) < MIN_MASKED_VISIBLE_LETTERS || t.startsWith('*') || t.endsWith('*')) return 0;
    for (const m of packs.maskables) if (maskMatches(t, m.word, m.stem)) candidateBuffer[candidateCount++] = m.pattern;
    return candidateCount;
  }
  // One forward hash over the word serves the exact filter (whole word) and every prefix stem length; candidates
  // are still listed exact first, then prefixes by length, then suffixes and infixes.
  const lengths = index.prefixLengths;
  const prefixFilter = index.prefixFilter;
  if (prefixHashes.length < lengths.length) prefixHashes = new Int32Array(lengths.length);
  let h = FNV_OFFSET;
  let li = 0;
  let hits = 0;
  for (let i = 0; i < t.length; i++) {
    h = Math.imul(h ^ t.charCodeAt(i), FNV_PRIME);
    if (li < lengths.length && i + 1 === lengths[li]) {
      li++;
      if (inFilter(prefixFilter, h)) prefixHashes[hits++] = h;
    }
  }
  if (inFilter(index.exactFilter, h)) {
    const exact = index.exact.get(t);
    if (exact) addCandidates(exact);
  }
  for (let k = 0; k < hits; k++) {
    const hit = index.prefixByHash.get(prefixHashes[k]!);
    if (!hit) continue;
    for (const e of hit) if (t.startsWith(e.stem)) addCandidates(e.patterns);
  }
  if (index.suffixLengths.length > 0) suffixHits(t, index.suffixLengths, index.suffixByHash, index.suffixFilter);
  const infix = index.infix;
  for (let k = 0; k < infix.length; k++) {
    const [w, p] = infix[k]!;
    if (t.length >= w.length && t.includes(w)) candidateBuffer[candidateCount++] = p;
  }
  return candidateCount;
}

function contextOf(tokens: Token[], first: number, packs: CompiledPacks): { context: RuleMatch['context']; addressed: boolean } {
  let negated = false;
  // A negation only counts inside the match's own clause ("this is not fantasy, idiot" is not negated); person
  // words may sit across a comma ("you, idiot").
  let sameClause = true;
  for (let k = first - 1; k >= 0 && k >= first - CONTEXT_WINDOW; k--) {
    if (tokens[k + 1]!.clauseStart) sameClause = false;
    const t = tokens[k]!.text;
    if (sameClause && packs.negations.has(t)) negated = true;
    // The nearest person word decides: "I think you are an idiot" is aimed at the reader.
    if (packs.secondPerson.has(t)) {
      // "No eres un idiota", "ты не дурак": the negation may sit right before the person word too.
      for (let n = k - 1; n >= 0 && n >= k - 2 && sameClause && !tokens[n + 1]!.clauseStart; n--) {
        if (packs.negations.has(tokens[n]!.text)) negated = true;
      }
      return { context: negated ? 'negated' : 'targeted', addressed: true };
    }
    if (packs.firstPerson.has(t)) return { context: negated ? 'negated' : 'self', addressed: true };
    if (tokens[k]!.sentenceStart) break;
  }
  return { context: negated ? 'negated' : 'untargeted', addressed: false };
}

/** Negation lowers threats as well as insults ("nobody will kill you" is not a threat). */
const NEGATABLE: ReadonlySet<Category> = new Set(['insult', 'threat', 'identity_attack', 'dismissal', 'incitement']);

export function weightFor(rule: Rule, context: RuleMatch['context']): number {
  switch (context) {
    case 'targeted': return Math.min(1, rule.weight * TARGETED_BOOST);
    case 'untargeted': return rule.weight * UNTARGETED_FACTOR;
    case 'self': return rule.weight * SELF_FACTOR;
    case 'negated': return rule.weight * NEGATION_FACTOR;
    case 'plain': return rule.weight;
  }
}

/** Finds every rule match in the tokens; one match per rule and start token. */
export function matchRules(tokens: Token[], packs: CompiledPacks): RuleMatch[] {
  const matches: RuleMatch[] = [];
  // Created at the first candidate: most comments have none.
  let seen: Set<string> | null = null;
  for (let ti = 0; ti < tokens.length; ti++) {
    const count = candidatesFor(tokens[ti]!, packs);
    for (let c = 0; c < count; c++) {
      const pattern = candidateBuffer[c]!;
      const { positions, anchor, rule } = pattern;
      // Positions before the anchor may be optional, so the match may start a few tokens earlier.
      let minBefore = 0;
      for (let k = 0; k < anchor; k++) if (!isOptional(positions[k]!)) minBefore++;
      for (let start = ti - anchor; start <= ti - minBefore; start++) {
        if (start < 0) continue;
        const last = matchFrom(positions, 0, tokens, start, packs);
        if (last < ti) continue;
        const key = `${rule.id}:${start}`;
        seen ??= new Set();
        if (seen.has(key)) break;
        seen.add(key);
        let context: RuleMatch['context'] = 'plain';
        let addressed = false;
        if (rule.aimable) {
          if (positions[0]!.kind === 'you') { context = 'targeted'; addressed = true; } else ({ context, addressed } = contextOf(tokens, start, packs));
        } else if (NEGATABLE.has(rule.category)) {
          const c = contextOf(tokens, start, packs);
          if (c.context === 'negated') ({ context, addressed } = c);
        }
        matches.push({ rule, first: start, last, weight: weightFor(rule, context), context, addressed });
        break;
      }
    }
  }
  return matches;
}

/**
 * Marks the words of negated or self-directed rule matches ("No eres un idiota", "I feel like an idiot") so the
 * learned model leaves them out as well: the model has no notion of negation, and with the word counted it flagged
 * what the rule had already lowered. Used by the detector and by training, so both see the same features.
 */
export function skipContextLowered(matches: readonly RuleMatch[], skip: Uint8Array | boolean[]): void {
  for (const m of matches) {
    if (m.context !== 'negated' && m.context !== 'self') continue;
    for (let t = m.first; t <= m.last; t++) skip[t] = typeof skip[t] === 'boolean' ? true : 1;
  }
}
