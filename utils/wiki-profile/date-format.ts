/**
 * Learns a wiki's signature date format from one sample: the text MediaWiki writes for `~~~~~` (five tildes:
 * the timestamp alone, in the content language's default format and the wiki's local time zone) together with
 * the instant it was written. MediaWiki does not expose date formats through the API, and guessing from a table
 * of languages would miss local overrides, so we read the format off the wiki's own output.
 */

export interface LocalTimeParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

export interface MonthAndDayNames {
  /** MediaWiki message key → text, e.g. january → "January", january-gen → "января", jan → "Jan". */
  [key: string]: string;
}

export const MONTH_KEYS = ['january', 'february', 'march', 'april', 'may_long', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] as const;
export const MONTH_GEN_KEYS = MONTH_KEYS.map((key) => `${key === 'may_long' ? 'may' : key}-gen`);
export const MONTH_SHORT_KEYS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
export const WEEKDAY_KEYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export const WEEKDAY_SHORT_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const DATE_MESSAGE_KEYS: readonly string[] = [...MONTH_KEYS, ...MONTH_GEN_KEYS, ...MONTH_SHORT_KEYS, ...WEEKDAY_KEYS, ...WEEKDAY_SHORT_KEYS];

/** Splits "… (UTC)" into the timestamp and the time-zone abbreviation MediaWiki appends to signatures. */
export function splitTimezone(sample: string): { stamp: string; abbreviation: string | null } {
  const match = /^(.*?)[\s\u00a0\u200e\u200f]*\(([^()]+)\)[\s\u200e\u200f]*$/u.exec(sample.trim());
  if (!match?.[1] || !match[2]) return { stamp: sample.trim(), abbreviation: null };
  return { stamp: match[1], abbreviation: match[2].trim() };
}

/** The wall-clock parts of an instant in an IANA time zone. */
export function localParts(instant: Date, timeZone: string): LocalTimeParts {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short', hourCycle: 'h23',
  });
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour) % 24, minute: Number(parts.minute), weekday: weekdays.indexOf(parts.weekday ?? ''),
  };
}

const PHP_FORMAT_LETTERS = /[a-zA-Z]/;

export interface LearnedDateFormat {
  dateFormat: string;
  /** Ten digit characters when the sample used non-ASCII digits; null for ASCII. */
  digits: string[] | null;
  abbreviation: string | null;
}

export class DateFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DateFormatError';
  }
}

/**
 * Reads a PHP date() format off a sample. Ambiguous numbers prefer the tolerant format letters (j, n, G) that
 * also accept zero-padded values when parsing, so a guess never makes real signatures unparseable.
 */
export function learnDateFormat(sample: string, when: LocalTimeParts, names: MonthAndDayNames): LearnedDateFormat {
  const { stamp, abbreviation } = splitTimezone(sample);
  let digits: string[] | null = null;
  let format = '';
  let index = 0;
  const used = new Set<string>();
  const take = (letter: string, length: number) => {
    format += letter;
    used.add(letter);
    index += length;
  };
  while (index < stamp.length) {
    const rest = stamp.slice(index);
    const number = /^\p{Nd}+/u.exec(rest)?.[0];
    if (number) {
      const first = number.codePointAt(0) ?? 48;
      const zero = first - digitValue(first);
      if (zero !== 48 && !digits) digits = Array.from({ length: 10 }, (_, d) => String.fromCodePoint(zero + d));
      const value = Number([...number].map((char) => digitValue(char.codePointAt(0) ?? 48)).join(''));
      const padded = number.length === 2 && value < 10;
      if (number.length === 4 && value === when.year && !used.has('Y')) take('Y', number.length);
      else if (value === when.minute && number.length === 2 && used.has('H') !== used.has('G') && !used.has('i')) take('i', 2);
      else if (value === when.hour && !used.has('H') && !used.has('G') && /^\p{Nd}{1,2}[:.]\p{Nd}{2}/u.test(rest)) take(padded || (number.length === 2 && value >= 10) ? 'H' : 'G', number.length);
      else if (value === when.day && !used.has('j') && !used.has('d')) take(padded ? 'd' : 'j', number.length);
      else if (value === when.month && !used.has('n') && !used.has('m')) take(padded ? 'm' : 'n', number.length);
      else if (value === when.minute && !used.has('i')) take('i', number.length);
      else throw new DateFormatError(`Kalkan could not read the wiki's date format from "${sample}"; add the wiki again later or report this wiki to Kalkan.`);
      continue;
    }
    const word = /^[\p{L}\p{M}]+\.?/u.exec(rest)?.[0];
    if (word) {
      // Abbreviations may carry their dot in the message itself (de: "Nov."), or not (fr: "nov." is text).
      const withDot = monthOrDayLetter(word, when, names);
      const bare = word.endsWith('.') ? word.slice(0, -1) : word;
      const letter = withDot ?? monthOrDayLetter(bare, when, names);
      if (letter) {
        take(letter, withDot ? word.length : bare.length);
        continue;
      }
      for (const char of word) format += PHP_FORMAT_LETTERS.test(char) ? `\\${char}` : char;
      index += word.length;
      continue;
    }
    const char = String.fromCodePoint(rest.codePointAt(0) ?? 32);
    format += PHP_FORMAT_LETTERS.test(char) || char === '\\' ? `\\${char}` : char;
    index += char.length;
  }
  if (!used.has('Y') || !(used.has('H') || used.has('G')) || !used.has('i')) {
    throw new DateFormatError(`Kalkan could not find year, hour and minute in the wiki's date sample "${sample}".`);
  }
  return { dateFormat: format, digits, abbreviation };
}

const DECIMAL_DIGIT = /\p{Nd}/u;

/** Unicode decimal digits come in runs of ten, 0 to 9: a digit's value is its distance from its run's start. */
export function digitValue(codePoint: number): number {
  for (let value = 0; value <= 9; value += 1) {
    const zero = codePoint - value;
    if (zero <= 0) break;
    if (DECIMAL_DIGIT.test(String.fromCodePoint(zero)) && !DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) return value;
  }
  return 0;
}

function monthOrDayLetter(word: string, when: LocalTimeParts, names: MonthAndDayNames): string | null {
  const month = when.month - 1;
  const same = (key: string | undefined) => key !== undefined && names[key] !== undefined && names[key]?.toLocaleLowerCase() === word.toLocaleLowerCase();
  // Genitive first: where it equals the nominative, MediaWiki's default formats use F, and both parse alike.
  const nominative = MONTH_KEYS[month];
  const genitive = MONTH_GEN_KEYS[month];
  if (same(genitive) && !same(nominative)) return 'xg';
  if (same(nominative)) return 'F';
  if (same(MONTH_SHORT_KEYS[month])) return 'M';
  if (same(WEEKDAY_KEYS[when.weekday])) return 'l';
  if (same(WEEKDAY_SHORT_KEYS[when.weekday])) return 'D';
  return null;
}
