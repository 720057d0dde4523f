import { describe, expect, it } from 'vitest';
import { placeLazily, type IdleDeadlineLike, type PlacementWindow } from '../../../utils/highlight/placement';

/**
 * A fake window: an IntersectionObserver whose answers the test gives, and idle periods the test runs, so the
 * order of the waves is visible.
 */
function fakeWindow(options: { observer?: boolean; idle?: boolean } = {}) {
  const idle: Array<(deadline: IdleDeadlineLike) => void> = [];
  const timers: Array<() => void> = [];
  let callback: IntersectionObserverCallback | null = null;
  const observed: Element[] = [];
  let disconnected = false;
  const view: PlacementWindow = {
    setTimeout: (fn) => { timers.push(fn); return 0; },
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
      timers.shift()?.();
    },
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
      view: fake.view, signal: new AbortController().signal, budgetMs: 3, now: () => (clock += 1),
      onSlice: (a, b) => slices.push(b - a),
    });
    expect(fake.observed).toHaveLength(5);
    fake.intersect([list[3]!.anchor!, list[1]!.anchor!]);
    expect(waves).toEqual([['c1', 'c3']]);
    // Idle: in document order, skipping the placed ones, cut by the slice budget (the clock ticks per read).
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
