import { describe, expect, it } from 'vitest';
import { LiveBuild } from '../../../utils/page-model/live';

/** A build whose runs finish only when the test says so; each run's value is its number. */
function controlledBuild() {
  const finishers: Array<() => void> = [];
  let started = 0;
  let fail = false;
  const build = () => {
    const n = ++started;
    return new Promise<number>((resolve, reject) => finishers.push(() => (fail ? reject(new Error(`build ${n} broke`)) : resolve(n))));
  };
  return {
    build,
    started: () => started,
    finishNext: async () => {
      finishers.shift()?.();
      // Let the awaiting code run.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
    breakBuilds: () => { fail = true; },
  };
}

describe('live model builds', () => {
  it('a burst of changes while a build runs costs one more build, not one each', async () => {
    const c = controlledBuild();
    const live = new LiveBuild(c.build, new AbortController().signal, () => {});
    const seen: number[] = [];
    const first = live.first();
    live.changed();
    live.changed();
    live.changed();
    await c.finishNext();
    expect(await first).toBe(1);
    expect(c.started()).toBe(1); // nobody listens yet: the changes wait
    live.listen((v) => seen.push(v));
    expect(c.started()).toBe(2);
    live.changed(); // during build 2
    live.changed();
    await c.finishNext();
    expect(seen).toEqual([2]);
    expect(c.started()).toBe(3);
    await c.finishNext();
    expect(seen).toEqual([2, 3]);
    expect(c.started()).toBe(3);
  });

  it('without changes during the first build, listening builds nothing; a later change builds once', async () => {
    const c = controlledBuild();
    const live = new LiveBuild(c.build, new AbortController().signal, () => {});
    const seen: number[] = [];
    const first = live.first();
    await c.finishNext();
    await first;
    live.listen((v) => seen.push(v));
    expect(c.started()).toBe(1);
    live.changed();
    expect(c.started()).toBe(2);
    await c.finishNext();
    expect(seen).toEqual([2]);
  });

  it('stops with the content script: no build and no delivery after the abort', async () => {
    const c = controlledBuild();
    const stop = new AbortController();
    const live = new LiveBuild(c.build, stop.signal, () => {});
    const seen: number[] = [];
    const first = live.first();
    await c.finishNext();
    await first;
    live.listen((v) => seen.push(v));
    live.changed();
    stop.abort();
    await c.finishNext();
    expect(seen).toEqual([]);
    live.changed();
    expect(c.started()).toBe(2);
  });

  it('a rebuild that throws is reported once, and the next change builds again', async () => {
    const c = controlledBuild();
    const errors: unknown[] = [];
    const live = new LiveBuild(c.build, new AbortController().signal, (e) => errors.push(e));
    const seen: number[] = [];
    const first = live.first();
    await c.finishNext();
    await first;
    live.listen((v) => seen.push(v));
    c.breakBuilds();
    live.changed();
    await c.finishNext();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/build 2 broke/);
    live.changed();
    expect(c.started()).toBe(3);
  });

  it('the first build\'s error goes to its caller', async () => {
    const c = controlledBuild();
    c.breakBuilds();
    const live = new LiveBuild(c.build, new AbortController().signal, () => { throw new Error('not here'); });
    const first = live.first();
    await c.finishNext();
    await expect(first).rejects.toThrow(/build 1 broke/);
  });
});
