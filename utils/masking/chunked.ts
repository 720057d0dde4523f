import { INCREMENTAL_MARGIN, MAX_SCAN_CHARS } from './limits.ts';
import { findOwnIdentifiers, type OwnIdentifierIndex } from './own-identifiers.ts';
import {
  changedWindow, mergeWindow, rescanChanged, rescanChangedSync, resolveOverlaps, scanTextSync, type ScanOptionsInput, type ScanResult,
} from './scan.ts';
import type { Finding } from './schema.ts';

/**
 * A full scan of a long text in slices, yielding between them, so that no main-thread task is longer than one
 * slice (about 4 ms per 16 000 characters after the speed work, scripts/bench-pii.ts; 40 000-character slices took
 * over 50 ms on a loaded two-core machine). Each slice is read with
 * INCREMENTAL_MARGIN characters of context on both sides and keeps only the findings that start inside it, so a
 * number or an address across a slice boundary is found exactly once, whole.
 */

/** Characters per slice of a chunked scan. */
export const SCAN_CHUNK_CHARS = 16_000;

export interface ChunkedScanOptions {
  chunkChars?: number;
  /** Called between slices; resolves when the caller is ready for the next one (e.g. after a macrotask). */
  pause: () => Promise<void>;
  signal?: AbortSignal;
}

/** Slice boundaries [start, end) covering text, cut at whitespace where possible. */
export function chunkBounds(text: string, chunkChars: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + chunkChars);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      const newline = text.lastIndexOf('\n', end);
      const cut = Math.max(space, newline);
      if (cut > start + chunkChars / 2) end = cut;
    }
    out.push([start, end]);
    start = end;
  }
  return out;
}

export async function scanInChunks(text: string, input: ScanOptionsInput, options: ChunkedScanOptions): Promise<ScanResult> {
  const chunkChars = options.chunkChars ?? SCAN_CHUNK_CHARS;
  if (text.length <= chunkChars) return scanTextSync(text, input);
  const all: Finding[] = [];
  let truncated = false;
  for (const [i, [start, end]] of chunkBounds(text, chunkChars).entries()) {
    if (i > 0) await options.pause();
    if (options.signal?.aborted) throw options.signal.reason;
    const from = Math.max(0, start - INCREMENTAL_MARGIN);
    const to = Math.min(text.length, end + INCREMENTAL_MARGIN);
    const part = scanTextSync(text.slice(from, to), input);
    truncated ||= part.truncated;
    for (const f of part.findings) {
      const s = f.start + from;
      if (s >= start && s < end) all.push({ ...f, start: s, end: f.end + from });
    }
  }
  return { findings: resolveOverlaps(all), truncated };
}

/**
 * The incremental rescan after an edit, in slices when the edit is large: pasting a long text (or a page script
 * filling the editor before the first keystroke, which Kalkan then reads as one edit) would otherwise be read in
 * one main-thread task. Small edits take the one-task path, as before.
 */
export async function rescanChangedInChunks(
  prev: string, prevFindings: readonly Finding[], next: string, input: ScanOptionsInput & { own?: OwnIdentifierIndex | null },
  options: ChunkedScanOptions,
): Promise<ScanResult> {
  const chunkChars = options.chunkChars ?? SCAN_CHUNK_CHARS;
  const own = input.own ?? undefined;
  const win = next.length > MAX_SCAN_CHARS || prev.length > MAX_SCAN_CHARS ? null : changedWindow(prev, next, prevFindings);
  if (win && win.nextEnd - win.start <= chunkChars) {
    return own ? rescanChanged(prev, prevFindings, next, { ...input, own }) : rescanChangedSync(prev, prevFindings, next, input);
  }
  const start = win?.start ?? 0;
  const text = win ? next.slice(win.start, win.nextEnd) : next;
  const part = await scanInChunks(text, input, options);
  if (own) {
    const found = await findOwnIdentifiers(text, own, { regions: input.regions });
    part.findings = resolveOverlaps([...part.findings, ...found.findings]);
    part.truncated ||= found.truncated;
  }
  if (!win) return part;
  return { findings: mergeWindow(prevFindings, { ...win, start }, part.findings), truncated: part.truncated };
}
