import { Window } from 'happy-dom';
import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { HighlightLayer, type FlaggedView } from '../../../components/HighlightLayer';
import { I18nContext } from '../../../components/I18nContext';
import { LiveRegion } from '../../../components/LiveRegion';
import { MaskingBadges, type BadgeView } from '../../../components/MaskingViews';
import { createTranslator } from '../../../utils/i18n';

/** Status changes that are only drawn (a count in a badge) are also announced through a polite live region. */
const windows: Window[] = [];
afterEach(() => {
  for (const w of windows.splice(0)) void w.happyDOM.close();
});

function mount(node: ComponentChild) {
  const w = new Window();
  windows.push(w);
  const g = globalThis as Record<string, unknown>;
  g.document = w.document;
  g.window = w;
  const host = w.document.createElement('div');
  w.document.body.appendChild(host);
  const show = (next: ComponentChild) => act(() => {
    render(<I18nContext.Provider value={createTranslator('en')}>{next}</I18nContext.Provider>, host as unknown as Element);
  });
  show(node);
  return { host, show };
}

const liveText = (host: { querySelector(s: string): { textContent: string | null } | null }, testId: string) =>
  host.querySelector(`[data-testid="${testId}"]`)?.textContent ?? null;

const badge = (key: string, count: number): BadgeView => ({ key, count, truncated: false, top: 0, left: 0 });

const flagged = (id: string): FlaggedView => ({
  id, category: 'insult', score: 0.9, learned: true, reasons: [], badge: { x: 0, y: 0, anchorEnd: false }, blur: null, boxes: [],
});

describe('LiveRegion', () => {
  it('is a polite, atomic region kept off screen but not hidden from assistive technology', () => {
    const { host } = mount(<LiveRegion text="3 comments flagged" testId="live" />);
    const region = host.querySelector('[data-testid="live"]') as unknown as HTMLElement;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.getAttribute('aria-atomic')).toBe('true');
    // Not role=status: pages keep a single status role for their own notices (tests find it by role).
    expect(region.getAttribute('role')).toBeNull();
    expect(region.getAttribute('aria-hidden')).toBeNull();
    expect(region.style.getPropertyValue('display')).not.toBe('none');
    expect(region.style.getPropertyValue('clip-path')).toBe('inset(50%)');
    expect(region.textContent).toBe('3 comments flagged');
  });

  it('follows its text', () => {
    const { host, show } = mount(<LiveRegion text="one" testId="live" />);
    show(<LiveRegion text="two" testId="live" />);
    expect(liveText(host, 'live')).toBe('two');
  });
});

describe('announced counts', () => {
  const masking: Array<[number[], string]> = [
    [[1], '1 identifying detail'],
    [[2], '2 identifying details'],
    [[2, 3], '5 identifying details'],
  ];
  for (const [counts, text] of masking) {
    it(`masking badges ${JSON.stringify(counts)} → "${text}"`, () => {
      const { host } = mount(<MaskingBadges badges={counts.map((count, i) => badge(`f${i}`, count))} onOpen={() => undefined} />);
      expect(liveText(host, 'masking-live')).toBe(text);
    });
  }

  const highlight: Array<[number, string]> = [
    [1, '1 comment flagged by highlighting.'],
    [4, '4 comments flagged by highlighting.'],
  ];
  for (const [count, text] of highlight) {
    it(`${count} flagged comment(s) → "${text}"`, () => {
      const items = Array.from({ length: count }, (_, i) => flagged(`c-${i}`));
      const { host } = mount(<HighlightLayer items={items} threshold={0.5} dir="ltr" onReveal={() => undefined} />);
      expect(liveText(host, 'kalkan-hl-live')).toBe(text);
    });
  }
});
