import type { Finding, PiiType } from './schema.ts';

/**
 * Replaces findings with placeholders. The placeholder text comes from the caller (a localised message such as
 * "kalkan-mask-phone" → "[phone removed]"), so this stays free of any language. The edit list is what an editor
 * integration applies through input events (so undo works); it is ordered from the end of the text to the start,
 * so applying the edits one by one keeps every later edit's offsets valid.
 */

/** Message key of the placeholder for each type; the UI resolves them with banana-i18n. */
export const PLACEHOLDER_KEYS: Readonly<Record<PiiType, string>> = {
  EMAIL: 'kalkan-mask-email',
  PHONE: 'kalkan-mask-phone',
  IP: 'kalkan-mask-ip',
  URL: 'kalkan-mask-url',
  HANDLE: 'kalkan-mask-handle',
  ADDRESS: 'kalkan-mask-address',
  DATE_OF_BIRTH: 'kalkan-mask-date-of-birth',
  COORDINATES: 'kalkan-mask-coordinates',
  PERSON: 'kalkan-mask-person',
};

export interface MaskEdit {
  start: number;
  end: number;
  /** Text that was there, for the review dialog. */
  original: string;
  replacement: string;
  type: PiiType;
}

export interface MaskResult {
  text: string;
  /** Sorted by start, descending: apply in this order. */
  edits: MaskEdit[];
}

interface Merged {
  start: number;
  end: number;
  type: PiiType;
  confidence: number;
}

/** Overlapping findings become one span; it takes the type of its most confident finding. Touching spans stay
 * separate so "phone, e-mail" reads as two placeholders. */
export function mergeFindings(findings: readonly Finding[]): Merged[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Merged[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) {
      last.end = Math.max(last.end, f.end);
      if (f.confidence > last.confidence) {
        last.type = f.type;
        last.confidence = f.confidence;
      }
    } else {
      out.push({ start: f.start, end: f.end, type: f.type, confidence: f.confidence });
    }
  }
  return out;
}

export function maskText(
  text: string,
  findings: readonly Finding[],
  placeholderFor: (type: PiiType) => string,
): MaskResult {
  for (const f of findings) {
    if (f.start < 0 || f.end > text.length || f.end <= f.start) {
      throw new RangeError(
        `A finding (${f.start}–${f.end}) lies outside the text (length ${text.length}); the text changed after it ` +
        'was scanned. Scan the text again before masking.');
    }
  }
  const merged = mergeFindings(findings);
  const edits: MaskEdit[] = [];
  let out = text;
  for (let i = merged.length - 1; i >= 0; i--) {
    const m = merged[i];
    if (!m) continue;
    const replacement = placeholderFor(m.type);
    edits.push({ start: m.start, end: m.end, original: text.slice(m.start, m.end), replacement, type: m.type });
    out = out.slice(0, m.start) + replacement + out.slice(m.end);
  }
  return { text: out, edits };
}

/** Applies an edit list (as returned by maskText) to a text; what an editor integration does step by step. */
export function applyEdits(text: string, edits: readonly MaskEdit[]): string {
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.replacement + out.slice(e.end);
  return out;
}
