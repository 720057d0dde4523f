import { z } from 'zod';
import type { Detector } from './detector.ts';
import type { DetectionResult } from './types.ts';

/**
 * Scoring on several cores: comments are independent, so batches of them go to workers that each hold their own
 * detector, and the answers come back in the order they were asked for. One core scores ~12–17 MB/s of comment
 * text (docs/detector.md); a batch job (the CLI's `score` over an archive) should use all of them.
 *
 * A worker answers with the batch's output already written as JSON lines (the CLI's format, scoreLines): one
 * string crosses back per batch, and the writing is done on the workers' cores too. Answering with result objects
 * cost the main thread about a third more CPU per MB (structured clone of ~9,000 objects per 4 MB).
 *
 * Pure: the pool talks to its workers through `PoolWorker`, so the same code runs on Node's worker_threads
 * (scripts/cli/score-worker.ts) and in tests with workers in the same thread.
 */

/** Comments per batch: large enough that posting and cloning a batch costs little next to scoring it. */
export const POOL_BATCH_ITEMS = 256;
/** Batches a worker holds at once: the next one is already there when it finishes one. */
export const POOL_BATCHES_PER_WORKER = 2;

export const PoolItemSchema = z.object({
  id: z.union([z.string(), z.number(), z.null()]),
  text: z.string(),
  lang: z.string().optional(),
  threshold: z.number().min(0).max(1).optional(),
});
export type PoolItem = z.infer<typeof PoolItemSchema>;

/** Main → worker. */
export const PoolRequestSchema = z.object({ seq: z.number().int().nonnegative(), items: z.array(PoolItemSchema) });
export type PoolRequest = z.infer<typeof PoolRequestSchema>;

/** Worker → main: one JSON line per item, in the batch's order, or why the batch could not be scored. */
export const PoolResponseSchema = z.union([
  z.object({ seq: z.number().int().nonnegative(), lines: z.string() }),
  z.object({ seq: z.number().int(), error: z.string() }),
]);
export type PoolResponse = z.infer<typeof PoolResponseSchema>;

/** A worker as the pool sees it; `onMessage` receives what the worker posted (checked by the pool). */
export interface PoolWorker {
  post(request: PoolRequest): void;
  onMessage(listener: (data: unknown) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): Promise<void>;
}

/** One output line of `score`: {"id","score","flagged","category","reasons","learned"} and a newline. */
export function outputLine(id: string | number | null, r: DetectionResult): string {
  return `${JSON.stringify({ id, score: r.score, flagged: r.flagged, category: r.category, reasons: r.reasons, learned: r.learned })}\n`;
}

/** Scores items with one detector and writes their output lines (in this thread, or in a worker). */
export function scoreLines(detector: Detector, items: readonly PoolItem[]): string {
  let out = '';
  for (const item of items) out += outputLine(item.id, detector.detect(item.text, { lang: item.lang, threshold: item.threshold }));
  return out;
}

/** The worker's side: scores one request with its detector. Never throws; a bad request gets an error answer. */
export function answerPoolRequest(detector: Detector, data: unknown): PoolResponse {
  const parsed = PoolRequestSchema.safeParse(data);
  if (!parsed.success) {
    const seq = typeof data === 'object' && data !== null && typeof (data as { seq?: unknown }).seq === 'number' ? (data as { seq: number }).seq : -1;
    const issue = parsed.error.issues[0];
    return { seq, error: `the batch is not one the scoring workers understand (${issue ? `${issue.path.join('.') || '(batch)'}: ${issue.message}` : 'invalid'})` };
  }
  try {
    return { seq: parsed.data.seq, lines: scoreLines(detector, parsed.data.items) };
  } catch (error) {
    return { seq: parsed.data.seq, error: `scoring failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

interface Batch {
  seq: number;
  items: PoolItem[];
  resolve(lines: string): void;
  reject(error: Error): void;
}

interface Slot {
  worker: PoolWorker;
  inFlight: Map<number, Batch>;
}

export class ScoringPool {
  private readonly slots: Slot[];
  private readonly queue: Batch[] = [];
  private nextSeq = 0;
  private failure: Error | null = null;

  constructor(workers: readonly PoolWorker[], private readonly perWorker = POOL_BATCHES_PER_WORKER) {
    if (workers.length === 0) throw new Error('A scoring pool needs at least one worker.');
    this.slots = workers.map((worker) => ({ worker, inFlight: new Map<number, Batch>() }));
    for (const slot of this.slots) {
      slot.worker.onMessage((data) => this.answered(slot, data));
      slot.worker.onError((error) => this.fail(new Error(`A scoring worker stopped (${error.message}); nothing after the last written result was scored. Run again with --jobs 1 to score in one thread.`)));
    }
  }

  /** Scores one batch (any length; keep it near POOL_BATCH_ITEMS) into its output lines. Batches resolve independently. */
  score(items: PoolItem[]): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ seq: this.nextSeq++, items, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.fail(new Error('The scoring pool was closed before this batch was scored.'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let best: Slot | null = null;
      for (const slot of this.slots) {
        if (slot.inFlight.size < this.perWorker && (!best || slot.inFlight.size < best.inFlight.size)) best = slot;
      }
      if (!best) return;
      const batch = this.queue.shift() as Batch;
      best.inFlight.set(batch.seq, batch);
      best.worker.post({ seq: batch.seq, items: batch.items });
    }
  }

  private answered(slot: Slot, data: unknown): void {
    const answer = PoolResponseSchema.safeParse(data);
    const batch = answer.success ? slot.inFlight.get(answer.data.seq) : undefined;
    if (!answer.success || !batch) {
      this.fail(new Error('A scoring worker answered a batch it was not given; the scores cannot be trusted. Run again with --jobs 1.'));
      return;
    }
    slot.inFlight.delete(batch.seq);
    if ('lines' in answer.data) batch.resolve(answer.data.lines);
    else batch.reject(new Error(`A scoring batch failed: ${answer.data.error}. Run again with --jobs 1 to see which line.`));
    this.dispatch();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const batch of this.queue) batch.reject(error);
    this.queue.length = 0;
    for (const slot of this.slots) {
      for (const batch of slot.inFlight.values()) batch.reject(error);
      slot.inFlight.clear();
    }
  }
}
