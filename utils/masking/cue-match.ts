import { CUES, CUE_FALLBACKS, type CueSet } from './cues.ts';
import { CUE_LANGUAGES, type CueLanguage } from './schema.ts';
import { CUE_WINDOW_AFTER, CUE_WINDOW_BEFORE } from './limits.ts';

/** Turns cue lists (syntax in cues.ts) into one case-insensitive, Unicode-aware regex; compiled once per list. */

const WORD = String.raw`[\p{L}\p{N}\p{M}_]`;
const IS_WORD_END = /[\p{L}\p{N}\p{M}_]$/u;
const IS_WORD_START = /^[\p{L}\p{N}\p{M}_]/u;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

interface CuePattern {
  lead: string;
  body: string;
  tail: string;
}

function cueToPattern(cue: string): CuePattern {
  const prefix = cue.endsWith('*');
  const body = prefix ? cue.slice(0, -1) : cue;
  const words = body.trim().split(/\s+/).map(escapeRegex).join(String.raw`[\s\u00a0]+`);
  const lead = IS_WORD_START.test(body) ? `(?<!${WORD})` : '';
  let tail = '';
  if (prefix) tail = String.raw`[\p{L}\p{M}]*`;
  else if (IS_WORD_END.test(body)) tail = `(?!${WORD})`;
  return { lead, body: words, tail };
}

/**
 * Cues grouped by their boundary checks, each check written once per group: a Unicode property class repeated for
 * every one of a few hundred cues made these regexes cost 100–500 ms to compile on first use (a long task the
 * first time a user typed a postcode or platform word; scripts/bench-pii.ts). Longer cues stay first in a group.
 */
function cuesSource(cues: readonly string[]): string {
  const groups = new Map<string, { lead: string; tail: string; bodies: string[] }>();
  for (const cue of cues) {
    const p = cueToPattern(cue);
    const key = `${p.lead}\u0000${p.tail}`;
    const group = groups.get(key);
    if (group) group.bodies.push(p.body);
    else groups.set(key, { lead: p.lead, tail: p.tail, bodies: [p.body] });
  }
  return [...groups.values()].map((g) => `${g.lead}(?:${g.bodies.join('|')})${g.tail}`).join('|');
}

const regexCache = new Map<string, RegExp>();

/** A global regex matching any of the cues, for embedding in larger patterns (detect-url-handle.ts, postcodes).
 * Slow as a scanner over long text (every alternative is tried at every position): use CueMatcher for that. */
export function compileCueRegex(cues: readonly string[]): RegExp {
  const key = cues.join('\u0001');
  const hit = regexCache.get(key);
  if (hit) return hit;
  const sorted = [...new Set(cues)].sort((a, b) => b.length - a.length);
  const source = sorted.length === 0 ? '(?!)' : cuesSource(sorted);
  const re = new RegExp(source, 'giu');
  regexCache.set(key, re);
  return re;
}

interface CueEntry {
  /** Lower-cased words of the cue. */
  words: string[];
  /** The last word is a prefix ("телефон*"). */
  prefix: boolean;
  /** The cue ends with punctuation that must follow the last word in the text ("tel.", "ул."). */
  punct: string;
}

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Word-based cue matching: the text is split into words once and each word is looked up, instead of running a
 * regex alternation of hundreds of cues at every position (measured 3 ms per 10 KB for the phone cues alone).
 * Same syntax as the cue lists: "*" makes the last word a prefix; trailing punctuation must be present.
 */
export class CueMatcher {
  private readonly byFirst = new Map<string, CueEntry[]>();
  /** Single-word prefix cues ("телефон*"), indexed by their first character: checking every prefix cue at every
   * word cost ~5 ms per 100 KB for the street words of all languages. */
  private readonly prefixSingles = new Map<string, CueEntry[]>();
  readonly cues: readonly string[];

  constructor(cues: readonly string[]) {
    this.cues = cues;
    for (const cue of new Set(cues)) {
      const prefix = cue.endsWith('*');
      const body = (prefix ? cue.slice(0, -1) : cue).toLowerCase();
      const words = body.match(TOKEN) ?? [];
      if (words.length === 0) continue;
      const tail = /[^\p{L}\p{N}\p{M}\s]+$/u.exec(body);
      const entry: CueEntry = { words, prefix, punct: tail ? tail[0] : '' };
      if (prefix && words.length === 1) {
        const first = (words[0] ?? '').charAt(0);
        const list = this.prefixSingles.get(first);
        if (list) list.push(entry);
        else this.prefixSingles.set(first, [entry]);
      }
      else {
        const first = words[0] ?? '';
        const list = this.byFirst.get(first);
        if (list) list.push(entry);
        else this.byFirst.set(first, [entry]);
      }
    }
  }

  private matchAt(tokens: readonly Tok[], i: number, text: string, e: CueEntry): number {
    if (i + e.words.length > tokens.length) return -1;
    for (let k = 0; k < e.words.length; k++) {
      const tok = tokens[i + k];
      const w = e.words[k];
      if (!tok || w === undefined) return -1;
      const last = k === e.words.length - 1;
      if (last && e.prefix ? !tok.lower.startsWith(w) : tok.lower !== w) return -1;
      // Words of a phrase are separated by whitespace only ("call me", not "call-me").
      if (k > 0) {
        const prev = tokens[i + k - 1];
        if (!prev || !/^[\s\u00a0]+$/.test(text.slice(prev.end, tok.start))) return -1;
      }
    }
    const end = tokens[i + e.words.length - 1]?.end ?? -1;
    if (e.punct && text.slice(end, end + e.punct.length) !== e.punct) return -1;
    return end + e.punct.length;
  }

  /** All cue occurrences in text[from, to). */
  find(text: string, from = 0, to = text.length, firstOnly = false, pretokenized?: readonly Tok[]): CueHit[] {
    const tokens = pretokenized ?? tokenizeRange(text, from, to);
    const hits: CueHit[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i];
      if (!tok) continue;
      let best = -1;
      for (const e of this.byFirst.get(tok.lower) ?? []) best = Math.max(best, this.matchAt(tokens, i, text, e));
      for (const e of this.prefixSingles.get(tok.lower.charAt(0)) ?? []) {
        if (tok.lower.startsWith(e.words[0] ?? '\u0000')) best = Math.max(best, this.matchAt(tokens, i, text, e));
      }
      if (best >= 0 && best <= to) {
        hits.push({ start: tok.start, end: best });
        if (firstOnly) return hits;
      }
    }
    return hits;
  }

  test(text: string, from = 0, to = text.length): boolean {
    return this.find(text, from, to, true).length > 0;
  }
}

export interface Tok {
  start: number;
  end: number;
  lower: string;
}

/** Per-UTF-16-unit word-character class, filled lazily (0 unknown, 1 word, 2 not): tokenising with a Unicode
 * property regex cost ~7 ms per 100 KB, a table lookup per character ~0.5 ms (scripts/bench-pii.ts). */
const WORD_CLASS = new Uint8Array(0x10000);
const WORD_CP = /^[\p{L}\p{N}\p{M}]$/u;
for (let c = 0; c < 0x80; c++) {
  WORD_CLASS[c] = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? 1 : 2;
}

/** Is the code point at `i` a letter, digit or mark? Returns its length in UTF-16 units, negated when not. */
function wordUnitAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
    const cp = text.codePointAt(i) ?? code;
    if (cp > 0xffff) return WORD_CP.test(String.fromCodePoint(cp)) ? 2 : -2;
  }
  let cls = WORD_CLASS[code];
  if (cls === 0) {
    cls = WORD_CP.test(String.fromCharCode(code)) ? 1 : 2;
    WORD_CLASS[code] = cls;
  }
  return cls === 1 ? 1 : -1;
}

/** Lower-cased copy of text[from, to) when lower-casing keeps every offset (all but a few letters such as "İ"). */
function lowerSameLength(text: string, from: number, to: number): string | null {
  const slice = text.slice(from, to);
  const lower = slice.toLowerCase();
  return lower.length === slice.length ? lower : null;
}

export function tokenizeRange(text: string, from: number, to: number): Tok[] {
  const out: Tok[] = [];
  // Start at a word boundary so a window cutting "xphone" does not read "phone".
  let s = from;
  while (s > 0 && s < to && wordUnitAt(text, s - 1) > 0 && wordUnitAt(text, s) > 0) s++;
  // Lower-case once for the whole range (one call instead of one per word).
  const lower = lowerSameLength(text, s, to);
  let start = -1;
  let i = s;
  while (i < to) {
    const step = wordUnitAt(text, i);
    if (step > 0) {
      if (start < 0) start = i;
      i += step;
    } else {
      if (start >= 0) {
        out.push({ start, end: i, lower: lower ? lower.slice(start - s, i - s) : text.slice(start, i).toLowerCase() });
        start = -1;
      }
      i -= step;
    }
  }
  if (start >= 0) {
    const end = Math.min(i, to);
    out.push({ start, end, lower: lower ? lower.slice(start - s, end - s) : text.slice(start, end).toLowerCase() });
  }
  return out;
}

const matcherCache = new Map<string, CueMatcher>();

export function compileCues(cues: readonly string[]): CueMatcher {
  const key = cues.join('\u0001');
  let m = matcherCache.get(key);
  if (!m) {
    m = new CueMatcher(cues);
    matcherCache.set(key, m);
  }
  return m;
}

export function isCueLanguage(lang: string): lang is CueLanguage {
  return (CUE_LANGUAGES as readonly string[]).includes(lang);
}

/** Languages whose cues apply to text of `lang` (base code: "ky-cyrl" → "ky"). */
export function cueLanguagesFor(lang: string): readonly CueLanguage[] {
  const base = lang.toLowerCase().split(/[-_]/)[0] ?? '';
  return isCueLanguage(base) ? CUE_FALLBACKS[base] : CUE_LANGUAGES;
}

export type CueField = keyof CueSet;

/** Union of one field over the given languages, compiled. */
export function cueRegex(field: CueField, langs: readonly CueLanguage[]): CueMatcher {
  const all: string[] = [];
  for (const lang of langs) all.push(...CUES[lang][field]);
  return compileCues(all);
}

/** Same field for every language (street words: addresses are written in the place's language). */
export function cueRegexAllLanguages(field: CueField, extra: readonly string[] = []): CueMatcher {
  const all: string[] = [...extra];
  for (const lang of CUE_LANGUAGES) all.push(...CUES[lang][field]);
  return compileCues(all);
}

/** Is a cue within the window before `start` or after `end`? */
export function hasCueNear(
  text: string,
  start: number,
  end: number,
  cues: CueMatcher,
  before: number = CUE_WINDOW_BEFORE,
  after: number = CUE_WINDOW_AFTER,
): boolean {
  return cues.test(text, Math.max(0, start - before), start) || cues.test(text, end, Math.min(text.length, end + after));
}

/** Is a cue within the window before `start` only? */
export function hasCueBefore(text: string, start: number, cues: CueMatcher, before: number = CUE_WINDOW_BEFORE): boolean {
  return cues.test(text, Math.max(0, start - before), start);
}

export interface CueHit {
  start: number;
  end: number;
}

/** All cue occurrences in the whole text; pass the text's tokens when several lists are searched (ScanContext). */
export function findCues(text: string, cues: CueMatcher, tokens?: readonly Tok[]): CueHit[] {
  return cues.find(text, 0, text.length, false, tokens);
}
