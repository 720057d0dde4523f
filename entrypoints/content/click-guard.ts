/**
 * Click-jacking resistance for every control in the overlay's shadow root (report ⚑ buttons, highlight badges and
 * "Show comment", the masking dialog's mask / edit / post anyway, the targeting indicator…). The page cannot reach
 * into the closed shadow root, but it can style the host element and its own ancestors (opacity, filter,
 * transform, clip-path), or lay its own element over a control — visible to the user, but with
 * `pointer-events: none`, so the click falls through to Kalkan. A click or key press therefore counts only when,
 * at that moment:
 *
 * - the event is the user's own (`isTrusted`); a key press only on the focused control;
 * - nothing the browser hit-tests lies over the control at the click point (page side, then the shadow root);
 * - the control and every ancestor up to the top layer or the document root are opaque and undistorted;
 * - the browser has reported the control as really visible (IntersectionObserver v2 `isVisible`: unoccluded, even
 *   by `pointer-events: none` content, opaque, no filter or non-translation transform) for at least
 *   MIN_VISIBLE_MS — a control that appears right under the pointer (double-click-jacking: the first click opens
 *   a surface, the second lands on it) does not take the click. Where v2 is missing (Firefox), the clock starts
 *   when the control enters the viewport, and a `pointer-events: none` cover is not detected (docs/security.md).
 *
 * The decision (`decideClick`) is pure; the collectors read the DOM at the moment of the event; `installClickGuard`
 * wires both into one capture-phase listener on the shadow root, so no capability has to remember to call it.
 */

/** A control must have been really visible this long before a click or key press on it counts. */
export const MIN_VISIBLE_MS = 500;
/**
 * The e2e builds' minimum: the other end-to-end tests click controls as soon as they are stable. Every other
 * check stays on there; the time rule itself is covered by tests/unit/hardening/clickjack.test.ts.
 */
export const E2E_MIN_VISIBLE_MS = 0;
/** Effective opacity (the product along the ancestor chain) below this counts as see-through. */
export const MIN_EFFECTIVE_OPACITY = 0.99;
/** Smallest rendered size of a control on either side, in CSS pixels: zoom cannot shrink one out of sight. */
export const MIN_CONTROL_SIZE_PX = 12;
/** IntersectionObserver v2's smallest allowed interval between visibility computations. */
export const VISIBILITY_DELAY_MS = 100;
/** Elements in the overlay that act when clicked. */
export const CONTROL_SELECTOR = 'button, [role="button"], a[href], summary, input, select, textarea';
/** Attribute naming what a pooled control stands for (report-controls.ts): a new target restarts its clock. */
export const CONTROL_TARGET_ATTRIBUTE = 'data-item-id';

export type Refusal =
  /** Dispatched by a script, not the user. */
  | 'untrusted'
  /** A key press while the control did not have focus. */
  | 'not-focused'
  /** The control is `visibility: hidden`. */
  | 'hidden'
  /** The control or an ancestor is (partly) transparent. */
  | 'see-through'
  /** A filter, blend mode, clip, mask, scale or rotation changes how the control looks. */
  | 'distorted'
  /** Rendered smaller than MIN_CONTROL_SIZE_PX. */
  | 'too-small'
  /** Something else is on top of it, or the browser reports it as not visible. */
  | 'covered'
  /** It has not been visible for MIN_VISIBLE_MS yet. */
  | 'too-soon';

/** The computed style properties that decide whether a box is shown as it is. */
export interface StyleFacts {
  opacity: string;
  filter: string;
  transform: string;
  scale: string;
  rotate: string;
  clipPath: string;
  maskImage: string;
  mixBlendMode: string;
  visibility: string;
}

/** What the browser has told us about a control's visibility. */
export type VisibilityState = { kind: 'unknown' } | { kind: 'not-visible' } | { kind: 'visible'; since: number };

export interface ClickFacts {
  trusted: boolean;
  /** Activated from the keyboard (a click with detail 0), not a pointer. */
  keyboard: boolean;
  /** The control (or something inside it) has focus. */
  focused: boolean;
  /** Whether the topmost element at the click point is the control. */
  hit: 'control' | 'elsewhere';
  /** Styles from the control up to the top-layer element or the document root, control first. */
  chain: readonly StyleFacts[];
  width: number;
  height: number;
  visibility: VisibilityState;
  now: number;
  minVisibleMs: number;
}

const IDENTITY_2D = [1, 0, 0, 1];
const IDENTITY_3D_LINEAR = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];

/** Whether a computed `transform` only moves the box (no scale, rotation, skew or perspective). */
export function isTranslationOnly(transform: string): boolean {
  const value = transform.trim();
  if (value === '' || value === 'none') return true;
  const match = /^(matrix|matrix3d)\(([^)]*)\)$/.exec(value);
  if (!match) return false;
  const numbers = (match[2] ?? '').split(',').map((part) => Number(part.trim()));
  if (numbers.some((n) => !Number.isFinite(n))) return false;
  if (match[1] === 'matrix') return numbers.length === 6 && IDENTITY_2D.every((n, i) => numbers[i] === n);
  // matrix3d: column-major; indices 12–14 are the translation, 15 must stay 1. A z translation changes the size
  // under an ancestor's perspective, so it is refused too.
  return numbers.length === 16 && IDENTITY_3D_LINEAR.every((n, i) => numbers[i] === n) && numbers[14] === 0 && numbers[15] === 1;
}

/** Product of the opacities along the chain (an unparsable value counts as transparent). */
export function effectiveOpacity(chain: readonly StyleFacts[]): number {
  let product = 1;
  for (const facts of chain) {
    const value = Number.parseFloat(facts.opacity);
    product *= Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
  }
  return product;
}

const isNone = (value: string) => value === '' || value === 'none';

/** A brightness or contrast factor outside this range can wash a control out or black it out. */
export const SAFE_TONE_RANGE = [0.5, 2] as const;
/** Saturation below this leaves too little colour difference to read state (e.g. red "PUBLIC" tags). */
export const MIN_SAFE_SATURATION = 0.5;

function filterAmount(argument: string): number {
  const value = argument.trim();
  if (value === '') return 1;
  const number = Number.parseFloat(value);
  if (!Number.isFinite(number)) return Number.NaN;
  return value.endsWith('%') ? number / 100 : number;
}

/**
 * Whether a computed `filter` leaves the control readable. Dark-mode gadgets on wikis put `invert(1)
 * hue-rotate(180deg)` on <html>, which changes colours but hides nothing: refusing those would refuse every click.
 * Filters that can hide or fake a control — opacity, blur, SVG `url()` filters, extreme brightness or contrast —
 * still count as a distortion.
 */
export function isReadableFilter(filter: string): boolean {
  const value = filter.trim();
  if (isNone(value)) return true;
  const functions = /^(?:\s*[a-z-]+\([^()]*(?:\([^()]*\)[^()]*)*\))+\s*$/.test(value) ? value.match(/[a-z-]+\((?:[^()]|\([^()]*\))*\)/g) ?? [] : null;
  if (!functions || functions.length === 0) return false;
  return functions.every((call) => {
    const name = call.slice(0, call.indexOf('('));
    const argument = call.slice(call.indexOf('(') + 1, -1);
    switch (name) {
      case 'invert':
      case 'hue-rotate':
      case 'sepia':
      case 'grayscale':
      case 'drop-shadow':
        return true;
      case 'saturate':
        return filterAmount(argument) >= MIN_SAFE_SATURATION;
      case 'brightness':
      case 'contrast': {
        const amount = filterAmount(argument);
        return amount >= SAFE_TONE_RANGE[0] && amount <= SAFE_TONE_RANGE[1];
      }
      case 'opacity':
        return filterAmount(argument) >= MIN_EFFECTIVE_OPACITY;
      default:
        // blur(), url(#svg-filter) and anything unknown can disguise the control.
        return false;
    }
  });
}

/** Why the styles along the chain hide or disguise the control, or null when it shows as it is. */
export function styleRefusal(chain: readonly StyleFacts[]): Refusal | null {
  const control = chain[0];
  if (!control || control.visibility !== 'visible') return 'hidden';
  if (effectiveOpacity(chain) < MIN_EFFECTIVE_OPACITY) return 'see-through';
  for (const facts of chain) {
    if (!isReadableFilter(facts.filter) || !isNone(facts.clipPath) || !isNone(facts.maskImage)) return 'distorted';
    if (facts.mixBlendMode !== '' && facts.mixBlendMode !== 'normal') return 'distorted';
    if (!isTranslationOnly(facts.transform) || !isNone(facts.scale) || !isNone(facts.rotate)) return 'distorted';
  }
  return null;
}

/** Whether a click on a control counts: null when it does, else the first reason it does not. */
export function decideClick(facts: ClickFacts): Refusal | null {
  if (!facts.trusted) return 'untrusted';
  if (facts.keyboard && !facts.focused) return 'not-focused';
  const style = styleRefusal(facts.chain);
  if (style) return style;
  if (facts.width < MIN_CONTROL_SIZE_PX || facts.height < MIN_CONTROL_SIZE_PX) return 'too-small';
  if (facts.hit !== 'control') return 'covered';
  // A trusted key press on the focused control was aimed at it: only the user can press keys, and focus gets into
  // the closed shadow root only by the user's Tab or Kalkan's own dialog focus. The checks above are made at this
  // moment; the observer's view lags (a dialog fading in reads as not visible for a few hundred ms), and making a
  // keyboard user wait for it refused their first Enter in a freshly opened dialog.
  if (facts.keyboard) return null;
  const visibility = facts.visibility;
  // IntersectionObserver v2 reports every element under any filter as not visible, so behind a readable filter
  // (a dark-mode gadget) its verdict says nothing; the hit test above still holds there.
  if (visibility.kind === 'not-visible') return facts.chain.some((style) => !isNone(style.filter)) ? null : 'covered';
  // With no minimum time (the e2e builds), a control the observer has not reported on yet is judged by the checks
  // made at this moment alone; with one, "not reported yet" is exactly the double-click-jacking case.
  if (visibility.kind === 'unknown') return facts.minVisibleMs > 0 ? 'too-soon' : null;
  if (facts.now - visibility.since < facts.minVisibleMs) return 'too-soon';
  return null;
}

/** The next visibility state after the browser reported `visible` at `time`. */
export function nextVisibility(previous: VisibilityState, visible: boolean, time: number): VisibilityState {
  if (!visible) return { kind: 'not-visible' };
  return previous.kind === 'visible' ? previous : { kind: 'visible', since: time };
}

// --- reading the DOM at the moment of the event -----------------------------------------------------------------

export function styleFactsOf(style: CSSStyleDeclaration): StyleFacts {
  return {
    opacity: style.opacity || '1',
    filter: style.filter,
    transform: style.transform,
    scale: style.getPropertyValue('scale'),
    rotate: style.getPropertyValue('rotate'),
    clipPath: style.getPropertyValue('clip-path'),
    maskImage: style.getPropertyValue('mask-image') || style.getPropertyValue('-webkit-mask-image'),
    mixBlendMode: style.mixBlendMode,
    visibility: style.visibility || 'visible',
  };
}

/** Top-layer elements (a modal dialog, an open popover) are drawn apart from their ancestors' effects. */
function inTopLayer(element: Element): boolean {
  for (const selector of [':modal', ':popover-open', ':fullscreen']) {
    try {
      if (element.matches(selector)) return true;
    } catch (error) {
      // A browser (or test DOM) without the pseudo-class: the element is not in the top layer through it.
      if (!(error instanceof DOMException || error instanceof SyntaxError)) throw error;
    }
  }
  return false;
}

/** Computed styles from the control up across the shadow boundary to the top layer or the document root. */
export function styleChain(control: Element, view: Window): StyleFacts[] {
  const chain: StyleFacts[] = [];
  let element: Element | null = control;
  while (element) {
    chain.push(styleFactsOf(view.getComputedStyle(element)));
    if (inTopLayer(element)) break;
    const parent: Node | null = element.parentNode;
    element = parent instanceof Element ? parent : parent && isShadowRoot(parent) ? parent.host : null;
  }
  return chain;
}

function isShadowRoot(node: Node): node is ShadowRoot {
  return node.nodeType === Node.DOCUMENT_FRAGMENT_NODE && 'host' in node;
}

/** Whether the topmost element at (x, y) is the control: first on the page side (the host), then in the shadow root. */
export function hitAt(doc: Document, host: Element, root: ShadowRoot, control: Element, x: number, y: number): ClickFacts['hit'] {
  const top = doc.elementsFromPoint(x, y)[0];
  if (top !== host) return 'elsewhere';
  const inner = root.elementFromPoint(x, y);
  return inner && (inner === control || control.contains(inner)) ? 'control' : 'elsewhere';
}

// --- the guard --------------------------------------------------------------------------------------------------

/** IntersectionObserver v2 (Chromium): not in TypeScript's DOM library yet. */
interface VisibilityObserverInit extends IntersectionObserverInit {
  trackVisibility?: boolean;
  delay?: number;
}
interface VisibilityEntry extends IntersectionObserverEntry {
  readonly isVisible?: boolean;
}

export interface ClickGuardOptions {
  doc: Document;
  host: HTMLElement;
  root: ShadowRoot;
  signal: AbortSignal;
  minVisibleMs: number;
  /** Tells the user, beside the control, that their click was ignored (not called for untrusted events). */
  notify(control: Element, refusal: Refusal): void;
}

export interface ClickGuard {
  /** Whether the browser offers IntersectionObserver v2 (occlusion by pointer-events:none content detected). */
  readonly occlusionTracked: boolean;
  /** The decision for an event on a control, as the listener takes it (exported for tests and diagnostics). */
  check(event: MouseEvent, control: Element): Refusal | null;
}

/**
 * Watches every control in the shadow root and ignores clicks on one that is not really visible to the user. The
 * listener runs in the capture phase on the shadow root, before any control's own handler.
 */
export function installClickGuard(o: ClickGuardOptions): ClickGuard {
  const { doc, host, root, signal } = o;
  const view = doc.defaultView;
  const states = new WeakMap<Element, VisibilityState>();
  const Observer = view?.IntersectionObserver;
  const occlusionTracked = Boolean(view?.IntersectionObserverEntry && 'isVisible' in view.IntersectionObserverEntry.prototype);

  const record = (entries: readonly IntersectionObserverEntry[]) => {
    for (const entry of entries as readonly VisibilityEntry[]) {
      const visible = occlusionTracked ? entry.isVisible === true : entry.isIntersecting;
      states.set(entry.target, nextVisibility(states.get(entry.target) ?? { kind: 'unknown' }, visible, entry.time));
    }
  };
  const init: VisibilityObserverInit = occlusionTracked
    ? { threshold: [0], trackVisibility: true, delay: VISIBILITY_DELAY_MS }
    : { threshold: [0] };
  const observer = Observer ? new Observer(record, init) : null;

  const controlsIn = (node: Node): Element[] => {
    if (!(node instanceof Element)) return [];
    const found = Array.from(node.querySelectorAll(CONTROL_SELECTOR));
    return node.matches(CONTROL_SELECTOR) ? [node, ...found] : found;
  };
  const watch = (control: Element) => {
    states.set(control, { kind: 'unknown' });
    observer?.observe(control);
  };
  const forget = (control: Element) => {
    states.delete(control);
    observer?.unobserve(control);
  };
  for (const control of Array.from(root.querySelectorAll(CONTROL_SELECTOR))) watch(control);
  const mutations = view?.MutationObserver ? new view.MutationObserver((records) => {
    for (const change of records) {
      if (change.type === 'attributes') {
        // The same pooled button now stands for another comment: it is a new control to the user.
        if (change.target instanceof Element && change.target.matches(CONTROL_SELECTOR)) {
          forget(change.target);
          watch(change.target);
        }
        continue;
      }
      for (const node of Array.from(change.removedNodes)) for (const control of controlsIn(node)) forget(control);
      for (const node of Array.from(change.addedNodes)) for (const control of controlsIn(node)) if (control.isConnected) watch(control);
    }
  }) : null;
  mutations?.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: [CONTROL_TARGET_ATTRIBUTE] });
  signal.addEventListener('abort', () => {
    observer?.disconnect();
    mutations?.disconnect();
  }, { once: true });

  const check = (event: MouseEvent, control: Element): Refusal | null => {
    // Nothing else is read for a script's event: a page must not be able to make the guard measure for it.
    if (!event.isTrusted) return 'untrusted';
    if (!view) return 'hidden';
    // Visibility computed in the last frame but not yet delivered to our callback.
    if (observer) record(observer.takeRecords());
    const rect = control.getBoundingClientRect();
    const keyboard = event.detail === 0;
    const x = keyboard ? rect.left + rect.width / 2 : event.clientX;
    const y = keyboard ? rect.top + rect.height / 2 : event.clientY;
    const active = root.activeElement;
    return decideClick({
      trusted: event.isTrusted,
      keyboard,
      focused: doc.activeElement === host && active !== null && (active === control || control.contains(active)),
      hit: hitAt(doc, host, root, control, x, y),
      chain: styleChain(control, view),
      width: rect.width,
      height: rect.height,
      visibility: observer ? states.get(control) ?? { kind: 'unknown' } : { kind: 'visible', since: -Infinity },
      now: view.performance.now(),
      minVisibleMs: o.minVisibleMs,
    });
  };

  let logged = false;
  root.addEventListener('click', (event) => {
    const control = event.target instanceof Element ? event.target.closest(CONTROL_SELECTOR) : null;
    if (!control) return;
    // A plain Event named "click" can only come from a script: refused like any other untrusted one.
    const refusal = event instanceof MouseEvent ? check(event, control) : 'untrusted';
    if (!refusal) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!logged) {
      logged = true;
      console.warn(`[kalkan] ignored a click on one of its controls (${refusal}): it was covered, see-through or had only just appeared. Later ignored clicks on this page are not logged.`);
    }
    if (refusal !== 'untrusted') o.notify(control, refusal);
  }, { capture: true, signal });

  return { occlusionTracked, check };
}
