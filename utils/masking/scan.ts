import { z } from 'zod';
import { cueLanguagesFor, tokenizeRange, type Tok } from './cue-match.ts';
import { detectAddresses } from './detect-address.ts';
import { detectCoordinates } from './detect-coordinates.ts';
import { detectDatesOfBirth } from './detect-dob.ts';
import { detectEmails } from './detect-email.ts';
import { detectIps } from './detect-ip.ts';
import { detectStatedNames } from './detect-person.ts';
import { detectPhones } from './detect-phone.ts';
import { detectUrlsAndHandles } from './detect-url-handle.ts';
import type { Detector, ScanContext } from './detector.ts';
import { DEFAULT_MIN_CONFIDENCE, INCREMENTAL_MARGIN, MAX_FINDINGS_PER_SCAN, MAX_SCAN_CHARS } from './limits.ts';
import { findOwnIdentifiers, type OwnIdentifierIndex } from './own-identifiers.ts';
import { PiiTypeSchema, RegionSchema, type Finding } from './schema.ts';
import { foldText } from './unicode.ts';

/**
 * The scanner: all detectors over one text, overlaps resolved (the more confident finding wins), budgets kept.
 * scanTextSync runs the pattern detectors only and can run on every keystroke; scanText adds the user's own
 * identifiers, which need Web Crypto and are therefore async. rescanChanged re-reads only the edited window of a
 * long text.
 */

export const ScanOptionsSchema = z.object({
  /** Content language of the page, e.g. "ky"; picks cue lists (cue-match.ts cueLanguagesFor). */
  lang: z.string().min(1),
  /** Default-country hints for national phone numbers: the wiki's region, then the user's. */
  regions: z.array(z.string().transform((r) => r.toUpperCase()).pipe(RegionSchema)),
  minConfidence: z.number().min(0).max(1).default(DEFAULT_MIN_CONFIDENCE),
  /** Only these types; all when absent. */
  types: z.array(PiiTypeSchema).optional(),
});
export type ScanOptionsInput = z.input<typeof ScanOptionsSchema>;
type ScanOptions = z.output<typeof ScanOptionsSchema>;

export interface ScanResult {
  /** Sorted by start. */
  findings: Finding[];
  /** True when the text was longer than MAX_SCAN_CHARS or had more than MAX_FINDINGS_PER_SCAN findings: the UI
   * says that only part was checked. */
  truncated: boolean;
}

const DETECTORS: readonly Detector[] = [
  detectEmails, detectPhones, detectIps, detectUrlsAndHandles, detectAddresses, detectDatesOfBirth,
  detectCoordinates, detectStatedNames,
];

/** Keeps the more confident of overlapping findings (then the longer, then the earlier); result sorted by start. */
export function resolveOverlaps(findings: readonly Finding[]): Finding[] {
  const ranked = [...findings].sort((a, b) =>
    b.confidence - a.confidence || (b.end - b.start) - (a.end - a.start) || a.start - b.start);
  const kept: Finding[] = [];
  for (const f of ranked) {
    if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function finish(findings: readonly Finding[], options: ScanOptions, truncated: boolean): ScanResult {
  const wanted = options.types ? new Set(options.types) : null;
  const filtered = findings.filter((f) => f.confidence >= options.minConfidence && (!wanted || wanted.has(f.type)));
  const resolved = resolveOverlaps(filtered);
  const over = resolved.length > MAX_FINDINGS_PER_SCAN;
  return { findings: over ? resolved.slice(0, MAX_FINDINGS_PER_SCAN) : resolved, truncated: truncated || over };
}

function runDetectors(text: string, options: ScanOptions): Finding[] {
  const folded = foldText(text);
  let tokens: readonly Tok[] | undefined;
  const ctx: ScanContext = {
    original: text,
    lang: options.lang,
    folded,
    tokens: () => (tokens ??= tokenizeRange(folded, 0, folded.length)),
    cueLangs: cueLanguagesFor(options.lang),
    regions: options.regions,
  };
  const all: Finding[] = [];
  for (const detect of DETECTORS) all.push(...detect(ctx));
  return all;
}

/** Pattern detectors only; synchronous. */
export function scanTextSync(text: string, input: ScanOptionsInput): ScanResult {
  const options = ScanOptionsSchema.parse(input);
  const scanned = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
  return finish(runDetectors(scanned, options), options, scanned.length < text.length);
}

/** Pattern detectors plus the user's own identifiers. */
export async function scanText(
  text: string,
  input: ScanOptionsInput & { own?: OwnIdentifierIndex },
): Promise<ScanResult> {
  const options = ScanOptionsSchema.parse(input);
  const scanned = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
  const all = runDetectors(scanned, options);
  let truncated = scanned.length < text.length;
  if (input.own) {
    const own = await findOwnIdentifiers(scanned, input.own, { regions: options.regions });
    all.push(...own.findings);
    truncated ||= own.truncated;
  }
  return finish(all, options, truncated);
}

export interface ChangedWindow {
  /** Start of the window, same in both texts. */
  start: number;
  /** End of the window in the previous text. */
  prevEnd: number;
  /** End of the window in the next text. */
  nextEnd: number;
}

/**
 * The region of `next` that must be re-read after an edit turned `prev` into `next`: the changed range (common
 * prefix and suffix removed), widened by INCREMENTAL_MARGIN so cues and numbers cut by the edit are read whole,
 * then widened to cover any previous finding it touches and snapped to whitespace.
 */
export function changedWindow(prev: string, next: string, prevFindings: readonly Finding[]): ChangedWindow {
  let p = 0;
  const minLen = Math.min(prev.length, next.length);
  while (p < minLen && prev.charCodeAt(p) === next.charCodeAt(p)) p++;
  let s = 0;
  while (s < minLen - p && prev.charCodeAt(prev.length - 1 - s) === next.charCodeAt(next.length - 1 - s)) s++;
  let start = Math.max(0, p - INCREMENTAL_MARGIN);
  let prevEnd = Math.min(prev.length, prev.length - s + INCREMENTAL_MARGIN);
  for (const f of prevFindings) {
    if (f.start < prevEnd && f.end > start) {
      start = Math.min(start, f.start);
      prevEnd = Math.max(prevEnd, f.end);
    }
  }
  while (start > 0 && !/\s/.test(prev.charAt(start - 1))) start--;
  while (prevEnd < prev.length && !/\s/.test(prev.charAt(prevEnd))) prevEnd++;
  // The suffix after prevEnd is unchanged, so it sits at the same distance from the end in both texts.
  const nextEnd = Math.max(start, next.length - (prev.length - prevEnd));
  return { start, prevEnd, nextEnd };
}

/** The previous findings outside the window (shifted past it) plus the window's new ones, in text order. */
export function mergeWindow(prevFindings: readonly Finding[], win: ChangedWindow, inWindow: readonly Finding[]): Finding[] {
  const delta = win.nextEnd - win.prevEnd;
  const out: Finding[] = [];
  for (const f of prevFindings) {
    if (f.end <= win.start) out.push(f);
    else if (f.start >= win.prevEnd) out.push({ ...f, start: f.start + delta, end: f.end + delta });
  }
  for (const f of inWindow) out.push({ ...f, start: f.start + win.start, end: f.end + win.start });
  return out.sort((a, b) => a.start - b.start);
}

/** Incremental scan after an edit: re-reads only the changed window; findings elsewhere are shifted. */
export function rescanChangedSync(
  prev: string, prevFindings: readonly Finding[], next: string, input: ScanOptionsInput,
): ScanResult {
  if (next.length > MAX_SCAN_CHARS || prev.length > MAX_SCAN_CHARS) return scanTextSync(next, input);
  const win = changedWindow(prev, next, prevFindings);
  const part = scanTextSync(next.slice(win.start, win.nextEnd), input);
  return { findings: mergeWindow(prevFindings, win, part.findings), truncated: part.truncated };
}

/** Incremental scan including own identifiers. */
export async function rescanChanged(
  prev: string, prevFindings: readonly Finding[], next: string, input: ScanOptionsInput & { own?: OwnIdentifierIndex },
): Promise<ScanResult> {
  if (next.length > MAX_SCAN_CHARS || prev.length > MAX_SCAN_CHARS) return scanText(next, input);
  const win = changedWindow(prev, next, prevFindings);
  const part = await scanText(next.slice(win.start, win.nextEnd), input);
  return { findings: mergeWindow(prevFindings, win, part.findings), truncated: part.truncated };
}
