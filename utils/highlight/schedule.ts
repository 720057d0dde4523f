/**
 * Time-sliced loops: the page decides how many comments there are, so the work is cut into slices of a named
 * budget with a yield to the page between them (no task of ours should come near the 50 ms long-task line).
 */

/** Main-thread time one slice may take before yielding; small enough that input stays responsive. */
export const SLICE_BUDGET_MS = 8;

export type YieldFn = () => Promise<void>;

interface SchedulerLike { yield?: () => Promise<void> }

/** Yields to the page: scheduler.yield() where the browser has it (keeps our place in the queue), else a task. */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: SchedulerLike }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export interface SliceOptions {
  budgetMs?: number;
  now?: () => number;
  yieldFn?: YieldFn;
  signal?: AbortSignal;
  /** Called after every slice with its start and end time (for performance measures). */
  onSlice?: (startedAt: number, endedAt: number) => void;
  /** Stops early (e.g. a newer pass started); checked between slices. */
  cancelled?: () => boolean;
}

/** Runs `work` on every item in slices; returns false when cancelled or aborted before the end. */
export async function forEachSliced<T>(items: readonly T[], work: (item: T, index: number) => void, options: SliceOptions = {}): Promise<boolean> {
  const budget = options.budgetMs ?? SLICE_BUDGET_MS;
  const now = options.now ?? (() => performance.now());
  const yieldFn = options.yieldFn ?? yieldToPage;
  let index = 0;
  while (index < items.length) {
    if (options.signal?.aborted || options.cancelled?.()) return false;
    const startedAt = now();
    // At least one item per slice, so a single slow item cannot stall the loop.
    do {
      work(items[index]!, index);
      index += 1;
    } while (index < items.length && now() - startedAt < budget);
    options.onSlice?.(startedAt, now());
    if (index < items.length) await yieldFn();
  }
  return !(options.signal?.aborted || options.cancelled?.());
}
