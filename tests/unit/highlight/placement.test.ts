import { describe, expect, it } from 'vitest';
import { afterLayout, AFTER_LAYOUT_TIMEOUT_MS, placeLazily, type IdleDeadlineLike, type PlacementWindow } from '../../../utils/highlight/placement';

/**
 * A fake window: an IntersectionObserver whose answers the test gives, and idle periods the test runs, so the
 * order of the waves is visible.
 */
function fakeWindow(options: { observer?: boolean; idle?: boolean; resize?: boolean } = {}) {
  const idle: Array<(deadline: IdleDeadlineLike) => void> = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  /** ResizeObservers waiting for their first report (the browser's next layout). */
  const pendingLayout: Array<{ cb: ResizeObserverCallback; disconnected: boolean }> = [];
  let callback: IntersectionObserverCallback | null = null;
  const observed: Element[] = [];
  let disconnected = false;
  const view: PlacementWindow = {
    setTimeout: (fn, ms) => { timers.push({ fn, ms }); return 0; },
    ...(options.resize ? {
      ResizeObserver: class {
        private readonly entry: { cb: ResizeObserverCallback; disconnected: boolean };
        constructor(cb: ResizeObserverCallback) { this.entry = { cb, disconnected: false }; }
        observe() { pendingLayout.push(this.entry); }
        disconnect() { this.entry.disconnected = true; }
      },
    } : {}),
    ...(options.idle === false ? {} : {
      requestIdleCallback: (fn) => { idle.push(fn); return idle.length; },
      cancelIdleCallback: () => { idle.length = 0; },
    }),
    ...(options.observer === false ? {} : {
      IntersectionObserver: class {
        constructor(cb: IntersectionObserverCallback) { callback = cb; }
        observe(el: Element) { observed.push(el); }
        disconnect() { disconnected = true; }
      },
    }),
  };
  return {
    view,
    observed,
    get disconnected() { return disconnected; },
    /** The observer reports these anchors as intersecting (and the others as not). */
    intersect(visible: Element[]) {
      const entries = observed.map((target) => ({ target, isIntersecting: visible.includes(target) }) as unknown as IntersectionObserverEntry);
      callback?.(entries, {} as IntersectionObserver);
    },
    /** Runs the next idle period with `remaining` ms left. */
    runIdle(remaining: number) {
      idle.shift()?.({ timeRemaining: () => remaining });
    },
    runTimer() {
      timers.shift()?.fn();
    },
    get timerDelays() { return timers.map((t) => t.ms); },
    /** The browser lays the page out: every ResizeObserver still connected gets its first report. */
    layout() {
      for (const entry of pendingLayout.splice(0)) if (!entry.disconnected) entry.cb([], {} as ResizeObserver);
    },
    get layoutWaiting() { return pendingLayout.filter((e) => !e.disconnected).length; },
    get idleQueued() { return idle.length; },
  };
}

interface Item { id: string; anchor: Element | null }

function items(n: number): Item[] {
  return Array.from({ length: n }, (_v, i) => ({ id: `c${i}`, anchor: { id: `a${i}` } as unknown as Element }));
}

function recorder() {
  const waves: string[][] = [];
  let current: string[] = [];
  return {
    waves,
    work: {
      begin: () => { current = []; },
      read: (item: Item) => { current.push(item.id); },
      commit: () => { waves.push(current); },
    },
  };
}

describe('placeLazily: visible comments first, the rest when idle', () => {
  it('places what the observer reports visible in one wave, then the others in idle slices, each once', async () => {
    const fake = fakeWindow();
    const list = items(5);
    const { waves, work } = recorder();
    const slices: number[] = [];
    let clock = 0;
    const done = placeLazily(list, (i) => i.anchor, work, {
      view: fake.view, signal: new AbortController().signal, budgetMs: 2, now: () => (clock += 1),
      onSlice: (a, b) => slices.push(b - a),
    });
    expect(fake.observed).toHaveLength(5);
    fake.intersect([list[3]!.anchor!, list[1]!.anchor!]);
    expect(waves).toEqual([['c1', 'c3']]);
    // Idle: in document order, skipping the placed ones, cut by the slice budget (the clock ticks once per reading
    // of it: at the wave's start and after each read, so a budget of 2 holds two reads).
    fake.runIdle(50);
    fake.runIdle(50);
    expect(await done).toBe(true);
    expect(waves.flat().sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(waves.slice(1)).toEqual([['c0', 'c2'], ['c4']]);
    expect(fake.disconnected).toBe(true);
    expect(slices.length).toBe(waves.length);
    // A later report of the observer places nothing again.
    fake.intersect([list[0]!.anchor!]);
    expect(waves).toHaveLength(3);
  });

  it('always places at least one comment per idle period, even with no time left', async () => {
    const fake = fakeWindow({ observer: false });
    const { waves, work } = recorder();
    const done = placeLazily(items(2), (i) => i.anchor, work, { view: fake.view, signal: new AbortController().signal });
    fake.runIdle(0);
    fake.runIdle(0);
    expect(await done).toBe(true);
    expect(waves).toEqual([['c0'], ['c1']]);
  });

  it('falls back to timers without requestIdleCallback, and places anchorless comments too', async () => {
    const fake = fakeWindow({ idle: false });
    const list: Item[] = [{ id: 'x', anchor: null }, ...items(1)];
    const { waves, work } = recorder();
    const done = placeLazily(list, (i) => i.anchor, work, { view: fake.view, signal: new AbortController().signal, budgetMs: 1_000 });
    expect(fake.observed).toHaveLength(1);
    fake.runTimer();
    expect(await done).toBe(true);
    expect(waves).toEqual([['x', 'c0']]);
  });

  it('stops when aborted: nothing more is read, and it resolves false', async () => {
    const fake = fakeWindow();
    const controller = new AbortController();
    const { waves, work } = recorder();
    const done = placeLazily(items(3), (i) => i.anchor, work, { view: fake.view, signal: controller.signal, budgetMs: 0 });
    fake.runIdle(10);
    controller.abort();
    fake.runIdle(10);
    fake.intersect(fake.observed);
    expect(await done).toBe(false);
    expect(waves).toEqual([['c0']]);
    expect(fake.disconnected).toBe(true);
    expect(fake.idleQueued).toBe(0);
  });

  it('resolves at once for no comments', async () => {
    const fake = fakeWindow();
    expect(await placeLazily([], () => null, recorder().work, { view: fake.view, signal: new AbortController().signal })).toBe(true);
    expect(fake.observed).toHaveLength(0);
  });
});

describe('afterLayout: reads right after the browser laid the page out', () => {
  const target = { id: 'root' } as unknown as Element;

  it('waits for the ResizeObserver report, calls back once, and ignores the fallback timer after it', () => {
    const fake = fakeWindow({ resize: true });
    const calls: string[] = [];
    afterLayout(fake.view, target, () => calls.push('read'), new AbortController().signal);
    expect(calls).toEqual([]);
    expect(fake.timerDelays).toEqual([AFTER_LAYOUT_TIMEOUT_MS]);
    fake.layout();
    expect(calls).toEqual(['read']);
    fake.runTimer();
    fake.layout();
    expect(calls).toEqual(['read']);
  });

  it('calls back from the timer when no frame comes (a hidden tab), and disconnects the observer', () => {
    const fake = fakeWindow({ resize: true });
    const calls: string[] = [];
    afterLayout(fake.view, target, () => calls.push('read'), new AbortController().signal);
    fake.runTimer();
    expect(calls).toEqual(['read']);
    expect(fake.layoutWaiting).toBe(0);
  });

  it('uses a timer of 0 ms without ResizeObserver, and never calls back once aborted', () => {
    const fake = fakeWindow();
    const calls: string[] = [];
    const controller = new AbortController();
    afterLayout(fake.view, target, () => calls.push('read'), controller.signal);
    expect(fake.timerDelays).toEqual([0]);
    controller.abort();
    fake.runTimer();
    expect(calls).toEqual([]);
    const resize = fakeWindow({ resize: true });
    const aborted = new AbortController();
    afterLayout(resize.view, target, () => calls.push('late'), aborted.signal);
    aborted.abort();
    resize.layout();
    resize.runTimer();
    expect(calls).toEqual([]);
  });
});

describe('placeLazily with a layout target: every wave reads after the next layout', () => {
  const root = { id: 'root' } as unknown as Element;

  it('holds the visible wave until the layout, and the idle wave is cut by the budget, not the idle deadline', async () => {
    const fake = fakeWindow({ resize: true });
    const list = items(4);
    const { waves, work } = recorder();
    let clock = 0;
    const done = placeLazily(list, (i) => i.anchor, work, {
      view: fake.view, signal: new AbortController().signal, budgetMs: 2, now: () => (clock += 1), layoutTarget: root,
    });
    fake.intersect([list[2]!.anchor!]);
    expect(waves).toEqual([]);
    fake.layout();
    expect(waves).toEqual([['c2']]);
    // The idle period is over by the time the layout comes (0 ms left): the wave still reads up to its budget.
    fake.runIdle(0);
    expect(waves).toHaveLength(1);
    fake.layout();
    expect(waves).toEqual([['c2'], ['c0', 'c1']]);
    fake.runIdle(0);
    fake.layout();
    expect(await done).toBe(true);
    expect(waves).toEqual([['c2'], ['c0', 'c1'], ['c3']]);
  });

  it('does not read a comment twice when an idle wave placed it while the visible wave waited', async () => {
    const fake = fakeWindow({ resize: true });
    const list = items(2);
    const { waves, work } = recorder();
    const done = placeLazily(list, (i) => i.anchor, work, {
      view: fake.view, signal: new AbortController().signal, budgetMs: 1_000, layoutTarget: root,
    });
    fake.runIdle(50);
    fake.intersect([list[0]!.anchor!, list[1]!.anchor!]);
    // Both callbacks wait for the same layout: the idle wave (first) takes both, the visible wave finds nothing.
    fake.layout();
    expect(await done).toBe(true);
    expect(waves).toEqual([['c0', 'c1']]);
  });
});
