import { Window } from 'happy-dom';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { HighlightLayer, type FlaggedView } from '../../../components/HighlightLayer';
import { I18nContext } from '../../../components/I18nContext';
import { createTranslator } from '../../../utils/i18n';

const windows: Window[] = [];
afterEach(() => {
  for (const w of windows.splice(0)) void w.happyDOM.close();
});

function mount(items: FlaggedView[]) {
  const w = new Window();
  windows.push(w);
  const g = globalThis as Record<string, unknown>;
  g.document = w.document;
  g.window = w;
  const host = w.document.createElement('div');
  w.document.body.appendChild(host);
  const revealed: string[] = [];
  act(() => {
    render(
      <I18nContext.Provider value={createTranslator('en')}>
        <HighlightLayer items={items} threshold={0.5} dir="ltr" onReveal={(id) => revealed.push(id)} />
      </I18nContext.Provider>,
      host as unknown as Element,
    );
  });
  return { host, revealed };
}

const item = (over: Partial<FlaggedView> = {}): FlaggedView => ({
  id: 'c-1', category: 'insult', score: 0.93, learned: true,
  reasons: [{ kind: 'rule', ruleId: 'en.insult.fool', category: 'insult', weight: 0.68, text: '<img src=x onerror=alert(1)>' }],
  badge: { x: 10, y: 20, anchorEnd: false }, blur: null, boxes: [], ...over,
});

describe('HighlightLayer', () => {
  it('shows a labelled badge; its popover lists reasons as plain text and says when rules alone scored', () => {
    const { host } = mount([item({ learned: false })]);
    const badge = host.querySelector('[data-testid="kalkan-hl-badge"]') as unknown as HTMLButtonElement;
    expect(badge.textContent).toBe('Insult');
    expect(badge.getAttribute('aria-label')).toBe('Kalkan flagged this comment as Insult. Show why.');
    act(() => badge.click());
    const popover = host.querySelector('[data-testid="kalkan-hl-popover"]')!;
    expect(popover.getAttribute('role')).toBe('dialog');
    // Page text stays text: no element was created from it.
    expect(popover.querySelector('img')).toBeNull();
    expect(popover.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(popover.textContent).toContain('en.insult.fool');
    expect(host.querySelector('[data-testid="kalkan-hl-rules-only"]')).not.toBeNull();
  });

  it('offers a show button on blurred comments', () => {
    const { host, revealed } = mount([item({ blur: { x: 0, y: 0, width: 100, height: 20 } })]);
    const show = host.querySelector('[data-testid="kalkan-hl-blur"] button') as unknown as HTMLButtonElement;
    expect(show.getAttribute('aria-label')).toBe('Show the comment Kalkan blurred (flagged as Insult)');
    act(() => show.click());
    expect(revealed).toEqual(['c-1']);
  });

  it('draws fallback boxes only when given', () => {
    const { host } = mount([item({ boxes: [{ x: 1, y: 2, width: 3, height: 4 }] })]);
    expect(host.querySelectorAll('.kalkan-hl-box')).toHaveLength(1);
  });
});
