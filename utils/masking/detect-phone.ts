import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { ScanContext } from './detector.ts';
import { cueRegex, hasCueBefore, hasCueNear } from './cue-match.ts';
import { CUE_BOOST, PHONE_MAX_CANDIDATE_CHARS, PHONE_MAX_DIGITS, PHONE_MIN_DIGITS, PHONE_PARSE_CACHE_SIZE } from './limits.ts';
import { makeFinding, type Finding } from './schema.ts';

/**
 * Phone numbers. libphonenumber-js's own findNumbers costs ~7 ms per 5 KB, too slow for scanning while typing,
 * so a cheap pass finds digit runs shaped like phone numbers and libphonenumber only validates those candidates
 * against the hinted regions (the wiki's and the user's) or their "+" country code. Numbers no hinted region
 * accepts are still reported when their shape is phone-like and a cue is near, since a talk-page user may give a
 * number from any country.
 */

export const PHONE_CONFIDENCE = {
  /** "+996 555 123 456", valid for its country code. */
  internationalValid: 0.9,
  /** "+46 (0)8 …" that libphonenumber finds possible but not valid. */
  internationalPossible: 0.7,
  /** "0555 123 456" valid in a hinted region. */
  nationalValid: 0.75,
  /** Grouped digits, at least 9 of them, or an area code in parentheses: phone-shaped. */
  grouped: 0.5,
  /** Grouped 7–8 digits ("467 3395"): needs a cue. */
  shortGrouped: 0.4,
  /** One unbroken run of digits: ids and counts look the same, needs a cue. */
  contiguous: 0.3,
  /** "1 234 567": thousands grouping, a quantity unless a cue says otherwise. */
  thousands: 0.2,
} as const;

/** Dates, times and ISBNs are blanked (same length) before looking for digit runs, so "1978-04-13 12:20" does not
 * read as one long number. */
const BLANK_PATTERNS: readonly RegExp[] = [
  /(?<![\d.\-/])(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?![-./]?\d)/g,
  /(?<![\d.\-/])(\d{1,2})[-./](\d{1,2})[-./](\d{2}|\d{4})(?![-./]?\d)/g,
  /(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])/g,
  /\bISBN(?:-1[03])?:?\s*[\dXx][\dXx -]{8,16}[\dXx]/gi,
];

function inRange(n: number, lo: number, hi: number): boolean {
  return n >= lo && n <= hi;
}

/** y-m-d when yearFirst; otherwise d.m.y or m/d/y, either order giving a valid day and month. */
function plausibleDate(a: number, b: number, c: number, yearFirst: boolean): boolean {
  if (yearFirst) return inRange(b, 1, 12) && inRange(c, 1, 31);
  return (inRange(a, 1, 31) && inRange(b, 1, 12)) || (inRange(a, 1, 12) && inRange(b, 1, 31));
}

function blankNonPhones(folded: string): string {
  let view = folded;
  for (const [i, re] of BLANK_PATTERNS.entries()) {
    re.lastIndex = 0;
    view = view.replace(re, (match: string, g1?: string, g2?: string, g3?: string) => {
      if (i <= 1 && g1 !== undefined && g2 !== undefined && g3 !== undefined) {
        if (!plausibleDate(Number(g1), Number(g2), Number(g3), i === 0)) return match;
      }
      return '_'.repeat(match.length);
    });
  }
  return view;
}

/** Loose run of digits and phone separators; refined by hand below. */
const CANDIDATE = /[+(]*\d[\d ()./-]*\d\)?/g;
const EXTENSION = /^ ?(?:x|ext\.?|доб\.?) ?\d{1,5}/i;
/** Left context that makes a number part of something else: a URL parameter, a path, an identifier. */
const BAD_BEFORE = /[\p{L}\p{N}_=/#&?.\-@$€£¥₽%]/u;
const BAD_AFTER = /[\p{L}\p{N}_%€$£₽°@]/u;

export interface PhoneCandidate {
  start: number;
  end: number;
  /** The candidate's characters from the folded text. */
  raw: string;
  digits: string;
}

/** Split a loose run at places where two numbers were merged: three or more separators in a row. */
function* pieces(text: string, start: number, end: number): Generator<[number, number]> {
  let s = start;
  let gap = 0;
  for (let i = start; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 0x30 && ch <= 0x39) {
      if (gap >= 3) {
        yield [s, i - gap];
        s = i;
        while (s > start && text.charAt(s - 1) === '(') s--;
      }
      gap = 0;
    } else gap++;
  }
  yield [s, end];
}

/** Digit runs shaped like phone numbers, before validation. Exported for own-identifier phone matching. */
export function phoneCandidates(folded: string): PhoneCandidate[] {
  const view = blankNonPhones(folded);
  const out: PhoneCandidate[] = [];
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(view); m !== null; m = CANDIDATE.exec(view)) {
    for (const [ps, pe] of pieces(view, m.index, m.index + m[0].length)) {
      let s = ps;
      let e = pe;
      while (s < e && !/[\d+(]/.test(view.charAt(s))) s++;
      while (e > s && !/[\d)]/.test(view.charAt(e - 1))) e--;
      let raw = view.slice(s, e);
      const opens = (raw.match(/\(/g) ?? []).length;
      const closes = (raw.match(/\)/g) ?? []).length;
      if (closes > opens && raw.endsWith(')')) { e--; raw = raw.slice(0, -1); }
      if (opens > closes && raw.startsWith('(')) { s++; raw = raw.slice(1); }
      if (raw.startsWith('+') && /^\+\+/.test(raw)) continue;
      const ext = EXTENSION.exec(view.slice(e, e + 12));
      if (ext) e += ext[0].length;
      if (s > 0 && BAD_BEFORE.test(view.charAt(s - 1))) continue;
      if (e < view.length && BAD_AFTER.test(view.charAt(e))) continue;
      // "1.5.2" continues as a version, "3,5" as a decimal.
      if (/^[.,]\d/.test(view.slice(e, e + 2))) continue;
      if (e - s > PHONE_MAX_CANDIDATE_CHARS) continue;
      const core = raw.replace(/\(0\)/, '');
      const digits = core.replace(/\D/g, '');
      if (digits.length < PHONE_MIN_DIGITS || digits.length > PHONE_MAX_DIGITS) continue;
      out.push({ start: s, end: e, raw, digits });
    }
  }
  return out;
}

const IPV4_SHAPE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const THOUSANDS_SPACE = /^\d{1,3}(?: \d{3})+$/;
const THOUSANDS_DOT = /^\d{1,3}(?:\.\d{3})+$/;
/** Languages that group thousands with a space ("1 234 567") or a dot ("1.234.567"). English uses commas, so in
 * English text "699 956 915" is a phone number, in Russian text a quantity. Unknown languages: both. */
const SPACE_THOUSANDS_LANGS = new Set(['ru', 'uk', 'kk', 'ky', 'fr', 'be', 'pl', 'cs', 'sk', 'fi', 'sv', 'nb', 'uz', 'tg']);
const DOT_THOUSANDS_LANGS = new Set(['de', 'tr', 'es', 'it', 'pt', 'nl', 'da', 'id', 'el', 'ro', 'hr', 'sr', 'az']);
const NO_THOUSANDS_LANGS = new Set(['en', 'ar', 'fa', 'he', 'ja', 'zh', 'ko', 'hi']);

function isThousandsGrouping(raw: string, lang: string): boolean {
  const base = lang.toLowerCase().split(/[-_]/)[0] ?? '';
  if (NO_THOUSANDS_LANGS.has(base)) return false;
  if (SPACE_THOUSANDS_LANGS.has(base)) return THOUSANDS_SPACE.test(raw);
  if (DOT_THOUSANDS_LANGS.has(base)) return THOUSANDS_DOT.test(raw);
  return THOUSANDS_SPACE.test(raw) || THOUSANDS_DOT.test(raw);
}

/** Luhn checksum: card numbers pass it, and 13–15-digit unbroken runs that pass are cards, not phones. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
/** Unbroken digit runs longer than this without a "+" are ids, card or account numbers. */
const MAX_CONTIGUOUS_NATIONAL = 12;
const SSN = /^\d{3}-\d{2}-\d{4}$/;
const YEAR_RANGE = /^(?:1[5-9]\d\d|20\d\d) ?[-/] ?(?:1[5-9]\d\d|20\d\d)$/;
const DECIMAL = /^\d+\.\d+$/;
const MW_TIMESTAMP = /^(?:19|20)\d{12}$/;

function isLikelyNotPhone(raw: string, digits: string): boolean {
  if (IPV4_SHAPE.test(raw) || SSN.test(raw) || YEAR_RANGE.test(raw) || DECIMAL.test(raw) || MW_TIMESTAMP.test(raw)) {
    return true;
  }
  if (/^97[89]/.test(digits) && digits.length === 13) return true;
  const contiguous = /^\d+$/.test(raw);
  if (contiguous && digits.length > MAX_CONTIGUOUS_NATIONAL) return true;
  return contiguous && digits.length >= 13 && luhn(digits);
}

interface ParsedPhone {
  valid: boolean;
  possible: boolean;
  /** E.164. */
  number: string;
}

const parseCache = new Map<string, ParsedPhone | null>();

/**
 * libphonenumber's parse and validation, memoised: while the user types, the same candidates are validated on
 * every rescan (metadata lookups ~20 µs each, per region). Cleared when it reaches PHONE_PARSE_CACHE_SIZE.
 */
export function parsePhoneCached(text: string, region?: CountryCode): ParsedPhone | null {
  const key = `${region ?? ''}\u0000${text}`;
  const hit = parseCache.get(key);
  if (hit !== undefined) return hit;
  const p = parsePhoneNumberFromString(text, region);
  const parsed = p ? { valid: p.isValid(), possible: p.isPossible(), number: p.number } : null;
  if (parseCache.size >= PHONE_PARSE_CACHE_SIZE) parseCache.clear();
  parseCache.set(key, parsed);
  return parsed;
}

function asCountry(region: string): CountryCode | undefined {
  // libphonenumber-js accepts any string at runtime and returns undefined for unknown regions.
  return region as CountryCode;
}

/** Canonical E.164 forms a candidate may stand for (one per hinted region), plus its bare digits. */
export function phoneCanonicalForms(raw: string, regions: readonly string[]): string[] {
  const forms = new Set<string>();
  const text = raw.replace(/^00/, '+');
  if (text.startsWith('+')) {
    const p = parsePhoneCached(text);
    if (p) forms.add(p.number);
  } else {
    for (const region of regions) {
      const p = parsePhoneCached(text, asCountry(region));
      if (p?.possible) forms.add(p.number);
    }
  }
  forms.add(text.replace(/\D/g, ''));
  return [...forms];
}

function baseConfidence(c: PhoneCandidate, regions: readonly string[], lang: string): { confidence: number; key: string } {
  const raw = c.raw.replace(/\s?(?:x|ext\.?|доб\.?)\s?\d+$/i, '');
  const international = raw.startsWith('+') || (raw.startsWith('00') && /\D/.test(raw));
  if (international) {
    const p = parsePhoneCached(raw.replace(/^00/, '+').replace(/\(0\)/, ''));
    if (p?.valid) return { confidence: PHONE_CONFIDENCE.internationalValid, key: 'kalkan-pii-reason-phone-valid' };
    if (p?.possible) {
      return { confidence: PHONE_CONFIDENCE.internationalPossible, key: 'kalkan-pii-reason-phone-possible' };
    }
  }
  const separated = /\D/.test(raw);
  for (const region of regions) {
    const p = parsePhoneCached(raw, asCountry(region));
    if (p?.valid) {
      const confidence = separated ? PHONE_CONFIDENCE.nationalValid : PHONE_CONFIDENCE.shortGrouped;
      return { confidence, key: 'kalkan-pii-reason-phone-valid' };
    }
  }
  if (!separated) return { confidence: PHONE_CONFIDENCE.contiguous, key: 'kalkan-pii-reason-phone-shape' };
  if (isThousandsGrouping(raw, lang)) {
    return { confidence: PHONE_CONFIDENCE.thousands, key: 'kalkan-pii-reason-phone-shape' };
  }
  // Three or more groups of two or more digits ("71-33-52-22", "78 651 450") are how phone numbers are written;
  // two groups of 7–8 digits ("467 3395") could as well be two numbers and need a cue.
  const groups = raw.split(/[^\d]+/).filter((g) => g !== '');
  const manyGroups = groups.length >= 3 && groups.slice(1).every((g) => g.length >= 2);
  const grouped = c.digits.length >= 9 || /\(\d{1,5}\)/.test(raw) || international || manyGroups;
  return {
    confidence: grouped ? PHONE_CONFIDENCE.grouped : PHONE_CONFIDENCE.shortGrouped,
    key: 'kalkan-pii-reason-phone-shape',
  };
}

export function detectPhones(ctx: ScanContext): Finding[] {
  const { folded, original } = ctx;
  const candidates = phoneCandidates(folded);
  if (candidates.length === 0) return [];
  const phoneCues = cueRegex('phone', ctx.cueLangs);
  const notPhoneCues = cueRegex('notPhone', ctx.cueLangs);
  const out: Finding[] = [];
  for (const c of candidates) {
    if (isLikelyNotPhone(c.raw, c.digits)) continue;
    if (hasCueBefore(folded, c.start, notPhoneCues, 24)) continue;
    const base = baseConfidence(c, ctx.regions, ctx.lang);
    const cued = hasCueNear(folded, c.start, c.end, phoneCues);
    const confidence = cued ? base.confidence + CUE_BOOST : base.confidence;
    const key = cued ? `${base.key}-cue` : base.key;
    out.push(makeFinding(original, 'PHONE', c.start, c.end, confidence, key));
  }
  return out;
}
