import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SCAN_CHARS } from '../../../utils/masking/limits';
import { applyEdits, maskText } from '../../../utils/masking/mask';
import { rescanChangedSync, scanTextSync, type ScanResult } from '../../../utils/masking/scan';
import type { Finding } from '../../../utils/masking/schema';
import { hostileText, megabyteText, onCodePointBoundary } from './arbitraries';

/** Runs per property (the scanner runs nine detectors per text). */
const RUNS = 200;
/** Wall-clock bound for one scan of hostile text of up to a few thousand characters. */
const SCAN_BOUND_MS = 1_500;
/** Wall-clock bound for one scan of 1 MB (the scanner reads MAX_SCAN_CHARS of it). */
const SCAN_MEGABYTE_BOUND_MS = 20_000;

const PLACEHOLDER = '[removed]';
const LANGS = ['en', 'ru', 'ky', 'kk', 'uk', 'ar', 'fa', 'tr', 'de', 'xx', '__proto__', 'constructor'];
const REGIONS = [[], ['KG'], ['ru'], ['US', 'DE']];

function checkScan(text: string, result: ScanResult): void {
  let previousEnd = 0;
  for (const f of result.findings) {
    expect(f.start).toBeGreaterThanOrEqual(previousEnd); // sorted, no overlaps
    expect(f.end).toBeGreaterThan(f.start);
    expect(f.end).toBeLessThanOrEqual(Math.min(text.length, MAX_SCAN_CHARS));
    expect(f.text).toBe(text.slice(f.start, f.end));
    expect(onCodePointBoundary(text, f.start)).toBe(true);
    expect(onCodePointBoundary(text, f.end)).toBe(true);
    previousEnd = f.end;
  }
}

const occurrences = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

function checkMask(text: string, findings: readonly Finding[]): void {
  const masked = maskText(text, findings, () => PLACEHOLDER);
  expect(applyEdits(text, masked.edits)).toBe(masked.text);
  for (const f of findings) {
    // A value written twice where only one copy was found stays once; what was found must be gone.
    if (occurrences(text, f.text) === 1 && !PLACEHOLDER.includes(f.text)) expect(masked.text).not.toContain(f.text);
  }
}

const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 2, maxLength: 12 });
const email = fc.tuple(word, fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 2, maxLength: 10 }), fc.constantFrom('org', 'com', 'kg', 'ru'))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const ipv4 = fc.tuple(fc.integer({ min: 11, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((parts) => parts.join('.'));
const noise = hostileText(10);
/**
 * Between the noise and the value: a space on each side (nothing glues onto it) and more than the IP detector's
 * 16-character look-back for version words, which rightly skips "v 11.0.0.1" (counterexample found by this test).
 */
const GAP = ' and the next one is ';

describe('PII scanner and masking on hostile text', () => {
  it('never throws; findings sorted, disjoint, inside the text, on code-point boundaries, their own text; within time', () => {
    fc.assert(
      fc.property(hostileText(), fc.constantFrom(...LANGS), fc.constantFrom(...REGIONS), (text, lang, regions) => {
        const t0 = performance.now();
        const result = scanTextSync(text, { lang, regions, minConfidence: 0 });
        expect(performance.now() - t0).toBeLessThan(SCAN_BOUND_MS);
        checkScan(text, result);
        checkMask(text, result.findings);
      }),
      { numRuns: RUNS },
    );
  });

  it('an e-mail address or IP among odd Unicode is found and gone after masking', () => {
    fc.assert(
      fc.property(noise, fc.oneof(email, ipv4), noise, (before, value, after) => {
        const text = `${before}${GAP}${value} ${after}`;
        const { findings } = scanTextSync(text, { lang: 'en', regions: [] });
        checkScan(text, { findings, truncated: false });
        const masked = maskText(text, findings, () => PLACEHOLDER).text;
        expect(masked).not.toContain(value);
      }),
      { numRuns: RUNS },
    );
  });

  it('an incremental rescan after any edit gives findings that match the new text exactly', () => {
    const edit = fc.tuple(hostileText(), fc.nat(), fc.nat(40), hostileText(4));
    fc.assert(
      fc.property(edit, fc.constantFrom(...LANGS), ([prev, at, removed, inserted], lang) => {
        const start = prev.length === 0 ? 0 : at % (prev.length + 1);
        const next = prev.slice(0, start) + inserted + prev.slice(Math.min(prev.length, start + removed));
        const options = { lang, regions: ['KG'], minConfidence: 0 };
        const before = scanTextSync(prev, options);
        const after = rescanChangedSync(prev, before.findings, next, options);
        checkScan(next, after);
        checkMask(next, after.findings);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses findings that lie outside the text (documented RangeError), for any offsets', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.integer({ min: -50, max: 80 }), fc.integer({ min: -50, max: 80 }), (text, start, end) => {
        const finding: Finding = { type: 'EMAIL', start, end, confidence: 1, reason: { key: 'kalkan-x', params: [] }, text: 'x' };
        const inside = start >= 0 && end <= text.length && end > start;
        if (inside) expect(() => maskText(text, [finding], () => PLACEHOLDER)).not.toThrow();
        else expect(() => maskText(text, [finding], () => PLACEHOLDER)).toThrow(RangeError);
      }),
      { numRuns: RUNS },
    );
  });

  it('an empty language is refused with zod\'s validation error, not a crash later', () => {
    expect(() => scanTextSync('a@b.org', { lang: '', regions: [] })).toThrow(/too_small|at least|>=1/i);
  });

  it('1 MB of text is scanned up to MAX_SCAN_CHARS, marked truncated, within time', () => {
    const text = megabyteText();
    const t0 = performance.now();
    const result = scanTextSync(text, { lang: 'en', regions: ['KG'] });
    expect(performance.now() - t0).toBeLessThan(SCAN_MEGABYTE_BOUND_MS);
    expect(result.truncated).toBe(true);
    checkScan(text, result);
    checkMask(text, result.findings);
  });

  it('a version number stays (no false IP): "v 11.0.0.1"', () => {
    expect(scanTextSync('v 11.0.0.1', { lang: 'en', regions: [] }).findings).toEqual([]);
  });

  const cases: [name: string, text: string, value: string][] = [
    ['e-mail after a lone surrogate', '\uD800 mail test@example.org', 'test@example.org'],
    ['e-mail inside bidi override', 'write to \u202Etest@example.org\u202C now', 'test@example.org'],
    ['IP after 1,000 combining marks', `a${'\u0301'.repeat(1_000)} from 192.168.10.20 today`, '192.168.10.20'],
    ['e-mail between NUL and U+FFFF', 'x\u0000 test@example.org \uFFFF', 'test@example.org'],
    ['e-mail after a ZWJ family', '👩‍👩‍👧‍👦 test@example.org', 'test@example.org'],
  ];
  it.each(cases)('%s', (_name, text, value) => {
    const result = scanTextSync(text, { lang: 'en', regions: [] });
    checkScan(text, result);
    expect(maskText(text, result.findings, () => PLACEHOLDER).text).not.toContain(value);
  });
});
