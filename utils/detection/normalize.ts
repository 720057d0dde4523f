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
/** Symbols that stand for letters inside words (leetspeak) or hide letters (masks). */
const LEET_SYMBOLS = new Set(['@', '$', '!', '|', '+', '€', '£']);
const MASK_SYMBOLS = new Set(['*', '#', '_', '%']);
const APOSTROPHES = new Set(["'", '\u2019', '\u02BC', '\u2018', '`', '\u00B4']);
const SENTENCE_BREAK = new Set(['.', '!', '?', '\n', '\r', '\u3002', '\u061F', '\u06D4', ';']);
/** Separators allowed between the letters of a spaced-out word. */
const SPACED_SEPARATORS = new Set([' ', '.', '-', '_', '\u00A0', '\t', '·', '*']);

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

const charFoldCache = new Map<number, string>();
const letterCache = new Map<string, boolean>();
const digitCache = new Map<string, boolean>();

/** \p{L} with an ASCII fast path and a cache: called for every character, so regexes are kept off the hot path. */
function isLetter(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  let v = letterCache.get(ch);
  if (v === undefined) { v = LETTER.test(ch); letterCache.set(ch, v); }
  return v;
}

function isDigit(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 0x80) return c >= 0x30 && c <= 0x39;
  let v = digitCache.get(ch);
  if (v === undefined) { v = DIGIT.test(ch); digitCache.set(ch, v); }
  return v;
}

/** Folds one code point: compatibility decomposition, marks dropped, lower case, extra folds. */
function foldCodePoint(cp: number): string {
  if (cp < 0x80) {
    return cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : String.fromCharCode(cp);
  }
  const cached = charFoldCache.get(cp);
  if (cached !== undefined) return cached;
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
  charFoldCache.set(cp, out);
  return out;
}

function scriptOf(ch: string): Script {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80) return (cp >= 0x61 && cp <= 0x7a) ? 'latin' : 'other';
  if (cp >= 0x0400 && cp <= 0x052f) return 'cyrillic';
  if (cp >= 0x0370 && cp <= 0x03ff) return 'greek';
  if (cp <= 0x024f && isLetter(ch)) return 'latin';
  return 'other';
}

interface RawChar { ch: string; start: number; end: number }
interface RawRun { chars: RawChar[]; sentenceStart: boolean; sepBefore: string; gapStart: number }

const CYRILLIC_LANGS = new Set(['ru', 'uk', 'ky', 'be', 'bg', 'sr', 'mk', 'kk', 'tt']);

/** Which script wins a tie in a word with as many Latin as Cyrillic letters (the language's own script). */
function preferredScript(lang: string | undefined): Script {
  return lang !== undefined && CYRILLIC_LANGS.has(lang) ? 'cyrillic' : 'latin';
}

function isWordChar(ch: string): boolean {
  return isLetter(ch) || isDigit(ch);
}

function isInnerSymbol(ch: string): boolean {
  return LEET_SYMBOLS.has(ch) || MASK_SYMBOLS.has(ch) || APOSTROPHES.has(ch);
}

/** Splits folded characters into runs of word characters, keeping symbols that sit inside words. */
function splitRuns(chars: RawChar[]): RawRun[] {
  const runs: RawRun[] = [];
  let current: RawChar[] = [];
  let sentenceBreak = true;
  let sep = '';
  let gapStart = 0;
  const flush = (): void => {
    // Trim symbols at the edges: "idiot!" and "*really*" are punctuation, not leetspeak.
    let a = 0;
    let b = current.length;
    while (a < b && !isWordChar(current[a]!.ch) && current[a]!.ch !== '$') a++;
    while (b > a && !isWordChar(current[b - 1]!.ch) && current[b - 1]!.ch !== '$') b--;
    const trimmed = current.slice(a, b);
    if (trimmed.some((c) => isLetter(c.ch) || isDigit(c.ch))) {
      runs.push({ chars: trimmed, sentenceStart: sentenceBreak, sepBefore: sep, gapStart });
      sentenceBreak = false;
      sep = '';
    }
    current = [];
  };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (isWordChar(c.ch)) {
      if (current.length === 0) gapStart = c.start;
      current.push(c);
    } else if (isInnerSymbol(c.ch) || c.ch === '$') {
      if (current.length === 0) gapStart = c.start;
      current.push(c);
    } else {
      // Sentence-ending punctuation directly after a word still ends the sentence ("idiot! you").
      if (current.length > 0) flush();
      if (SENTENCE_BREAK.has(c.ch)) sentenceBreak = true;
      sep += c.ch;
    }
    // A trailing '!' or '?' run after a word ends the sentence even though '!' is also a leet symbol.
    if (c.ch === '!' && (i + 1 >= chars.length || !isWordChar(chars[i + 1]!.ch))) {
      if (current.length > 0) flush();
      sentenceBreak = true;
    }
  }
  if (current.length > 0) flush();
  return runs;
}

/**
 * Which script a mixed word is really written in. A word whose Cyrillic letters all have Latin twins while some
 * Latin letter has none ("іdіоt": d, t) is Latin with lookalikes, and the other way round; otherwise the
 * majority wins, and a tie goes to the comment language's script.
 */
function targetScript(chars: RawChar[], latin: number, cyr: number, lang: string | undefined): Script {
  if (latin === 0 || cyr === 0) return cyr > 0 ? 'cyrillic' : 'latin';
  let cyrAllTwins = true;
  let latAllTwins = true;
  for (const c of chars) {
    const s = scriptOf(c.ch);
    if (s === 'cyrillic' && TO_LATIN[c.ch] === undefined) cyrAllTwins = false;
    if ((s === 'latin' || s === 'greek') && TO_CYRILLIC[c.ch] === undefined) latAllTwins = false;
  }
  if (cyrAllTwins && !latAllTwins) return 'latin';
  if (latAllTwins && !cyrAllTwins) return 'cyrillic';
  if (latin === cyr) return preferredScript(lang);
  return cyr > latin ? 'cyrillic' : 'latin';
}

/** Turns one run of characters into a token: homoglyphs, leetspeak, apostrophes, masks, stretched letters. */
function foldRun(run: RawRun, lang: string | undefined): Token | null {
  let latin = 0;
  let cyr = 0;
  let letters = 0;
  for (const c of run.chars) {
    const s = scriptOf(c.ch);
    if (s === 'latin' || s === 'greek') latin++;
    else if (s === 'cyrillic') cyr++;
    if (isLetter(c.ch)) letters++;
  }
  const target = targetScript(run.chars, latin, cyr, lang);
  let out = '';
  let masked = false;
  const chars = run.chars;
  // Is there a digit run with letters on both sides ("h3ll0", "1d10t")? One pass, no temporary strings.
  let interiorDigit = false;
  let seenLetter = false;
  let digitsAfterLetter = false;
  for (const c of chars) {
    if (isLetter(c.ch)) {
      if (digitsAfterLetter) { interiorDigit = true; break; }
      seenLetter = true;
    } else if (isDigit(c.ch)) {
      if (seenLetter) digitsAfterLetter = true;
    } else digitsAfterLetter = false;
  }
  for (let i = 0; i < chars.length; i++) {
    let ch = chars[i]!.ch;
    if (APOSTROPHES.has(ch)) continue; // "you're" → "youre", "don't" → "dont": both spellings are common.
    if (MASK_SYMBOLS.has(ch)) {
      if (letters >= 1) { masked = true; if (!out.endsWith('*')) out += '*'; }
      continue;
    }
    const digitChar = isDigit(ch);
    // Leetspeak only in words with a digit between letters ("h3ll0", "1d10t"), never "2004", "user123" or "mp3".
    const leetable = letters > 0 && (LEET_SYMBOLS.has(ch) || (digitChar && interiorDigit));
    if (target === 'cyrillic') {
      if (scriptOf(ch) !== 'cyrillic' && (isLetter(ch) || leetable)) ch = TO_CYRILLIC[ch] ?? ch;
    } else if (target === 'latin') {
      if (scriptOf(ch) === 'cyrillic' || scriptOf(ch) === 'greek') ch = TO_LATIN[ch] ?? ch;
      else if (leetable) ch = LEET_LATIN[ch] ?? ch;
    }
    if (!isWordChar(ch) && !leetable) continue;
    if (!isLetter(ch) && !isDigit(ch)) continue;
    // Stretched letters: "stuuuupid", "кааазел". Collapsing every double keeps both sides of a match aligned.
    if (out.length > 0 && out[out.length - 1] === ch && !isDigit(ch)) continue;
    out += ch;
  }
  if (out === '' || out === '*') return null;
  const first = chars[0]!;
  const last = chars[chars.length - 1]!;
  return { text: out, start: first.start, end: last.end, masked, sentenceStart: run.sentenceStart, joined: false };
}

/**
 * Joins runs of single letters separated by single separators: "i d i o t", "f.u.c.k". The joined letters are
 * folded again as one word, so lookalikes among them ("і d і о t" with Cyrillic і, о) follow the word's script.
 */
function joinSpaced(tokens: Token[], seps: string[], runs: RawRun[], lang: string | undefined): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    while (
      j < tokens.length && j - i < MAX_SPACED_LETTERS && [...tokens[j]!.text].length === 1 &&
      (j === i || (seps[j]!.length === 1 && SPACED_SEPARATORS.has(seps[j]!)))
    ) j++;
    if (j - i >= MIN_SPACED_LETTERS) {
      const first = tokens[i]!;
      const merged: RawRun = { chars: runs.slice(i, j).flatMap((r) => r.chars), sentenceStart: first.sentenceStart, sepBefore: '', gapStart: first.start };
      const folded = foldRun(merged, lang);
      if (folded) out.push({ ...folded, joined: true });
      i = j;
    } else {
      out.push(tokens[i]!);
      i++;
    }
  }
  return out;
}

/** Folds the characters of a text, remembering each output character's original UTF-16 range. */
function foldChars(text: string): RawChar[] {
  const chars: RawChar[] = [];
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) ?? 0;
    const len = cp > 0xffff ? 2 : 1;
    const folded = foldCodePoint(cp);
    if (folded.length === 1) chars.push({ ch: folded, start: i, end: i + len });
    else for (const ch of folded) chars.push({ ch, start: i, end: i + len });
    i += len;
  }
  return chars;
}

/**
 * Tokenises and folds a text. `lang` only breaks ties between Latin and Cyrillic lookalikes in a word.
 * Every token's [start, end) is a UTF-16 range of `text` itself.
 */
export function tokenize(text: string, lang?: string): Token[] {
  const runs = splitRuns(foldChars(text));
  const tokens: Token[] = [];
  const seps: string[] = [];
  const kept: RawRun[] = [];
  for (const run of runs) {
    const t = foldRun(run, lang);
    if (t === null) continue;
    tokens.push(t);
    seps.push(run.sepBefore);
    kept.push(run);
  }
  return joinSpaced(tokens, seps, kept, lang);
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
