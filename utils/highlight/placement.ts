/**
 * Lazy placement of the flagged comments' badges, covers and boxes. Their geometry has to be read from the page's
 * layout (Range.getClientRects), and a read while the layout is stale makes the browser lay the whole page out
 * synchronously, inside our task: 8–90 ms on the 1 MB enwiki archive (Chromium trace of scripts/bench-highlight.ts).
 * So geometry is read only right after the browser laid the page out itself (`afterLayout`), in two waves:
 *
 * 1. the items an IntersectionObserver reports within `margin` of the viewport, placed as soon as it first answers;
 * 2. every other item in idle periods (requestIdleCallback), a slice at a time, so a page with hundreds of flagged
 *    comments never holds the main thread.
 *
 * Each wave reads all its items' geometry first and writes once after (`commit`), so reads never follow a write.
 * Pure scheduling: the caller brings the reading, the writing and the page's window.
 */
import { SLICE_BUDGET_MS } from './schedule';

/** Items within this margin of the viewport are placed in the first wave (one screen above and below). */
export const NEAR_VIEWPORT_MARGIN = '100% 0px';
/** Longest wait for an idle period before the next slice of remaining items is placed anyway. */
export const IDLE_TIMEOUT_MS = 1_000;
/** Longest wait for the browser's next layout before `afterLayout` calls back anyway (a hidden tab draws no frames). */
export const AFTER_LAYOUT_TIMEOUT_MS = 1_000;

export interface IdleDeadlineLike {
  timeRemaining(): number;
}

/** What of the page's window the scheduler uses (missing members make it fall back to timers). */
export interface PlacementWindow {
  IntersectionObserver?: new (callback: IntersectionObserverCallback, options?: IntersectionObserverInit) => Pick<IntersectionObserver, 'observe' | 'disconnect'>;
  requestIdleCallback?: (callback: (deadline: IdleDeadlineLike) => void, options?: { timeout: number }) => number;
  cancelIdleCallback?: (handle: number) => void;
  ResizeObserver?: new (callback: ResizeObserverCallback) => Pick<ResizeObserver, 'observe' | 'disconnect'>;
  setTimeout(callback: () => void, ms: number): unknown;
}

export interface PlacementWork<T> {
  /** Called once before the reads of a wave (e.g. to read the page width once per wave). */
  begin?(): void;
  /** Reads one item's geometry (no DOM writes). */
  read(item: T): void;
  /** Writes what the wave read (e.g. renders the layer), once per wave. */
  commit(): void;
}

export interface PlacementOptions {
  view: PlacementWindow | null;
  signal: AbortSignal;
  budgetMs?: number;
  now?: () => number;
  margin?: string;
  /** Called after every wave with its start and end time (for performance measures). */
  onSlice?: (startedAt: number, endedAt: number) => void;
  /**
   * When set (the page's root element), every wave reads right after the browser's next layout (`afterLayout`):
   * an observer's or idle callback may come after another script dirtied the layout, and a read then lays the
   * whole page out (27 ms once on the 1,070-comment archive). Unset, waves read in those callbacks themselves.
   */
  layoutTarget?: Element | null;
}

/**
 * Places every item, visible ones first. Resolves true once all are placed, false when `signal` aborted first.
 * `anchorOf` names the element whose intersection with the viewport stands for the item (null: idle wave only).
 */
export function placeLazily<T>(items: readonly T[], anchorOf: (item: T) => Element | null, work: PlacementWork<T>, options: PlacementOptions): Promise<boolean> {
  const budget = options.budgetMs ?? SLICE_BUDGET_MS;
  const now = options.now ?? (() => performance.now());
  const { view, signal } = options;
  const placed = new Set<T>();
  let next = 0; // the idle wave's cursor, in document order
  if (signal.aborted) return Promise.resolve(false);
  if (!items.length) return Promise.resolve(true);

  return new Promise<boolean>((resolve) => {
    let observer: Pick<IntersectionObserver, 'observe' | 'disconnect'> | null = null;
    let idleHandle: number | null = null;
    let finished = false;
    const end = (complete: boolean) => {
      if (finished) return;
      finished = true;
      observer?.disconnect();
      if (idleHandle !== null) view?.cancelIdleCallback?.(idleHandle);
      signal.removeEventListener('abort', onAbort);
      resolve(complete);
    };
    const onAbort = () => end(false);
    signal.addEventListener('abort', onAbort, { once: true });

    /** One wave: reads for `take()`'s items while `more(startedAt)` allows, then one commit. */
    const wave = (take: () => T | undefined, more: (startedAt: number) => boolean) => {
      if (finished || signal.aborted) return;
      const startedAt = now();
      let count = 0;
      work.begin?.();
      for (let item = take(); item !== undefined; item = more(startedAt) ? take() : undefined) {
        placed.add(item);
        work.read(item);
        count += 1;
      }
      if (count) work.commit();
      options.onSlice?.(startedAt, now());
      if (placed.size >= items.length) end(true);
    };
    const fresh = options.layoutTarget ?? null;
    /** Runs `run` where the layout is fresh: after the next layout, or at once without a layout target. */
    const withLayout = (run: () => void) => {
      if (fresh) afterLayout(view, fresh, run, signal);
      else run();
    };

    const Observer = view?.IntersectionObserver;
    if (Observer) {
      const byAnchor = new Map<Element, T[]>();
      for (const item of items) {
        const anchor = anchorOf(item);
        if (!anchor) continue;
        const list = byAnchor.get(anchor);
        if (list) list.push(item);
        else byAnchor.set(anchor, [item]);
      }
      observer = new Observer((entries) => {
        if (finished || signal.aborted) return;
        const visible: T[] = [];
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          for (const item of byAnchor.get(entry.target) ?? []) if (!placed.has(item)) visible.push(item);
        }
        if (!visible.length) return;
        let i = 0;
        // Skips what an idle wave placed in the meantime (the read may wait for the next layout).
        const take = () => {
          while (i < visible.length && placed.has(visible[i]!)) i += 1;
          return visible[i++];
        };
        // The visible wave is not cut: it is what the reader sees, and bounded by one viewport or so.
        withLayout(() => wave(take, () => true));
      }, { rootMargin: options.margin ?? NEAR_VIEWPORT_MARGIN });
      for (const anchor of byAnchor.keys()) observer.observe(anchor);
    }

    const scheduleIdle = () => {
      if (finished) return;
      const run = (deadline: IdleDeadlineLike) => {
        idleHandle = null;
        if (finished || signal.aborted) return;
        const take = () => {
          while (next < items.length && placed.has(items[next]!)) next += 1;
          return next < items.length ? items[next++] : undefined;
        };
        withLayout(() => {
          // At least one item per wave (progress), then while our slice budget lasts — and the idle period, when
          // reading in it (after the next layout the idle period is over: the budget alone bounds the slice).
          wave(take, (startedAt) => (fresh !== null || deadline.timeRemaining() > 0) && now() - startedAt < budget);
          scheduleIdle();
        });
      };
      if (view?.requestIdleCallback) idleHandle = view.requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
      else if (view) view.setTimeout(() => run({ timeRemaining: () => budget }), 0);
      else setTimeout(() => run({ timeRemaining: () => budget }), 0);
    };
    scheduleIdle();
  });
}

/**
 * Calls `callback` once, right after the browser's next layout of the page: from a ResizeObserver's first report
 * on `target`, which the browser delivers inside its rendering update, after laying the page out and before
 * painting. Geometry read there costs no layout of its own, whatever other scripts wrote since the last frame
 * (a timer after the frame does not have that guarantee: on the 1,070-comment archive the report controls' and
 * targeting indicators' writes made every such read lay the whole page out again, 13–31 ms per pass). Without
 * ResizeObserver, or when no frame comes within AFTER_LAYOUT_TIMEOUT_MS (a hidden tab), a timer calls it instead.
 */
export function afterLayout(view: PlacementWindow | null, target: Element | null, callback: () => void, signal: AbortSignal): void {
  const timer = view ? view.setTimeout.bind(view) : setTimeout;
  let done = false;
  let observer: Pick<ResizeObserver, 'observe' | 'disconnect'> | null = null;
  const fire = () => {
    if (done) return;
    done = true;
    observer?.disconnect();
    signal.removeEventListener('abort', cancel);
    if (!signal.aborted) callback();
  };
  const cancel = () => {
    done = true;
    observer?.disconnect();
  };
  if (signal.aborted) return;
  signal.addEventListener('abort', cancel, { once: true });
  const Observer = view?.ResizeObserver;
  if (!Observer || !target) {
    timer(fire, 0);
    return;
  }
  observer = new Observer(fire);
  // A new observation is always reported once, at the next rendering update (its last reported size is unknown).
  observer.observe(target);
  timer(fire, AFTER_LAYOUT_TIMEOUT_MS);
}
