import type { DateLocale } from '../wiki-profile/schema';

/**
 * Signature timestamps: a PHP date() format (MediaWiki's Language::sprintfDate subset used by default date
 * preferences) becomes one regular expression per language variant, and a match becomes a UTC instant.
 * Follows DiscussionTools' CommentParser::getTimestampRegexp/getTimestampParser, plus NBSP tolerance for the
 * spaces MediaWiki writes (copy-pasted and bot-written signatures often carry U+00A0).
 */

/** Format codes that produce a capture group, in the order they appear in the format. */
export type FormatCode =
  | 'xg' | 'd' | 'j' | 'D' | 'l' | 'F' | 'M' | 'm' | 'n' | 'Y' | 'xkY' | 'G' | 'H' | 'i' | 's';

export const MONTH_MESSAGES = [
  'january', 'february', 'march', 'april', 'may_long', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
] as const;
export const MONTH_GENITIVE_MESSAGES = MONTH_MESSAGES.map((m) => `${m === 'may_long' ? 'may' : m}-gen`);
export const MONTH_ABBREVIATED_MESSAGES = [
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec',
] as const;
export const WEEKDAY_MESSAGES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export const WEEKDAY_ABBREVIATED_MESSAGES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** DiscussionTools switched comment ids from ISO timestamps to YYYYMMDDHHMMSS for comments from this instant on. */
export const TIMESTAMP_FORMAT_SWITCH_MS = Date.UTC(2022, 6, 12);

/** Invisible marks that sneak into copy-pasted timestamps (T245784, T308448). */
const BIDI_MARKS = '[\\u200E\\u200F]?';
/** MediaWiki writes plain spaces; pasted and templated signatures often carry NBSP instead. */
const SPACE = '[ \\u00A0]';

export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function literal(text: string): string {
  return Array.from(text, (ch) => (ch === ' ' || ch === '\u00A0' ? SPACE : escapeRegExp(ch))).join('');
}

function alternation(values: readonly string[]): string {
  // Longest first, so "maj" does not win over "maja" in an unanchored alternation.
  const sorted = [...values].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
  return `(${sorted.map(literal).join('|')})`;
}

function messages(locale: DateLocale, keys: readonly string[]): string[] {
  return keys.map((k) => locale.messages[k] ?? '');
}

interface FormatToken { kind: 'group'; code: FormatCode; pattern: string }
interface LiteralToken { kind: 'literal'; text: string }
type Token = FormatToken | LiteralToken;

/** Splits a PHP date format into capture groups and literal text (escapes, quoted literals, xx, xn). */
export function tokenizeDateFormat(format: string, locale: DateLocale): Token[] {
  const digitClass = locale.digits ? `[${locale.digits.map(escapeRegExp).join('')}]` : '[0-9]';
  const tokens: Token[] = [];
  const chars = Array.from(format);
  let raw = false;
  for (let p = 0; p < chars.length; p++) {
    let code = chars[p] ?? '';
    if (code === 'x' && p < chars.length - 1) code += chars[++p] ?? '';
    if (code === 'xk' && p < chars.length - 1) code += chars[++p] ?? '';
    let num: string | null = null;
    switch (code) {
      case 'xx': tokens.push({ kind: 'literal', text: 'x' }); break;
      case 'xn': raw = true; break;
      case 'xg': tokens.push({ kind: 'group', code, pattern: alternation(messages(locale, MONTH_GENITIVE_MESSAGES)) }); break;
      case 'D': tokens.push({ kind: 'group', code, pattern: alternation(messages(locale, WEEKDAY_ABBREVIATED_MESSAGES)) }); break;
      case 'l': tokens.push({ kind: 'group', code, pattern: alternation(messages(locale, WEEKDAY_MESSAGES)) }); break;
      case 'F': tokens.push({ kind: 'group', code, pattern: alternation(messages(locale, MONTH_MESSAGES)) }); break;
      case 'M': tokens.push({ kind: 'group', code, pattern: alternation(messages(locale, MONTH_ABBREVIATED_MESSAGES)) }); break;
      case 'd': case 'm': case 'H': case 'i': case 's': num = '2'; break;
      case 'j': case 'n': case 'G': num = '1,2'; break;
      case 'Y': case 'xkY': num = '4'; break;
      case '\\':
        tokens.push({ kind: 'literal', text: p < chars.length - 1 ? chars[++p] ?? '' : '\\' });
        break;
      case '"': {
        const end = chars.indexOf('"', p + 1);
        if (p < chars.length - 1 && end !== -1) {
          tokens.push({ kind: 'literal', text: chars.slice(p + 1, end).join('') });
          p = end;
        } else {
          tokens.push({ kind: 'literal', text: '"' });
        }
        break;
      }
      default: tokens.push({ kind: 'literal', text: code });
    }
    if (num !== null) {
      tokens.push({ kind: 'group', code: code as FormatCode, pattern: `(${raw ? '[0-9]' : digitClass}{${num}})` });
      raw = false;
    }
  }
  return tokens;
}

/** Regular-expression source for signatures in this locale: date, a space, "(TZ)". */
export function timestampRegexpSource(locale: DateLocale): string {
  let s = '';
  for (const token of tokenizeDateFormat(locale.dateFormat, locale)) {
    s += token.kind === 'group' ? token.pattern : literal(token.text);
    s += BIDI_MARKS;
  }
  const zones = alternation(Object.keys(locale.timezoneAbbreviations));
  return `${s}${SPACE}${BIDI_MARKS}\\(${zones}\\)`;
}

export interface ParsedTimestamp {
  /** UTC epoch milliseconds. */
  utcMs: number;
  warning: string | null;
}

export interface TimestampMatcher {
  locale: DateLocale;
  regexp: RegExp;
  parse(match: RegExpExecArray | RegExpMatchArray): ParsedTimestamp | null;
}

function normaliseSpaces(text: string): string {
  return text.replace(/\u00A0/g, ' ');
}

export function createTimestampMatcher(locale: DateLocale, localTimezone: string): TimestampMatcher {
  const codes = tokenizeDateFormat(locale.dateFormat, locale)
    .filter((t): t is FormatToken => t.kind === 'group')
    .map((t) => t.code);
  const digits = locale.digits;
  const toNumber = (text: string): number => {
    if (!digits) return Number(text);
    let out = '';
    for (const ch of text) {
      const i = digits.indexOf(ch);
      out += i === -1 ? ch : String(i);
    }
    return Number(out);
  };
  const months = messages(locale, MONTH_MESSAGES);
  const monthsGen = messages(locale, MONTH_GENITIVE_MESSAGES);
  const monthsShort = messages(locale, MONTH_ABBREVIATED_MESSAGES);
  const zoneByText = new Map<string, string>();
  for (const [local, canonical] of Object.entries(locale.timezoneAbbreviations)) {
    zoneByText.set(normaliseSpaces(local), canonical);
  }
  const regexp = new RegExp(timestampRegexpSource(locale), 'u');

  return {
    locale,
    regexp,
    parse(match) {
      let year = 0;
      let month = 0;
      let day = 0;
      let hour = 0;
      let minute = 0;
      codes.forEach((code, i) => {
        const text = match[i + 1] ?? '';
        switch (code) {
          case 'xg': month = monthsGen.indexOf(text); break;
          case 'F': month = months.indexOf(text); break;
          case 'M': month = monthsShort.indexOf(text); break;
          case 'd': case 'j': day = toNumber(text); break;
          case 'm': case 'n': month = toNumber(text) - 1; break;
          case 'Y': year = toNumber(text); break;
          case 'xkY': year = toNumber(text) - 543; break;
          case 'G': case 'H': hour = toNumber(text); break;
          case 'i': minute = toNumber(text); break;
          default: break; // weekday names and seconds carry no information we need
        }
      });
      const zoneText = normaliseSpaces(match[match.length - 1] ?? '');
      const zone = zoneByText.get(zoneText) ?? zoneText;
      return wallTimeToUtc({ year, month, day, hour, minute }, localTimezone, zone);
    },
  };
}

export interface WallTime { year: number; month: number; day: number; hour: number; minute: number }

/** Whether the fields name a real calendar minute (DT drops "31 February" and year 0, T352455). */
export function isValidWallTime(t: WallTime): boolean {
  if (!Number.isInteger(t.year) || t.year < 1 || t.year > 9999) return false;
  if (!Number.isInteger(t.month) || t.month < 0 || t.month > 11) return false;
  if (!Number.isInteger(t.hour) || t.hour < 0 || t.hour > 23) return false;
  if (!Number.isInteger(t.minute) || t.minute < 0 || t.minute > 59) return false;
  const daysInMonth = new Date(Date.UTC(2000, t.month + 1, 0)).getUTCDate() +
    (t.month === 1 ? (isLeap(t.year) ? 0 : -1) : 0);
  return Number.isInteger(t.day) && t.day >= 1 && t.day <= daysInMonth;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Offsets (minutes east of UTC) of abbreviations Intl may print as "GMT+1" instead of by name. */
export const KNOWN_ZONE_OFFSETS: Readonly<Record<string, number>> = {
  UTC: 0, GMT: 0, WET: 0, WEST: 60, BST: 60, IST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120,
  EET: 120, EEST: 180, MSK: 180, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360,
  PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600, JST: 540, KST: 540, AEST: 600, AEDT: 660,
};

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
const nameFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** Minutes east of UTC in `timeZone` at `utcMs`, from Intl (no time-zone library). */
export function zoneOffsetMinutes(timeZone: string, utcMs: number): number {
  if (timeZone === 'UTC') return 0;
  const fields: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(fields.year ?? 1970, (fields.month ?? 1) - 1, fields.day ?? 1,
    fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0);
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** The short zone name Intl uses (en-GB prints CET/CEST, BST …), or null when it only has "GMT+1". */
export function zoneAbbreviation(timeZone: string, utcMs: number): string | null {
  let f = nameFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' });
    nameFormatters.set(timeZone, f);
  }
  const name = f.formatToParts(new Date(utcMs)).find((p) => p.type === 'timeZoneName')?.value ?? null;
  return name && !/^(GMT|UTC)[+-−]/.test(name) ? name : null;
}

function abbreviationMatches(timeZone: string, utcMs: number, abbr: string): boolean {
  if (timeZone === 'UTC') return true;
  const known = KNOWN_ZONE_OFFSETS[abbr];
  const name = zoneAbbreviation(timeZone, utcMs);
  if (name !== null && name === abbr) return true;
  return known !== undefined && known === zoneOffsetMinutes(timeZone, utcMs);
}

/**
 * Wall-clock time in the wiki's zone → UTC. At the autumn DST switch a wall time happens twice; the zone
 * abbreviation in the signature says which one (timestamp-parser-dst.json). Invalid dates give null.
 */
export function wallTimeToUtc(t: WallTime, timeZone: string, abbr: string): ParsedTimestamp | null {
  if (!isValidWallTime(t)) return null;
  const wall = Date.UTC(t.year, t.month, t.day, t.hour, t.minute);
  if (timeZone === 'UTC') return { utcMs: wall, warning: null };
  let offsets: number[];
  try {
    offsets = [zoneOffsetMinutes(timeZone, wall - 86_400_000), zoneOffsetMinutes(timeZone, wall + 86_400_000),
      zoneOffsetMinutes(timeZone, wall)];
  } catch (error) {
    // An unknown IANA zone in a stored profile: read times as UTC rather than losing the comment.
    void error;
    return { utcMs: wall, warning: `Unknown time zone "${timeZone}"; time read as UTC` };
  }
  const candidates = [...new Set(offsets)]
    .map((o) => wall - o * 60_000)
    .filter((utc) => wall - zoneOffsetMinutes(timeZone, utc) * 60_000 === utc)
    .sort((a, b) => a - b);
  if (candidates.length === 0) {
    // Spring-forward gap: the wall time never happened; read it with the offset from before the switch.
    return { utcMs: wall - (offsets[0] ?? 0) * 60_000, warning: 'Timestamp has timezone abbreviation for the wrong time' };
  }
  const first = candidates[0] as number;
  const matching = candidates.find((c) => abbreviationMatches(timeZone, c, abbr));
  if (matching === undefined) {
    return { utcMs: first, warning: 'Timestamp has timezone abbreviation for the wrong time' };
  }
  return { utcMs: matching, warning: matching === first ? null : 'Ambiguous time at DST switchover was parsed' };
}

/** DiscussionTools' timestamp string for ids: ISO before 2022-07-12, YYYYMMDDHHMMSS from then on. */
export function timestampString(utcMs: number): string {
  const iso = new Date(utcMs).toISOString();
  if (utcMs < TIMESTAMP_FORMAT_SWITCH_MS) return iso;
  return iso.slice(0, 19).replace(/[-:T]/g, '');
}

/** Reads a timestamp string back (either format); null when it is neither. */
export function parseTimestampString(text: string): number | null {
  // Read digit by digit first: ids are parsed once per comment (thousands per page), and the regexp, the slices
  // and Date.parse cost more than the rest of a marker's reading. Anything unusual goes the long way.
  const quick = text.length === COMPACT_LENGTH ? compactToMs(text) : isoToMs(text);
  return quick !== undefined ? quick : parseTimestampStringPlainly(text);
}

/** The plain reading by regexp and Date.parse (exported as the reference the quick path is tested against). */
export function parseTimestampStringPlainly(text: string): number | null {
  if (/^\d{14}$/.test(text)) {
    const ms = Date.UTC(Number(text.slice(0, 4)), Number(text.slice(4, 6)) - 1, Number(text.slice(6, 8)),
      Number(text.slice(8, 10)), Number(text.slice(10, 12)), Number(text.slice(12, 14)));
    return Number.isFinite(ms) ? ms : null;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(text)) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

const COMPACT_LENGTH = 14;
/** 2019-06-21T10:08:00Z and 2019-06-21T10:08:00.000Z */
const ISO_SHORT_LENGTH = 20;
const ISO_LONG_LENGTH = 24;
const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;
/** Date.UTC reads years 0–99 as 1900–1999; Date.parse does not. */
const FIRST_FULL_YEAR = 100;

/** The number written by `count` ASCII digits at `from`, or -1 if one is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Where month, day, hour, minute and second start (two digits each) after the four-digit year, per shape. */
type FieldOffsets = readonly [number, number, number, number, number];
const COMPACT_OFFSETS: FieldOffsets = [4, 6, 8, 10, 12];
const ISO_OFFSETS: FieldOffsets = [5, 8, 11, 14, 17];

/**
 * Date.UTC of the six fields at `offsets` (milliseconds `ms`); undefined if a field is not digits or, when
 * `inRange`, is out of range (month 1–12, day 1–31, hour ≤ 23, minute and second ≤ 59, year ≥ 100).
 */
function fieldsToMs(text: string, offsets: FieldOffsets, ms: number, inRange: boolean): number | undefined {
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, offsets[0], 2);
  const d = digitsAt(text, offsets[1], 2);
  const h = digitsAt(text, offsets[2], 2);
  const mi = digitsAt(text, offsets[3], 2);
  const sec = digitsAt(text, offsets[4], 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || ms < 0) return undefined;
  if (inRange && (y < FIRST_FULL_YEAR || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

/** YYYYMMDDHHMMSS, as the regexp path reads it (Date.UTC, fields may roll over); undefined if not digits. */
function compactToMs(text: string): number | undefined {
  return fieldsToMs(text, COMPACT_OFFSETS, 0, false);
}

/** ISO 8601 in the two shapes DT writes, when every field is in range (else undefined: Date.parse decides). */
function isoToMs(text: string): number | undefined {
  const len = text.length;
  if (len !== ISO_SHORT_LENGTH && len !== ISO_LONG_LENGTH) return undefined;
  // Code units, not one-letter strings: this runs once per comment id, mostly before the JIT has warmed up.
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || text.charCodeAt(10) !== LETTER_T ||
    text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON || text.charCodeAt(len - 1) !== LETTER_Z ||
    (len === ISO_LONG_LENGTH && text.charCodeAt(19) !== DOT)) return undefined;
  return fieldsToMs(text, ISO_OFFSETS, len === ISO_LONG_LENGTH ? digitsAt(text, 20, 3) : 0, true);
}

/**
 * The time of a string exactly as timestampString writes it — `timestampString(result) === text` — or null for
 * any other text: the other format for that date, ISO without milliseconds, a field Date.UTC would roll over
 * (31 April, hour 24). The marker reader then takes a comment's name from DT's id as it stands instead of
 * writing the timestamp again (see threads.ts).
 */
export function parseCanonicalTimestampString(text: string): number | null {
  const compact = text.length === COMPACT_LENGTH;
  if (!compact && text.length !== ISO_LONG_LENGTH) return null;
  const utcMs = compact ? fieldsToMs(text, COMPACT_OFFSETS, 0, true) : isoToMs(text);
  if (utcMs === undefined || compact !== utcMs >= TIMESTAMP_FORMAT_SWITCH_MS) return null;
  // A day past the month's end (Feb 30) passes the range check and rolls over: the date read back differs.
  return new Date(utcMs).getUTCDate() === digitsAt(text, compact ? COMPACT_OFFSETS[1] : ISO_OFFSETS[1], 2) ? utcMs : null;
}
