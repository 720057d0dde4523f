import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDetector, detect, MAX_ANALYSED_LENGTH } from '../../../utils/detection/detector';
import { DetectionResultSchema, type DetectionResult } from '../../../utils/detection/types';
import { hostileText, megabyteText, onCodePointBoundary } from './arbitraries';

/** Runs per property; enough to reach the odd pieces in many orders, small enough for a shared 2-core machine. */
const RUNS = 300;
/** Wall-clock bound for one detect() call on hostile text of up to a few thousand characters. */
const DETECT_BOUND_MS = 1_000;
/** Wall-clock bound for one detect() call on 1 MB (the detector reads only MAX_ANALYSED_LENGTH of it). */
const DETECT_MEGABYTE_BOUND_MS = 8_000;

/** Removes what quotes.ts reads as quotation marks ("", «», “”, „“, '', and "> " lines). */
const unquoted = (text: string): string => text.replace(/["'«»“”„‘’‹›>「」『』]/g, ' ');

const LANGS = [undefined, 'en', 'ru', 'uk', 'ky', 'ar', 'fa', 'tr', 'de', 'es', 'fr', 'it', 'pl', 'xx', '', '__proto__'];

function checkResult(text: string, result: DetectionResult): void {
  expect(DetectionResultSchema.safeParse(result).success).toBe(true);
  const analysed = Math.min(text.length, MAX_ANALYSED_LENGTH);
  for (const reason of result.reasons) {
    const [start, end] = reason.span;
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(end).toBeLessThanOrEqual(analysed);
    expect(onCodePointBoundary(text, start)).toBe(true);
    expect(onCodePointBoundary(text, end)).toBe(true);
  }
}

describe('harassment detector on hostile text', () => {
  it('never throws; spans stay inside the text and on code-point boundaries; within time', () => {
    fc.assert(
      fc.property(hostileText(), fc.constantFrom(...LANGS), (text, lang) => {
        const t0 = performance.now();
        const result = detect(text, { lang });
        expect(performance.now() - t0).toBeLessThan(DETECT_BOUND_MS);
        checkResult(text, result);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on nonsense quoted ranges (negative, reversed, past the end, NaN)', () => {
    const offset = fc.oneof(fc.integer({ min: -1_000, max: 1_000 }), fc.constantFrom(Number.NaN, Infinity, -Infinity, 2 ** 31));
    fc.assert(
      fc.property(hostileText(20), fc.array(fc.tuple(offset, offset), { maxLength: 5 }), (text, quotedRanges) => {
        checkResult(text, detect(text, { lang: 'en', quotedRanges }));
      }),
      { numRuns: RUNS },
    );
  });

  it('still flags the insult when odd Unicode surrounds it', () => {
    const detector = createDetector({ model: null });
    fc.assert(
      fc.property(hostileText(8), hostileText(8), (before, after) => {
        // Quote marks in the noise would make the insult a quotation, which rightly does not count (counterexample
        // ['"', '"'] of this property; kept as a case below). The full stops keep a negator in the noise ("not")
        // out of the insult's clause (counterexample ["No", ""]: see the known false negative below).
        const text = `${unquoted(before)}. You are an idiot. ${unquoted(after)}`;
        const result = detector.detect(text, { lang: 'en' });
        checkResult(text, result);
        // One reason per rule (the strongest match), so another insult in the noise may be the one shown.
        expect(result.flagged).toBe(true);
        expect(result.reasons.some((r) => r.kind === 'rule' && r.category === 'insult')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  // Known false negative, found by the property above and left to the detector's owners: "No" directly before
  // "you are an idiot" is read as a negation ("you are no idiot"). With a comma it is flagged.
  it.fails('KNOWN GAP: "No you are an idiot" (no comma) is flagged', () => {
    expect(createDetector({ model: null }).detect('No you are an idiot', { lang: 'en' }).flagged).toBe(true);
  });
  it('"No, you are an idiot" is flagged', () => {
    expect(createDetector({ model: null }).detect('No, you are an idiot', { lang: 'en' }).flagged).toBe(true);
  });

  it('an insult between quote marks is a quotation and does not count', () => {
    expect(createDetector({ model: null }).detect('" you are an idiot "', { lang: 'en' }).flagged).toBe(false);
  });

  it('a 1 MB comment is cut to MAX_ANALYSED_LENGTH and scored within time', () => {
    const text = megabyteText();
    const t0 = performance.now();
    const result = detect(text, { lang: 'en' });
    expect(performance.now() - t0).toBeLessThan(DETECT_MEGABYTE_BOUND_MS);
    checkResult(text, result);
    expect(result.flagged).toBe(true);
  });

  // Plain regression cases: exact inputs that stress one offset path each.
  const cases: [name: string, text: string][] = [
    ['lone high surrogate before the word', '\uD800idiot'],
    ['lone low surrogate after the word', 'idiot\uDC00'],
    ['astral letters inside the word', 'id😀iot you idiot'],
    ['1,000 combining marks on the insult', `idiot${'\u0301'.repeat(1_000)}`],
    ['bidi override around the insult', '\u202Eyou are an idiot\u202C'],
    ['NUL and U+FFFF as separators', 'you\u0000are\uFFFFan\u0000idiot'],
    ['spaced letters with ZWJ', 'i\u200Dd\u200Di\u200Do\u200Dt'],
    ['dotted capital I (lower-cases to two code units)', 'İDİOT İDİOT you idiot'],
  ];
  it.each(cases)('%s', (_name, text) => {
    checkResult(text, detect(text, { lang: 'en' }));
  });
});
