import { describe, expect, it, vi } from 'vitest';
import { CapabilityRegistry, type CapabilityFailure } from '../../utils/capabilities/registry';

describe('CapabilityRegistry', () => {
  it('starts only the capabilities that apply, and contains failures', async () => {
    const failures: CapabilityFailure[] = [];
    const registry = new CapabilityRegistry<{ ns: number }>((failure) => failures.push(failure));
    const started: string[] = [];
    registry.register({ id: 'talk-only', appliesTo: (c) => c.ns % 2 === 1, init: () => { started.push('talk-only'); } });
    registry.register({ id: 'broken', appliesTo: () => true, init: () => { throw new Error('boom'); } });
    registry.register({ id: 'everywhere', appliesTo: () => true, init: async () => { started.push('everywhere'); } });
    const running = await registry.start({ ns: 0 }, new AbortController().signal);
    expect(started).toEqual(['everywhere']);
    expect(running).toEqual(['everywhere']);
    expect(failures.map((f) => [f.id, f.phase])).toEqual([['broken', 'init']]);
  });

  it('updates running capabilities and reports a repeated failure once', async () => {
    const report = vi.fn();
    const registry = new CapabilityRegistry<object>(report);
    let updates = 0;
    registry.register({ id: 'ok', appliesTo: () => true, init: () => undefined, update: () => { updates += 1; } });
    registry.register({ id: 'flaky', appliesTo: () => true, init: () => undefined, update: () => { throw new Error('x'); } });
    const controller = new AbortController();
    await registry.start({}, controller.signal);
    await registry.update({}, controller.signal);
    await registry.update({}, controller.signal);
    expect(updates).toBe(2);
    expect(report).toHaveBeenCalledTimes(1);
    controller.abort();
    await registry.update({}, controller.signal);
    expect(updates).toBe(2);
  });

  it('refuses a duplicate id', () => {
    const registry = new CapabilityRegistry<object>(() => undefined);
    registry.register({ id: 'a', appliesTo: () => true, init: () => undefined });
    expect(() => registry.register({ id: 'a', appliesTo: () => true, init: () => undefined })).toThrow(/twice/);
  });
});
