/**
 * Normalisation for matching and for the learned model. Abusers dodge word lists with lookalike letters
 * ("іdіоt" with Cyrillic і/о), leetspeak ("1d10t"), stretched letters ("stuuuupid"), spacing ("i d i o t") and
 * masks ("f*ck"). Everything here folds those variants to one form while remembering, for every token, the UTF-16
 * range of the ORIGINAL text it came from, so that reasons can be highlighted in the page text untouched.
 *
 * The fold is deliberately lossy (diacritics dropped, doubled letters collapsed): rule packs are folded with the
 * same function (`foldTerm`), so authors write natural spellings and both sides meet in the folded space.
 */

/** Scripts a word can be in for homoglyph folding; 'other' covers Arabic, digits-only tokens and the rest. */
export type Script = 'latin' | 'cyrillic' | 'greek' | 'other';

export interface Token {
  /** Folded form used for matching and features; may contain '*' where the writer masked letters. */
  text: string;
  /** UTF-16 offset of the first original code unit of this token. */
  start: number;
  /** UTF-16 offset just past the last original code unit of this token. */
  end: number;
  /** True when the writer masked letters ("f*ck", "id**t"): matched by pattern, never by the model. */
  masked: boolean;
  /** True when a sentence break (. ! ? newline) separates this token from the previous one. */
  sentenceStart: boolean;
  /**
   * True when a clause break (a sentence break, or , : ; ( ) – —) separates this token from the previous one.
   * A negation does not reach across it: in "this is not fantasy, idiot" the "not" says nothing about "idiot".
   */
  clauseStart: boolean;
  /** True when the token came from spaced-out single letters ("i d i o t"). */
  joined: boolean;
}

/** Longest run of single letters we still join into one word; longer runs are more likely lists or art. */
export const MAX_SPACED_LETTERS = 24;
/** Fewest single letters that count as a spaced-out word ("a b" is just two words). */
export const MIN_SPACED_LETTERS = 4;
/** Fewest visible letters a masked token needs before we guess the word behind it ("f***" is too little). */
export const MIN_MASKED_VISIBLE_LETTERS = 2;

/** Characters that carry no visible meaning and are used to split words invisibly. */
const IGNORABLE = /[\u00AD\u034F\u061C\u0640\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/u;
const MARK = /\p{M}/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
/** Code points of a list of one-character strings: the hot path compares numbers, never 1-char strings. */
function codeSet(chars: readonly string[]): ReadonlySet<number> {
  return new Set(chars.map((c) => c.codePointAt(0) ?? 0));
}
/** Symbols that stand for letters inside words (leetspeak) or hide letters (masks). */
const LEET_SYMBOLS = codeSet(['@', '$', '!', '|', '+', '€', '£']);
const MASK_SYMBOLS = codeSet(['*', '#', '_', '%']);
const APOSTROPHES = codeSet(["'", '\u2019', '\u02BC', '\u2018', '`', '\u00B4']);
const SENTENCE_BREAK = codeSet(['.', '!', '?', '\n', '\r', '\u3002', '\u061F', '\u06D4', ';']);
/** Separators allowed between the letters of a spaced-out word. */
const SPACED_SEPARATORS = codeSet([' ', '.', '-', '_', '\u00A0', '\t', '·', '*']);

/** Letter folds that Unicode decomposition does not make (dotless i, stroked letters, Arabic/Persian forms). */
const EXTRA_FOLD: Record<string, string> = {
  'ı': 'i', 'ł': 'l', 'ø': 'o', 'đ': 'd', 'ð': 'd', 'ħ': 'h', 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'þ': 'th',
  'ſ': 's', 'ŀ': 'l',
  // Arabic and Persian write the same letters with different code points (Kaf, Yeh, Teh marbuta, Alef forms).
  '\u0643': '\u06A9', '\u064A': '\u06CC', '\u0649': '\u06CC', '\u0629': '\u0647', '\u0671': '\u0627',
  '\u06C0': '\u0647', '\u06D5': '\u0647',
  // Arabic-Indic and Persian digits fold to ASCII so numbers compare equal.
  '\u0660': '0', '\u0661': '1', '\u0662': '2', '\u0663': '3', '\u0664': '4', '\u0665': '5', '\u0666': '6',
  '\u0667': '7', '\u0668': '8', '\u0669': '9', '\u06F0': '0', '\u06F1': '1', '\u06F2': '2', '\u06F3': '3',
  '\u06F4': '4', '\u06F5': '5', '\u06F6': '6', '\u06F7': '7', '\u06F8': '8', '\u06F9': '9',
};

/** Cyrillic and Greek letters that look like Latin ones (after lower-casing), for mostly-Latin words. */
const TO_LATIN: Record<string, string> = {
  'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y',
  'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ӏ': 'l', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ү': 'y', 'ь': 'b',
  'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'μ': 'u', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't',
  'υ': 'u', 'χ': 'x', 'γ': 'y', 'ω': 'w', 'σ': 'o', 'ς': 'c', 'ϲ': 'c', 'ζ': 'z',
};
/** Latin (and Greek) letters that look like Cyrillic ones, for mostly-Cyrillic words ("cукa" with Latin c). */
const TO_CYRILLIC: Record<string, string> = {
  'a': 'а', 'b': 'в', 'e': 'е', 'k': 'к', 'm': 'м', 'h': 'н', 'o': 'о', 'p': 'р', 'c': 'с', 't': 'т', 'y': 'у',
  'x': 'х', 'u': 'и', 'n': 'п', 'r': 'г', '3': 'з', '0': 'о', '6': 'б', '4': 'ч', '@': 'а', '$': 'с',
  'α': 'а', 'ο': 'о', 'ε': 'е', 'κ': 'к', 'ρ': 'р', 'χ': 'х', 'τ': 'т', 'μ': 'м', 'π': 'п',
};
/** Leetspeak digits and symbols inside mostly-Latin words. */
const LEET_LATIN: Record<string, string> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', '$': 's', '!': 'i',
  '|': 'l', '+': 't', '€': 'e', '£': 'l',
};

/*
 * The hot path. Every comment on a talk page goes through here, so it works on code points in reusable typed
 * arrays (one Int32Array of folded code points and two of original offsets) and creates one object per token,
 * never one per character: the first version allocated an object per character and spent most of its time in
 * the garbage collector (0.5–1.2 MB/s; docs/detector.md). Unicode look-ups (fold, letter, digit) are cached per
 * code point in tables, so the regexes run once per distinct character, not once per occurrence.
 */

const SCRIPT_OTHER = 0;
const SCRIPT_LATIN = 1;
const SCRIPT_CYRILLIC = 2;
const SCRIPT_GREEK = 3;
type ScriptCode = typeof SCRIPT_OTHER | typeof SCRIPT_LATIN | typeof SCRIPT_CYRILLIC | typeof SCRIPT_GREEK;

/*
 * Character information as bit flags in one table for the code points most text is made of (ASCII, Latin,
 * Greek, Cyrillic, Arabic … up to INFO_TABLE_SIZE): one array read per character answers "letter? digit?
 * apostrophe? mask? leet symbol? sentence break? spacing separator?". Letters and digits are classified lazily
 * (\p{L}, \p{Nd}) the first time a code point is seen; code points above the table use a small cache.
 */
const CLASS_NONE = 0;
const CLASS_LETTER = 1;
const CLASS_DIGIT = 2;
const CLASS_MASK = CLASS_LETTER | CLASS_DIGIT;
/** Set once a code point was classified (0 means "not looked at yet"). */
const INFO_KNOWN = 4;
const SYM_APOSTROPHE = 8;
const SYM_MASK = 16;
const SYM_LEET = 32;
const SYM_SENTENCE = 64;
const SYM_SPACED = 128;
/** Symbols that may sit inside a word run (leetspeak, masks, apostrophes). */
const SYM_INNER = SYM_LEET | SYM_MASK | SYM_APOSTROPHE;
const INFO_TABLE_SIZE = 0x3100;
const info = new Uint8Array(INFO_TABLE_SIZE);
const BMP_SIZE = 0x10000;
const highClass = new Map<number, number>();

function computeClass(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (LETTER.test(ch)) return CLASS_LETTER;
  if (DIGIT.test(ch)) return CLASS_DIGIT;
  return CLASS_NONE;
}

for (const [set, flag] of [
  [APOSTROPHES, SYM_APOSTROPHE], [MASK_SYMBOLS, SYM_MASK], [LEET_SYMBOLS, SYM_LEET], [SENTENCE_BREAK, SYM_SENTENCE],
  [SPACED_SEPARATORS, SYM_SPACED],
] as const) {
  for (const cp of set) {
    if (cp >= INFO_TABLE_SIZE) throw new Error(`normalize: symbol U+${cp.toString(16)} is outside the info table; enlarge INFO_TABLE_SIZE`);
    info[cp]! |= flag;
  }
}
for (let cp = 0; cp < 0x80; cp++) info[cp]! |= computeClass(cp) | INFO_KNOWN;

/** Flags of one code point (class bits and, below INFO_TABLE_SIZE, symbol bits). */
function infoOf(cp: number): number {
  if (cp < INFO_TABLE_SIZE) {
    const v = info[cp]!;
    if ((v & INFO_KNOWN) !== 0) return v;
    const known = v | computeClass(cp) | INFO_KNOWN;
    info[cp] = known;
    return known;
  }
  let c = highClass.get(cp);
  if (c === undefined) { c = computeClass(cp); highClass.set(cp, c); }
  return c;
}

function classOf(cp: number): number {
  return infoOf(cp) & CLASS_MASK;
}

function codeMap(table: Record<string, string>): ReadonlyMap<number, number> {
  const m = new Map<number, number>();
  for (const [k, v] of Object.entries(table)) m.set(k.codePointAt(0) ?? 0, v.codePointAt(0) ?? 0);
  return m;
}
const TO_LATIN_CP = codeMap(TO_LATIN);
const TO_CYRILLIC_CP = codeMap(TO_CYRILLIC);
const LEET_LATIN_CP = codeMap(LEET_LATIN);
const DOLLAR = 0x24;
const BANG = 0x21;
const STAR = 0x2a;

/** Folds one code point (cp ≥ 0x80): compatibility decomposition, marks dropped, lower case, extra folds. */
function computeFold(cp: number): number[] {
  const ch = String.fromCodePoint(cp);
  let out = '';
  if (!IGNORABLE.test(ch) && !MARK.test(ch)) {
    for (const part of ch.normalize('NFKD').toLowerCase()) {
      if (MARK.test(part) || IGNORABLE.test(part)) continue;
      // NFKD leaves precomposed lookalikes such as 'ё' decomposed already; lower-casing can re-introduce marks.
      for (const p of part.normalize('NFKD')) {
        if (MARK.test(p)) continue;
        out += EXTRA_FOLD[p] ?? p;
      }
    }
  }
  const cps: number[] = [];
  for (const c of out) cps.push(c.codePointAt(0) ?? 0);
  return cps;
}

/** bmpFold[cp]: the single folded code point, FOLD_UNSET before the first look-up, FOLD_MANY → see manyFold. */
const FOLD_UNSET = -1;
const FOLD_MANY = -2;
const bmpFold = new Int32Array(BMP_SIZE).fill(FOLD_UNSET);
const manyFold = new Map<number, readonly number[]>();

function foldOf(cp: number): number {
  if (cp < BMP_SIZE) {
    const f = bmpFold[cp]!;
    if (f !== FOLD_UNSET) return f;
  } else if (manyFold.has(cp)) return FOLD_MANY;
  const folded = computeFold(cp);
  if (folded.length === 1 && cp < BMP_SIZE) {
    bmpFold[cp] = folded[0]!;
    return folded[0]!;
  }
  manyFold.set(cp, folded);
  if (cp < BMP_SIZE) bmpFold[cp] = FOLD_MANY;
  return FOLD_MANY;
}

/**
 * Folded characters of the text being tokenised: code point and the UTF-16 range it came from. `direct` means
 * character k came from unit k of the text ([k, k + 1)) and start/end were not written (two of the three stores
 * per character): true of most comments, see foldChars.
 */
interface CharBuffer { cps: Int32Array; start: Int32Array; end: Int32Array; length: number; direct: boolean }

const INITIAL_CAPACITY = 1024;
function newBuffer(capacity: number): CharBuffer {
  return { cps: new Int32Array(capacity), start: new Int32Array(capacity), end: new Int32Array(capacity), length: 0, direct: false };
}
function startOf(buf: CharBuffer, k: number): number {
  return buf.direct ? k : buf.start[k]!;
}
function endOf(buf: CharBuffer, k: number): number {
  return buf.direct ? k + 1 : buf.end[k]!;
}
function grow(buf: CharBuffer, needed: number): void {
  let cap = buf.cps.length;
  while (cap < needed) cap *= 2;
  const cps = new Int32Array(cap); cps.set(buf.cps);
  const start = new Int32Array(cap); start.set(buf.start);
  const end = new Int32Array(cap); end.set(buf.end);
  buf.cps = cps; buf.start = start; buf.end = end;
}
/** Reused across calls: tokenize is synchronous and never re-entered, so one buffer serves every comment. */
const chars = newBuffer(INITIAL_CAPACITY);
/** Letters of spaced-out words ("i d i o t") copied together before they are folded as one word. */
const joinedChars = newBuffer(MAX_SPACED_LETTERS * 4);
let outUnits = new Uint16Array(INITIAL_CAPACITY);

/** Any code unit outside ASCII: without one, folding is lower-casing and every range is [i, i + 1). */
const NON_ASCII = /[^\u0000-\u007f]/;
/** The text being tokenised is all ASCII (then V8 stores it, and slices of it, one byte per character). */
let asciiText = false;

/** Folds the characters of a text into `chars`, remembering each one's original UTF-16 range. */
function foldChars(text: string): void {
  const len = text.length;
  if (chars.cps.length < len) grow(chars, len);
  let cps = chars.cps;
  let n = 0;
  if (!NON_ASCII.test(text)) {
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      cps[i] = c >= 0x41 && c <= 0x5a ? c + 32 : c;
    }
    chars.length = len;
    chars.direct = true;
    asciiText = true;
    return;
  }
  asciiText = false;
  // While every unit folds to one code point (ASCII, and most letters of other scripts: é → e, Ж → ж), character
  // k is unit k and no range is written; the first unit that does not (astral, invisible, a ligature) writes the
  // ranges so far and the rest explicitly.
  let i = 0;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) { cps[i] = c >= 0x41 && c <= 0x5a ? c + 32 : c; continue; }
    if (c >= 0xd800 && c <= 0xdfff) break;
    const f = foldOf(c);
    if (f < 0) break;
    cps[i] = f;
  }
  if (i === len) {
    chars.length = len;
    chars.direct = true;
    return;
  }
  for (let k = 0; k < i; k++) { chars.start[k] = k; chars.end[k] = k + 1; }
  n = i;
  chars.direct = false;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      cps[n] = c >= 0x41 && c <= 0x5a ? c + 32 : c;
      chars.start[n] = i;
      chars.end[n] = i + 1;
      n++;
      i++;
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    const width = cp > 0xffff ? 2 : 1;
    const f = foldOf(cp);
    if (f >= 0) {
      if (n >= cps.length) { grow(chars, n + 1); cps = chars.cps; }
      cps[n] = f; chars.start[n] = i; chars.end[n] = i + width; n++;
    } else {
      const many = manyFold.get(cp) ?? [];
      if (n + many.length > cps.length) { grow(chars, n + many.length); cps = chars.cps; }
      for (const m of many) { cps[n] = m; chars.start[n] = i; chars.end[n] = i + width; n++; }
    }
    i += width;
  }
  chars.length = n;
}

function scriptOf(cp: number): ScriptCode {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a ? SCRIPT_LATIN : SCRIPT_OTHER;
  if (cp >= 0x0400 && cp <= 0x052f) return SCRIPT_CYRILLIC;
  if (cp >= 0x0370 && cp <= 0x03ff) return SCRIPT_GREEK;
  if (cp <= 0x024f && classOf(cp) === CLASS_LETTER) return SCRIPT_LATIN;
  return SCRIPT_OTHER;
}

const CYRILLIC_LANGS = new Set(['ru', 'uk', 'ky', 'be', 'bg', 'sr', 'mk', 'kk', 'tt']);

/** Which script wins a tie in a word with as many Latin as Cyrillic letters (the language's own script). */
function preferredScript(lang: string | undefined): ScriptCode {
  return lang !== undefined && CYRILLIC_LANGS.has(lang) ? SCRIPT_CYRILLIC : SCRIPT_LATIN;
}

/**
 * Which script a mixed word is really written in. A word whose Cyrillic letters all have Latin twins while some
 * Latin letter has none ("іdіоt": d, t) is Latin with lookalikes, and the other way round; otherwise the
 * majority wins, and a tie goes to the comment language's script.
 */
function targetScript(buf: CharBuffer, a: number, b: number, latin: number, cyr: number, lang: string | undefined): ScriptCode {
  if (latin === 0 || cyr === 0) return cyr > 0 ? SCRIPT_CYRILLIC : SCRIPT_LATIN;
  let cyrAllTwins = true;
  let latAllTwins = true;
  for (let k = a; k < b; k++) {
    const cp = buf.cps[k]!;
    const s = scriptOf(cp);
    if (s === SCRIPT_CYRILLIC && !TO_LATIN_CP.has(cp)) cyrAllTwins = false;
    if ((s === SCRIPT_LATIN || s === SCRIPT_GREEK) && !TO_CYRILLIC_CP.has(cp)) latAllTwins = false;
  }
  if (cyrAllTwins && !latAllTwins) return SCRIPT_LATIN;
  if (latAllTwins && !cyrAllTwins) return SCRIPT_CYRILLIC;
  if (latin === cyr) return preferredScript(lang);
  return cyr > latin ? SCRIPT_CYRILLIC : SCRIPT_LATIN;
}

/** Longest word unitsToString builds from arguments (no temporary array); longer ones need the slower path. */
const SHORT_TOKEN_UNITS = 12;

/** A new string of the first n units of outUnits; short words (most of them) without a temporary array. */
function unitsToString(n: number): string {
  const u = outUnits;
  switch (n) {
    case 1: return String.fromCharCode(u[0]!);
    case 2: return String.fromCharCode(u[0]!, u[1]!);
    case 3: return String.fromCharCode(u[0]!, u[1]!, u[2]!);
    case 4: return String.fromCharCode(u[0]!, u[1]!, u[2]!, u[3]!);
    case 5: return String.fromCharCode(u[0]!, u[1]!, u[2]!, u[3]!, u[4]!);
    case 6: return String.fromCharCode(u[0]!, u[1]!, u[2]!, u[3]!, u[4]!, u[5]!);
    case 7: return String.fromCharCode(u[0]!, u[1]!, u[2]!, u[3]!, u[4]!, u[5]!, u[6]!);
    case 8: return String.fromCharCode(u[0]!, u[1]!, u[2]!, u[3]!, u[4]!, u[5]!, u[6]!, u[7]!);
    case 9: return String.fromCharCode(u[0]!, u[1]!, u[2]!, u[3]!, u[4]!, u[5]!, u[6]!, u[7]!, u[8]!);
    case 10: return String.fromCharCode(u[0]!, u[1]!, u[2]!, u[3]!, u[4]!, u[5]!, u[6]!, u[7]!, u[8]!, u[9]!);
    case 11: return String.fromCharCode(u[0]!, u[1]!, u[2]!, u[3]!, u[4]!, u[5]!, u[6]!, u[7]!, u[8]!, u[9]!, u[10]!);
    case 12: return String.fromCharCode(u[0]!, u[1]!, u[2]!, u[3]!, u[4]!, u[5]!, u[6]!, u[7]!, u[8]!, u[9]!, u[10]!, u[11]!);
    default:
      // fromCharCode.apply takes any array-like: one call per long token instead of one string per character.
      return String.fromCharCode.apply(null, u.subarray(0, n) as unknown as number[]);
  }
}

/** The text being tokenised (tokenize is synchronous and never re-entered). */
let currentText = '';

/**
 * The folded word out[0, n) of chars[a, b) as a string. A long word of an ASCII text that folding left unchanged
 * (already lower case, nothing dropped) is a slice of the text: that is one copy, where String.fromCharCode.apply
 * over a typed array costs a call per unit (2–3% of detect's time went there). Only in ASCII texts: a
 * slice of a two-byte string stays two-byte, and such words made the rule and feature look-ups slower (tried:
 * the detector ran ~10% slower when words of non-ASCII texts were slices too).
 */
function tokenText(buf: CharBuffer, a: number, b: number, n: number): string {
  if (n <= SHORT_TOKEN_UNITS || !asciiText || buf !== chars || n !== b - a) return unitsToString(n);
  const u = outUnits;
  for (let k = 0; k < n; k++) if (currentText.charCodeAt(a + k) !== u[k]) return unitsToString(n);
  return currentText.slice(a, b);
}

/** Turns chars[a, b) into a token: homoglyphs, leetspeak, apostrophes, masks, stretched letters. */
function foldRun(buf: CharBuffer, a: number, b: number, sentenceStart: boolean, lang: string | undefined): Token | null {
  const cps = buf.cps;
  let latin = 0;
  let cyr = 0;
  let letters = 0;
  let ascii = true;
  // Is there a digit run with letters on both sides ("h3ll0", "1d10t")? Found in the same pass.
  let interiorDigit = false;
  let seenLetter = false;
  let digitsAfterLetter = false;
  for (let k = a; k < b; k++) {
    const cp = cps[k]!;
    const cls = infoOf(cp) & CLASS_MASK;
    if (cp >= 0x80) {
      ascii = false;
      const s = scriptOf(cp);
      if (s === SCRIPT_LATIN || s === SCRIPT_GREEK) latin++;
      else if (s === SCRIPT_CYRILLIC) cyr++;
    } else if (cp >= 0x61 && cp <= 0x7a) latin++;
    if (cls === CLASS_LETTER) {
      letters++;
      if (digitsAfterLetter) interiorDigit = true;
      seenLetter = true;
    } else if (cls === CLASS_DIGIT) {
      if (seenLetter) digitsAfterLetter = true;
    } else digitsAfterLetter = false;
  }
  // An all-ASCII word has no Cyrillic letter, so it is Latin without looking further.
  const target = ascii ? SCRIPT_LATIN : targetScript(buf, a, b, latin, cyr, lang);
  if (outUnits.length < 2 * (b - a)) outUnits = new Uint16Array(4 * (b - a));
  const out = outUnits;
  let n = 0;
  let masked = false;
  for (let k = a; k < b; k++) {
    let cp = cps[k]!;
    const inf = infoOf(cp);
    if ((inf & SYM_APOSTROPHE) !== 0) continue; // "you're" → "youre", "don't" → "dont": both spellings are common.
    if ((inf & SYM_MASK) !== 0) {
      if (letters >= 1) {
        masked = true;
        if (n === 0 || out[n - 1] !== STAR) out[n++] = STAR;
      }
      continue;
    }
    const cls = inf & CLASS_MASK;
    // Leetspeak only in words with a digit between letters ("h3ll0", "1d10t"), never "2004", "user123" or "mp3".
    const leetable = letters > 0 && ((inf & SYM_LEET) !== 0 || (cls === CLASS_DIGIT && interiorDigit));
    let outCls = cls;
    if (cp >= 0x80 || leetable || target === SCRIPT_CYRILLIC) {
      const s = scriptOf(cp);
      const before = cp;
      if (target === SCRIPT_CYRILLIC) {
        if (s !== SCRIPT_CYRILLIC && (cls === CLASS_LETTER || leetable)) cp = TO_CYRILLIC_CP.get(cp) ?? cp;
      } else if (s === SCRIPT_CYRILLIC || s === SCRIPT_GREEK) cp = TO_LATIN_CP.get(cp) ?? cp;
      else if (leetable) cp = LEET_LATIN_CP.get(cp) ?? cp;
      if (cp !== before) outCls = infoOf(cp) & CLASS_MASK;
    }
    if (outCls === CLASS_NONE) continue;
    // Stretched letters: "stuuuupid", "кааазел". Collapsing every double keeps both sides of a match aligned.
    if (n > 0 && out[n - 1] === cp && outCls !== CLASS_DIGIT) continue;
    if (cp > 0xffff) {
      out[n++] = 0xd800 + ((cp - 0x10000) >> 10);
      out[n++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    } else out[n++] = cp;
  }
  if (n === 0 || (n === 1 && out[0] === STAR)) return null;
  return { text: tokenText(buf, a, b, n), start: startOf(buf, a), end: endOf(buf, b - 1), masked, sentenceStart, clauseStart: sentenceStart, joined: false };
}

/** True when a token's text is one code point (a candidate letter of a spaced-out word). */
function isSingleCodePoint(s: string): boolean {
  if (s.length === 1) return true;
  if (s.length !== 2) return false;
  const c = s.charCodeAt(0);
  return c >= 0xd800 && c <= 0xdbff;
}

/** Runs of the text (ranges of `chars`) kept beside their tokens, for joining spaced-out letters. */
let runStarts = new Int32Array(INITIAL_CAPACITY);
let runEnds = new Int32Array(INITIAL_CAPACITY);
/** 1 when the separator before the run is one spaced-word separator (" ", ".", "-" …), else 0. */
let runSpacedSep = new Uint8Array(INITIAL_CAPACITY);

function ensureRunCapacity(n: number): void {
  if (n < runStarts.length) return;
  const cap = Math.max(n + 1, runStarts.length * 2);
  const s = new Int32Array(cap); s.set(runStarts); runStarts = s;
  const e = new Int32Array(cap); e.set(runEnds); runEnds = e;
  const p = new Uint8Array(cap); p.set(runSpacedSep); runSpacedSep = p;
}

/**
 * Joins runs of single letters separated by single separators: "i d i o t", "f.u.c.k". The joined letters are
 * folded again as one word, so lookalikes among them ("і d і о t" with Cyrillic і, о) follow the word's script.
 */
function joinSpaced(tokens: Token[], lang: string | undefined): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    while (
      j < tokens.length && j - i < MAX_SPACED_LETTERS && isSingleCodePoint(tokens[j]!.text) &&
      (j === i || runSpacedSep[j] === 1)
    ) j++;
    if (j - i >= MIN_SPACED_LETTERS) {
      let m = 0;
      for (let r = i; r < j; r++) m += runEnds[r]! - runStarts[r]!;
      if (joinedChars.cps.length < m) grow(joinedChars, m);
      joinedChars.length = 0;
      for (let r = i; r < j; r++) {
        for (let k = runStarts[r]!; k < runEnds[r]!; k++) {
          const at = joinedChars.length++;
          joinedChars.cps[at] = chars.cps[k]!;
          joinedChars.start[at] = startOf(chars, k);
          joinedChars.end[at] = endOf(chars, k);
        }
      }
      const folded = foldRun(joinedChars, 0, joinedChars.length, tokens[i]!.sentenceStart, lang);
      if (folded) { folded.joined = true; folded.clauseStart = tokens[i]!.clauseStart; out.push(folded); }
      i = j;
    } else {
      out.push(tokens[i]!);
      i++;
    }
  }
  return out;
}

/** State of the tokenizer between runs (module-level: tokenize is synchronous and never re-entered). */
const state = {
  tokens: [] as Token[],
  lang: undefined as string | undefined,
  sentenceBreak: true,
  /** A clause break (see Token.clauseStart) since the last kept run. */
  clauseBreak: true,
  /** Separator characters since the last kept run, and the first of them. */
  sepCount: 0,
  sepFirst: 0,
  /** Consecutive single-letter tokens: joinSpaced only runs when a spaced-out word is possible. */
  singles: 0,
  maxSingles: 0,
};

/** Commas, colons, brackets and dashes that end a clause (sentence breaks are SYM_SENTENCE). */
function isClausePunctuation(cp: number): boolean {
  return cp === 0x2c || cp === 0x3a || cp === 0x28 || cp === 0x29 || cp === 0x2013 || cp === 0x2014 ||
    cp === 0x060c || cp === 0x3001 || cp === 0xff0c;
}

/**
 * A run of letters of one script and no lookalike of the other (ASCII a–z only, or Cyrillic а–я only): most words.
 * foldRun would map none of them and only collapse doubled letters; this does that in one pass.
 */
function foldPlainRun(a: number, b: number, sentenceStart: boolean): Token {
  const cps = chars.cps;
  if (outUnits.length < 2 * (b - a)) outUnits = new Uint16Array(4 * (b - a));
  const out = outUnits;
  let n = 0;
  let prev = -1;
  for (let k = a; k < b; k++) {
    const cp = cps[k]!;
    if (cp !== prev) { out[n++] = cp; prev = cp; }
  }
  return { text: tokenText(chars, a, b, n), start: startOf(chars, a), end: endOf(chars, b - 1), masked: false, sentenceStart, clauseStart: sentenceStart, joined: false };
}

/** Runs whose characters are all ASCII a–z, or all Cyrillic а–я (bits of the tokenizer's run state). */
const RUN_PLAIN_LATIN = 1;
const RUN_PLAIN_CYRILLIC = 2;
const RUN_PLAIN = RUN_PLAIN_LATIN | RUN_PLAIN_CYRILLIC;

/** Bits of RUN_PLAIN that code point cp keeps. */
function plainBits(cp: number): number {
  if (cp >= 0x61 && cp <= 0x7a) return RUN_PLAIN_LATIN;
  if (cp >= 0x0430 && cp <= 0x044f) return RUN_PLAIN_CYRILLIC;
  return 0;
}

/**
 * Ends the word run chars[a, end): trims edge symbols, folds it and records it as a token. `plain`: the run is
 * letters of one script only (see foldPlainRun), so there is nothing to trim either.
 */
function flushRun(a: number, end: number, plain: boolean): void {
  const cps = chars.cps;
  let b = end;
  let token: Token | null;
  if (plain) token = foldPlainRun(a, b, state.sentenceBreak);
  else {
    // Trim symbols at the edges: "idiot!" and "*really*" are punctuation, not leetspeak.
    while (a < b && (infoOf(cps[a]!) & CLASS_MASK) === CLASS_NONE && cps[a] !== DOLLAR) a++;
    while (b > a && (infoOf(cps[b - 1]!) & CLASS_MASK) === CLASS_NONE && cps[b - 1] !== DOLLAR) b--;
    let hasWordChar = false;
    for (let k = a; k < b; k++) if ((infoOf(cps[k]!) & CLASS_MASK) !== CLASS_NONE) { hasWordChar = true; break; }
    if (!hasWordChar) return;
    token = foldRun(chars, a, b, state.sentenceBreak, state.lang);
  }
  const spacedSep = state.sepCount === 1 && (infoOf(state.sepFirst) & SYM_SPACED) !== 0;
  if (token !== null && state.clauseBreak) token.clauseStart = true;
  state.sentenceBreak = false;
  state.clauseBreak = false;
  state.sepCount = 0;
  if (token === null) return;
  const t = state.tokens.length;
  ensureRunCapacity(t);
  runStarts[t] = a;
  runEnds[t] = b;
  runSpacedSep[t] = spacedSep ? 1 : 0;
  state.tokens.push(token);
  const single = isSingleCodePoint(token.text);
  if (single && (state.singles === 0 || spacedSep)) state.singles++;
  else state.singles = single ? 1 : 0;
  if (state.singles > state.maxSingles) state.maxSingles = state.singles;
}

/**
 * Tokenises and folds a text. `lang` only breaks ties between Latin and Cyrillic lookalikes in a word.
 * Every token's [start, end) is a UTF-16 range of `text` itself.
 */
export function tokenize(text: string, lang?: string): Token[] {
  currentText = text;
  foldChars(text);
  const cps = chars.cps;
  const n = chars.length;
  const tokens: Token[] = [];
  state.tokens = tokens;
  state.lang = lang;
  state.sentenceBreak = true;
  state.clauseBreak = true;
  state.sepCount = 0;
  state.sepFirst = 0;
  state.singles = 0;
  state.maxSingles = 0;
  let runStart = -1;
  let plain = 0;
  for (let i = 0; i < n; i++) {
    const cp = cps[i]!;
    const bits = plainBits(cp);
    if (bits !== 0) {
      // A stretch of letters a–z (or а–я): letters extend the run and are never '!', so the rest of this loop
      // would do nothing for them but look them up one by one.
      if (runStart < 0) { runStart = i; plain = RUN_PLAIN; }
      plain &= bits;
      let j = i + 1;
      while (j < n && plainBits(cps[j]!) === bits) j++;
      i = j - 1;
      continue;
    }
    const inf = infoOf(cp);
    if ((inf & (CLASS_MASK | SYM_INNER)) !== 0) {
      if (runStart < 0) { runStart = i; plain = RUN_PLAIN; }
      plain = 0;
    } else {
      // Sentence-ending punctuation directly after a word still ends the sentence ("idiot! you").
      if (runStart >= 0) { flushRun(runStart, i, plain !== 0); runStart = -1; }
      if ((inf & SYM_SENTENCE) !== 0) state.sentenceBreak = true;
      else if (isClausePunctuation(cp)) state.clauseBreak = true;
      if (state.sepCount === 0) state.sepFirst = cp;
      state.sepCount++;
    }
    // A trailing '!' or '?' run after a word ends the sentence even though '!' is also a leet symbol.
    if (cp === BANG && (i + 1 >= n || (infoOf(cps[i + 1]!) & CLASS_MASK) === CLASS_NONE)) {
      if (runStart >= 0) { flushRun(runStart, i + 1, plain !== 0); runStart = -1; }
      state.sentenceBreak = true;
    }
  }
  if (runStart >= 0) flushRun(runStart, n, plain !== 0);
  state.tokens = [];
  currentText = '';
  return state.maxSingles >= MIN_SPACED_LETTERS ? joinSpaced(tokens, lang) : tokens;
}

/** Folds a rule-pack term or phrase word the same way comment text is folded (keeps '*' stems/masks). */
export function foldTerm(term: string, lang?: string): string {
  return tokenize(term, lang).map((t) => t.text).join(' ');
}

/** The folded text (tokens joined by single spaces): handy for tests, logs and the model's word view. */
export function normalizeText(text: string, lang?: string): { text: string; tokens: Token[] } {
  const tokens = tokenize(text, lang);
  return { text: tokens.map((t) => t.text).join(' '), tokens };
}
