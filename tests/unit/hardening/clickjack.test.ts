// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import {
  decideClick, effectiveOpacity, installClickGuard, isTranslationOnly, MIN_CONTROL_SIZE_PX, MIN_VISIBLE_MS, nextVisibility,
  styleChain, styleRefusal, type ClickFacts, type StyleFacts,
} from '../../../entrypoints/content/click-guard';

const CLEAN: StyleFacts = {
  opacity: '1', filter: 'none', transform: 'none', scale: 'none', rotate: 'none', clipPath: 'none', maskImage: 'none',
  mixBlendMode: 'normal', visibility: 'visible',
};
const style = (changes: Partial<StyleFacts> = {}): StyleFacts => ({ ...CLEAN, ...changes });

describe('isTranslationOnly', () => {
  it.each([
    'none', '', 'matrix(1, 0, 0, 1, 10, 20)', 'matrix(1, 0, 0, 1, -100, 0)', 'matrix(1,0,0,1,0.5,0)',
    'matrix3d(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 5, 6, 0, 1)',
  ])('accepts a plain move: %s', (transform) => {
    expect(isTranslationOnly(transform)).toBe(true);
  });
  it.each([
    ['shrunk', 'matrix(0.01, 0, 0, 0.01, 0, 0)'],
    ['enlarged', 'matrix(3, 0, 0, 3, 0, 0)'],
    ['skewed', 'matrix(1, 0.1, 0, 1, 0, 0)'],
    ['mirrored', 'matrix(-1, 0, 0, 1, 0, 0)'],
    ['flattened to a line', 'matrix(1, 0, 0, 0, 0, 0)'],
    ['moved in depth', 'matrix3d(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 5, 1)'],
    ['rotated in 3D', 'matrix3d(1, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1)'],
    ['not a computed value', 'rotate(1deg)'],
    ['not a number', 'matrix(1, 0, 0, 1, NaN, 0)'],
    ['too few numbers', 'matrix(1, 0, 0, 1)'],
  ])('refuses %s: %s', (_label, transform) => {
    expect(isTranslationOnly(transform)).toBe(false);
  });
});

describe('styleRefusal along the control → host → page chain', () => {
  it.each<[string, StyleFacts[], ReturnType<typeof styleRefusal>]>([
    ['an opaque, plain chain', [style(), style(), style()], null],
    ['a host moved by translation', [style(), style({ transform: 'matrix(1, 0, 0, 1, 40, 0)' })], null],
    ['opacity just under 1 from rounding', [style({ opacity: '0.995' }), style()], null],
    ['the host at opacity 0.01', [style(), style({ opacity: '0.01' })], 'see-through'],
    ['a page-made parent at opacity 0', [style(), style(), style({ opacity: '0' })], 'see-through'],
    ['two half-transparent ancestors', [style(), style({ opacity: '0.5' }), style({ opacity: '0.5' })], 'see-through'],
    ['0.9 on one ancestor', [style(), style({ opacity: '0.9' })], 'see-through'],
    ['an unparsable opacity', [style({ opacity: 'nonsense' })], 'see-through'],
    ['filter: opacity(0) on the host', [style(), style({ filter: 'opacity(0)' })], 'distorted'],
    ['a blur on an ancestor', [style(), style({ filter: 'blur(2px)' })], 'distorted'],
    ['an SVG filter', [style(), style({ filter: 'url("#fake")' })], 'distorted'],
    ['brightness down to black', [style(), style({ filter: 'brightness(0.1)' })], 'distorted'],
    ['contrast washed out', [style(), style({ filter: 'contrast(20%)' })], 'distorted'],
    ['a readable filter followed by opacity(0)', [style(), style({ filter: 'invert(1) opacity(0)' })], 'distorted'],
    ['a dark-mode inversion', [style(), style({ filter: 'invert(1) hue-rotate(180deg)' })], null],
    ['a gentle sepia and brightness', [style(), style({ filter: 'sepia(0.3) brightness(0.9)' })], null],
    ['a drop shadow with a colour function', [style(), style({ filter: 'drop-shadow(rgba(0, 0, 0, 0.5) 0px 1px 2px)' })], null],
    ['clip-path hiding the host', [style(), style({ clipPath: 'inset(50%)' })], 'distorted'],
    ['a mask image', [style(), style({ maskImage: 'linear-gradient(transparent, transparent)' })], 'distorted'],
    ['a blend mode', [style(), style({ mixBlendMode: 'multiply' })], 'distorted'],
    ['scaled down by the scale property', [style(), style({ scale: '0.1' })], 'distorted'],
    ['turned upside down', [style(), style({ rotate: '180deg' })], 'distorted'],
    ['a shrinking transform on the page root', [style(), style(), style({ transform: 'matrix(0.05, 0, 0, 0.05, 0, 0)' })], 'distorted'],
    ['a hidden control', [style({ visibility: 'hidden' }), style()], 'hidden'],
    ['no chain at all', [], 'hidden'],
  ])('%s', (_label, chain, expected) => {
    expect(styleRefusal(chain)).toBe(expected);
  });

  it('multiplies opacities', () => {
    expect(effectiveOpacity([style({ opacity: '0.5' }), style({ opacity: '0.4' })])).toBeCloseTo(0.2);
    expect(effectiveOpacity([style({ opacity: '2' })])).toBe(1);
  });
});

describe('decideClick', () => {
  const NOW = 10_000;
  const good: ClickFacts = {
    trusted: true, keyboard: false, focused: false, hit: 'control', chain: [style(), style()], width: 24, height: 24,
    visibility: { kind: 'visible', since: NOW - MIN_VISIBLE_MS - 1 }, now: NOW, minVisibleMs: MIN_VISIBLE_MS,
  };
  it.each<[string, Partial<ClickFacts>, ReturnType<typeof decideClick>]>([
    ['the user clicks a control visible for long enough', {}, null],
    ['exactly the minimum time', { visibility: { kind: 'visible', since: NOW - MIN_VISIBLE_MS } }, null],
    ['Enter on the focused control', { keyboard: true, focused: true }, null],
    ['a script-made click', { trusted: false }, 'untrusted'],
    ['a script-made click on a hidden control (untrusted comes first)', { trusted: false, hit: 'elsewhere', chain: [] }, 'untrusted'],
    ['a key press while the control is not focused', { keyboard: true, focused: false }, 'not-focused'],
    ['another element on top at the click point', { hit: 'elsewhere' }, 'covered'],
    ['the browser reports it occluded (pointer-events:none cover)', { visibility: { kind: 'not-visible' } }, 'covered'],
    ['the browser has not reported yet', { visibility: { kind: 'unknown' } }, 'too-soon'],
    ['visible for one millisecond too little', { visibility: { kind: 'visible', since: NOW - MIN_VISIBLE_MS + 1 } }, 'too-soon'],
    ['appeared under the pointer just now (double-click-jacking)', { visibility: { kind: 'visible', since: NOW - 30 } }, 'too-soon'],
    ['the host made transparent', { chain: [style(), style({ opacity: '0.01' })] }, 'see-through'],
    ['zoomed down to a dot', { width: MIN_CONTROL_SIZE_PX - 1, height: 24 }, 'too-small'],
    ['flattened', { width: 24, height: 2 }, 'too-small'],
    ['keyboard on a transparent control', { keyboard: true, focused: true, chain: [style({ opacity: '0' })] }, 'see-through'],
    ['keyboard on a covered control', { keyboard: true, focused: true, hit: 'elsewhere' }, 'covered'],
    ['Enter in a dialog that has only just opened (the observer has not caught up)', { keyboard: true, focused: true, visibility: { kind: 'not-visible' } }, null],
    ['Enter before the observer reported at all', { keyboard: true, focused: true, visibility: { kind: 'unknown' } }, null],
    ['a pointer click in that same moment', { visibility: { kind: 'unknown' } }, 'too-soon'],
    ['with no minimum time, a control not reported yet is judged by the checks made now', { visibility: { kind: 'unknown' }, minVisibleMs: 0 }, null],
    ['with no minimum time, a control reported covered is still refused', { visibility: { kind: 'not-visible' }, minVisibleMs: 0 }, 'covered'],
    ['a dark-mode gadget inverts the whole page', { chain: [style(), style(), style({ filter: 'invert(1) hue-rotate(180deg)' })] }, null],
    ['under that inversion the observer always says not visible; the hit test decides', { chain: [style(), style({ filter: 'invert(1)' })], visibility: { kind: 'not-visible' } }, null],
    ['under that inversion something on top still refuses', { chain: [style(), style({ filter: 'invert(1)' })], visibility: { kind: 'not-visible' }, hit: 'elsewhere' }, 'covered'],
  ])('%s', (_label, changes, expected) => {
    expect(decideClick({ ...good, ...changes })).toBe(expected);
  });
});

describe('nextVisibility', () => {
  it('starts the clock when the control becomes visible and keeps it while it stays visible', () => {
    const first = nextVisibility({ kind: 'unknown' }, true, 100);
    expect(first).toEqual({ kind: 'visible', since: 100 });
    expect(nextVisibility(first, true, 900)).toEqual({ kind: 'visible', since: 100 });
  });
  it('restarts the clock after the control was covered', () => {
    const covered = nextVisibility({ kind: 'visible', since: 100 }, false, 700);
    expect(covered).toEqual({ kind: 'not-visible' });
    expect(nextVisibility(covered, true, 800)).toEqual({ kind: 'visible', since: 800 });
  });
});

/** A host in the page with a shadow root holding one button, the shape of Kalkan's overlay. */
function overlayLike() {
  const wrapper = document.createElement('div');
  document.body.appendChild(wrapper);
  const host = document.createElement('div');
  wrapper.appendChild(host);
  const root = host.attachShadow({ mode: 'open' });
  const layer = document.createElement('div');
  const button = document.createElement('button');
  button.textContent = '⚑';
  layer.appendChild(button);
  root.appendChild(layer);
  return { wrapper, host, root, layer, button };
}

describe('styleChain (happy-dom)', () => {
  it('walks from the control across the shadow boundary to the page root', () => {
    const { wrapper, host, button } = overlayLike();
    host.style.opacity = '0.01';
    const chain = styleChain(button, window);
    // button, layer, host, wrapper, body, html
    expect(chain.length).toBe(6);
    expect(effectiveOpacity(chain)).toBeCloseTo(0.01);
    expect(styleRefusal(chain)).toBe('see-through');
    host.style.opacity = '';
    wrapper.style.opacity = '0';
    expect(styleRefusal(styleChain(button, window))).toBe('see-through');
    wrapper.style.opacity = '';
    expect(styleRefusal(styleChain(button, window))).toBeNull();
    wrapper.remove();
  });
});

describe('installClickGuard (happy-dom)', () => {
  it('stops a script-made click before the control sees it, without a notice', () => {
    const { wrapper, host, root, button } = overlayLike();
    const controller = new AbortController();
    const notify = vi.fn();
    installClickGuard({ doc: document, host, root, signal: controller.signal, minVisibleMs: MIN_VISIBLE_MS, notify });
    const handler = vi.fn();
    button.addEventListener('click', handler);
    button.click();
    button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: 5, clientY: 5 }));
    button.dispatchEvent(new Event('click', { bubbles: true, composed: true }));
    expect(handler).not.toHaveBeenCalled();
    expect(notify).not.toHaveBeenCalled();
    // A click on something that is not a control is none of the guard's business.
    const text = document.createElement('span');
    root.appendChild(text);
    const other = vi.fn();
    text.addEventListener('click', other);
    text.click();
    expect(other).toHaveBeenCalledTimes(1);
    // Once the page run ends, the guard is gone with it.
    controller.abort();
    button.click();
    expect(handler).toHaveBeenCalledTimes(1);
    wrapper.remove();
  });

  it('takes each fact from the DOM at the moment of the event', () => {
    const { wrapper, host, root, button } = overlayLike();
    const controller = new AbortController();
    const guard = installClickGuard({ doc: document, host, root, signal: controller.signal, minVisibleMs: 0, notify: vi.fn() });
    const event = { isTrusted: true, detail: 1, clientX: 5, clientY: 5 } as MouseEvent;
    const pageStack: Element[] = [];
    let innerHit: Element | null = null;
    let size = 0;
    const doc = document as Document & { elementsFromPoint(x: number, y: number): Element[] };
    doc.elementsFromPoint = () => pageStack;
    root.elementFromPoint = () => innerHit;
    button.getBoundingClientRect = () => new DOMRect(0, 0, size, size);
    size = 24;
    // Nothing at the point (or a page element on top): covered.
    expect(guard.check(event, button)).toBe('covered');
    pageStack.push(document.body);
    expect(guard.check(event, button)).toBe('covered');
    // The host is on top, but inside it another of Kalkan's elements (e.g. a popover) is.
    pageStack.unshift(host);
    innerHit = root.firstElementChild;
    expect(guard.check(event, button)).toBe('covered');
    innerHit = button;
    // Shrunk by the page's zoom.
    size = 4;
    expect(guard.check(event, button)).toBe('too-small');
    size = 24;
    host.style.opacity = '0.01';
    expect(guard.check(event, button)).toBe('see-through');
    host.style.opacity = '';
    // Everything in order; what remains is the browser's visibility report (none in happy-dom, so never "visible").
    expect(['too-soon', null]).toContain(guard.check(event, button));
    expect(guard.check({ ...event, isTrusted: false } as MouseEvent, button)).toBe('untrusted');
    // A key press counts only on the focused control.
    expect(guard.check({ ...event, detail: 0 } as MouseEvent, button)).toBe('not-focused');
    controller.abort();
    wrapper.remove();
  });
});
