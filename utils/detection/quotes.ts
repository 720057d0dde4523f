/**
 * Finds text the comment quotes rather than says: "> " quote lines, «…», “…”, „…“ and "…" pairs on one line.
 * A reply that quotes an insult to complain about it must not be flagged for the quoted words.
 */

/** Longest stretch between a pair of quote marks we still treat as a quotation (longer is likely unbalanced). */
export const MAX_QUOTE_LENGTH = 400;

const PAIRS: ReadonlyArray<[string, string]> = [['«', '»'], ['“', '”'], ['„', '“'], ['„', '”'], ['"', '"'], ['‹', '›'], ['「', '」']];

export type Range = [number, number];

/**
 * Every character a quotation can start with (the opening marks of PAIRS and the quote-line marks): most comments
 * hold none, and one native scan answers that before eight passes over the text.
 */
const QUOTE_START = /["«“„‹「>＞]/;

export function findQuotedRanges(text: string): Range[] {
  const ranges: Range[] = [];
  if (!QUOTE_START.test(text)) return ranges;
  // Quote lines ("> text"), as used in plain-text and some wiki replies.
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let i = lineStart;
    while (i < lineEnd && (text[i] === ' ' || text[i] === '\t' || text[i] === ':')) i++;
    if (text[i] === '>' || text[i] === '＞') ranges.push([lineStart, lineEnd]);
    lineStart = lineEnd + 1;
  }
  for (const [open, close] of PAIRS) {
    let from = 0;
    while (from < text.length) {
      const a = text.indexOf(open, from);
      if (a < 0) break;
      const b = text.indexOf(close, a + 1);
      if (b < 0) break;
      const inner = text.slice(a + 1, b);
      if (b - a <= MAX_QUOTE_LENGTH && !inner.includes('\n')) {
        ranges.push([a, b + 1]);
        from = b + 1;
      } else {
        from = a + 1;
      }
    }
  }
  return ranges;
}

/** True when [start, end) lies inside one of the ranges. */
export function isInside(start: number, end: number, ranges: readonly Range[]): boolean {
  for (const [a, b] of ranges) if (start >= a && end <= b) return true;
  return false;
}
