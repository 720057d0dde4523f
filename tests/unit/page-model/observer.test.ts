import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { watchPage, type PageChange } from '../../../utils/page-model/observer';

function setup(threshold?: number) {
  const w = new Window();
  const doc = w.document as unknown as Document;
  doc.body.innerHTML = '<div id="root"><section id="s1"><p>a</p></section><section id="s2"><p>b</p></section></div>';
  const root = doc.getElementById('root') as Element;
  const changes: PageChange[] = [];
  const flushes: (() => void)[] = [];
  const controller = new AbortController();
  watchPage(root, (c) => changes.push(c), {
    signal: controller.signal, threshold, schedule: (flush) => { flushes.push(flush); },
  });
  // MutationObserver callbacks run as microtasks; then the test plays the animation frame.
  const frame = async () => {
    await new Promise((r) => setTimeout(r, 0));
    flushes.splice(0).forEach((f) => f());
  };
  return { doc, root, changes, frame, controller, window: w };
}

describe('watchPage', () => {
  it('coalesces mutations into one report per frame, naming the changed sections', async () => {
    const { doc, changes, frame } = setup();
    const s2 = doc.getElementById('s2') as Element;
    s2.appendChild(doc.createElement('p'));
    s2.appendChild(doc.createElement('p'));
    await frame();
    expect(changes).toHaveLength(1);
    expect(changes[0]?.fullRescan).toBe(false);
    expect(changes[0]?.sections).toEqual([s2]);
    expect(changes[0]?.changedNodes).toBe(2);
  });

  it("ignores Kalkan's own nodes", async () => {
    const { doc, changes, frame } = setup();
    const mark = doc.createElement('span');
    mark.className = 'kalkan-highlight';
    (doc.getElementById('s1') as Element).appendChild(mark);
    mark.appendChild(doc.createElement('b'));
    const overlay = doc.createElement('div');
    overlay.id = 'kalkan-panel';
    (doc.getElementById('s2') as Element).appendChild(overlay);
    await frame();
    expect(changes).toHaveLength(0);
  });

  it('asks for a full rescan past the threshold', async () => {
    const { doc, changes, frame } = setup(5);
    const s1 = doc.getElementById('s1') as Element;
    for (let i = 0; i < 10; i++) s1.appendChild(doc.createElement('p'));
    await frame();
    expect(changes[0]?.fullRescan).toBe(true);
  });

  it('asks for a full rescan when a top-level section is added', async () => {
    const { doc, root, changes, frame } = setup();
    root.appendChild(doc.createElement('section'));
    await frame();
    expect(changes[0]?.fullRescan).toBe(true);
  });

  it('stops when the signal aborts', async () => {
    const { doc, changes, frame, controller } = setup();
    controller.abort();
    (doc.getElementById('s1') as Element).appendChild(doc.createElement('p'));
    await frame();
    expect(changes).toHaveLength(0);
  });
});
