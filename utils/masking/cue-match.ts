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

function cueToPattern(cue: string): string {
  const prefix = cue.endsWith('*');
  const body = prefix ? cue.slice(0, -1) : cue;
  const words = body.trim().split(/\s+/).map(escapeRegex).join(String.raw`[\s\u00a0]+`);
  const lead = IS_WORD_START.test(body) ? `(?<!${WORD})` : '';
  let tail = '';
  if (prefix) tail = String.raw`[\p{L}\p{M}]*`;
  else if (IS_WORD_END.test(body)) tail = `(?!${WORD})`;
  return lead + words + tail;
}

const cache = new Map<string, RegExp>();

/** A global regex matching any of the cues. An empty list gives a regex that never matches. */
export function compileCues(cues: readonly string[]): RegExp {
  const key = cues.join('\u0001');
  const hit = cache.get(key);
  if (hit) return hit;
  const sorted = [...new Set(cues)].sort((a, b) => b.length - a.length);
  const source = sorted.length === 0 ? '(?!)' : sorted.map(cueToPattern).join('|');
  const re = new RegExp(source, 'giu');
  cache.set(key, re);
  return re;
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
export function cueRegex(field: CueField, langs: readonly CueLanguage[]): RegExp {
  const all: string[] = [];
  for (const lang of langs) all.push(...CUES[lang][field]);
  return compileCues(all);
}

/** Same field for every language (street words: addresses are written in the place's language). */
export function cueRegexAllLanguages(field: CueField, extra: readonly string[] = []): RegExp {
  const all: string[] = [...extra];
  for (const lang of CUE_LANGUAGES) all.push(...CUES[lang][field]);
  return compileCues(all);
}

function testIn(re: RegExp, text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  re.lastIndex = 0;
  const found = re.test(text.slice(from, to));
  re.lastIndex = 0;
  return found;
}

/** Is a cue within the window before `start` or after `end`? */
export function hasCueNear(
  text: string,
  start: number,
  end: number,
  re: RegExp,
  before: number = CUE_WINDOW_BEFORE,
  after: number = CUE_WINDOW_AFTER,
): boolean {
  return testIn(re, text, Math.max(0, start - before), start) || testIn(re, text, end, Math.min(text.length, end + after));
}

/** Is a cue within the window before `start` only? */
export function hasCueBefore(text: string, start: number, re: RegExp, before: number = CUE_WINDOW_BEFORE): boolean {
  return testIn(re, text, Math.max(0, start - before), start);
}

export interface CueHit {
  start: number;
  end: number;
}

/** All cue occurrences in text (or in [from, to)). */
export function findCues(text: string, re: RegExp, from = 0, to = text.length): CueHit[] {
  const hits: CueHit[] = [];
  const slice = from === 0 && to === text.length ? text : text.slice(from, to);
  re.lastIndex = 0;
  for (let m = re.exec(slice); m !== null; m = re.exec(slice)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    hits.push({ start: from + m.index, end: from + m.index + m[0].length });
  }
  re.lastIndex = 0;
  return hits;
}
