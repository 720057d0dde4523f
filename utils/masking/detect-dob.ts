import type { ScanContext } from './detector.ts';
import { cueRegex, findCues } from './cue-match.ts';
import { DOB_WINDOW_AFTER_CUE } from './limits.ts';
import { makeFinding, type Finding } from './schema.ts';

/**
 * A date of birth is a date near a birth cue ("born", "родился", "туулган", "nací", "DOB"). Dates alone are
 * everywhere on talk pages (signatures, sources), so no cue, no finding. Month names are not listed per
 * language: between a day and a four-digit year any word stands for the month, which the cue makes safe enough.
 * Turkic and Persian put the verb last ("2000-жылы 27-июнда туулгам"), so the date may also come before the cue.
 */

export const DOB_CONFIDENCE = { fullDate: 0.85, yearOnly: 0.55 } as const;

/**
 * A month word is 3–12 letters. Written as `\p{L}{3,12}` the class is expanded twelve times and each pattern cost
 * ~80 ms to compile on first use (a long task in the editor); `\p{L}+` compiles in under 1 ms, and the length is
 * checked on the match instead (monthMatch).
 */
const MONTH_MIN = 3;
const MONTH_MAX = 12;
const MONTH_WORD = String.raw`(?<month>\p{L}+)\.?`;
const DATE_PATTERNS: readonly RegExp[] = [
  /(?<!\d)\d{4}[-./]\d{1,2}[-./]\d{1,2}(?!\d)/gu,
  /(?<!\d)\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|\d{2})(?!\d)/gu,
  new RegExp(String.raw`(?<!\d)\d{1,2}(?:st|nd|rd|th|-?го|-е|-?чи)?\s+(?:de\s+|of\s+)?${MONTH_WORD},?\s+(?:de\s+)?\d{4}(?!\d)`, 'gdu'),
  new RegExp(String.raw`(?<![\p{L}])${MONTH_WORD}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}(?!\d)`, 'gdu'),
  // The month word ends this pattern, so a longer word is cut at MONTH_MAX letters, as `\p{L}{3,12}` would.
  new RegExp(String.raw`(?<!\d)\d{4}[-\s]?(?:жылы|жылдын|жылдың|ж\.|yılında|г\.|года|году|року)\s+\d{1,2}[-\s]?${MONTH_WORD}`, 'gdu'),
];
const MONTH_LAST = 4;

/** First match of pattern `i` in `slice` whose month word has a valid length; [start, end) in the slice. */
function monthMatch(re: RegExp, i: number, slice: string): [number, number] | null {
  re.lastIndex = 0;
  for (let m = re.exec(slice); m !== null; m = re.exec(slice)) {
    const month = m.indices?.groups?.month;
    if (!month) return [m.index, m.index + m[0].length];
    const length = month[1] - month[0];
    if (length >= MONTH_MIN && (length <= MONTH_MAX || i === MONTH_LAST)) {
      return [m.index, length > MONTH_MAX ? month[0] + MONTH_MAX : m.index + m[0].length];
    }
    re.lastIndex = m.index + 1;
  }
  return null;
}
const YEAR = /(?<!\d)(?:1[89]\d\d|20\d\d)(?!\d)/u;

interface DateHit {
  start: number;
  end: number;
  full: boolean;
}

function firstDate(text: string, from: number, to: number): DateHit | null {
  const slice = text.slice(from, to);
  let best: DateHit | null = null;
  for (const [i, re] of DATE_PATTERNS.entries()) {
    const m = monthMatch(re, i, slice);
    if (m && (!best || from + m[0] < best.start)) best = { start: from + m[0], end: from + m[1], full: true };
  }
  if (best) return best;
  const y = YEAR.exec(slice);
  return y ? { start: from + y.index, end: from + y.index + y[0].length, full: false } : null;
}

export function detectDatesOfBirth(ctx: ScanContext): Finding[] {
  const { folded, original } = ctx;
  if (!/\d/.test(folded)) return [];
  const out: Finding[] = [];
  for (const cue of findCues(folded, cueRegex('birth', ctx.cueLangs), ctx.tokens())) {
    const hit = firstDate(folded, cue.end, Math.min(folded.length, cue.end + DOB_WINDOW_AFTER_CUE)) ??
      firstDate(folded, Math.max(0, cue.start - DOB_WINDOW_AFTER_CUE), cue.start);
    if (!hit) continue;
    const confidence = hit.full ? DOB_CONFIDENCE.fullDate : DOB_CONFIDENCE.yearOnly;
    out.push(makeFinding(original, 'DATE_OF_BIRTH', hit.start, hit.end, confidence, 'kalkan-pii-reason-birth-date'));
  }
  return out;
}
