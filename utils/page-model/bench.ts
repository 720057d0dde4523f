/**
 * Model-building benchmark usable from Node (scripts/bench-page-model.ts) and from the content script in
 * Chromium (the lead's in-browser run): median of N builds after warm-up, on an already-parsed DOM.
 */
import type { WikiProfile } from '../wiki-profile/schema';
import { buildPageModel, type ModelSource } from './model';
import { createParserSetup } from './parser';

export interface BenchOptions {
  runs?: number;
  warmup?: number;
  source?: 'auto' | ModelSource;
}

export interface BenchResult {
  source: ModelSource;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  comments: number;
  headings: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function benchmarkPageModel(
  root: Element | Document, profile: WikiProfile, title: string, options: BenchOptions = {},
): BenchResult {
  const runs = Math.max(1, options.runs ?? 7);
  const warmup = Math.max(0, options.warmup ?? 2);
  // Regexps are compiled once per wiki in real use, so the setup is outside the timed region.
  const setup = createParserSetup(profile);
  const source = options.source ?? 'auto';
  for (let i = 0; i < warmup; i++) buildPageModel(root, profile, title, { source, setup });
  const times: number[] = [];
  let last = buildPageModel(root, profile, title, { source, setup });
  times.push(last.stats.buildMs);
  for (let i = 1; i < runs; i++) {
    last = buildPageModel(root, profile, title, { source, setup });
    times.push(last.stats.buildMs);
  }
  return {
    source: last.source, runs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times),
    comments: last.comments.length, headings: last.headings.length,
  };
}
