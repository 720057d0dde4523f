import { INCREMENTAL_MARGIN } from './limits.ts';
import { resolveOverlaps, scanTextSync, type ScanOptionsInput, type ScanResult } from './scan.ts';
import type { Finding } from './schema.ts';

/**
 * A full scan of a long text in slices, yielding between them, so that no main-thread task is longer than one
 * slice (about 10 ms per 40 000 characters after the speed work; scripts/bench-pii.ts). Each slice is read with
 * INCREMENTAL_MARGIN characters of context on both sides and keeps only the findings that start inside it, so a
 * number or an address across a slice boundary is found exactly once, whole.
 */

/** Characters per slice of a chunked scan. */
export const SCAN_CHUNK_CHARS = 40_000;

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
