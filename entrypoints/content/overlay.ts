import type { DomRange } from '../../utils/page-model/types';
import { createTranslator, type Translate } from '../../utils/i18n';
import { E2E_MIN_VISIBLE_MS, installClickGuard, MIN_VISIBLE_MS, type Refusal } from './click-guard';
import { OVERLAY_THEME_CSS, THEME_ATTRIBUTE, watchPageTheme, type PageTheme } from './overlay-theme';

/**
 * Kalkan's one in-page surface: a single host element holding a closed shadow root (open only in e2e builds, for
 * the accessibility checker), in which every capability gets a named layer. Items are positioned in document
 * coordinates from the page model's ranges, so the wiki's own DOM is never rewritten; removing the host restores
 * the page exactly. It holds controls, badges and highlights only — never a form the user types into.
 */
export const OVERLAY_HOST_ID = 'kalkan-overlay';
/** How long the "Kalkan ignored this click" notice stays beside a control. */
export const GUARD_NOTICE_MS = 6_000;
/** Gap between a control and the notice under it. */
const GUARD_NOTICE_GAP_PX = 4;
/** The notice's layer (outside any capability's own rendering, so no view library owns its children). */
const GUARD_LAYER = 'guard';
const GUARD_CSS = `
.kalkan-guard-notice {
  max-inline-size: 320px; margin: 8px 0 0; padding: 6px 10px; box-sizing: border-box;
  font: 13px/1.4 system-ui, sans-serif; color: var(--color-base, #202122);
  background: var(--background-color-warning-subtle, #fef6e7); border: 1px solid var(--border-color-warning, #a66200); border-radius: 2px;
}
.kalkan-layer-guard .kalkan-guard-notice { position: fixed; margin: 0; z-index: 1; }
`;
/** The host of the current page run, so a new run (extension reloaded) replaces it; production hosts carry no id. */
const hosts = new WeakMap<Document, HTMLElement>();
/** Layout changes are coalesced to one relayout per animation frame. */
const RELAYOUT_EVENTS = ['resize'] as const;


export interface Overlay {
  /** A positioned layer for one capability, created on first use (the host joins the page with the first layer). */
  layer(name: string): HTMLElement;
  /**
   * Removes a layer; with no layer left the host leaves the page too, so a capability that is switched off gives
   * back the page's exact HTML (tests/e2e/highlight.e2e.ts compares documentElement.outerHTML).
   */
  removeLayer(name: string): void;
  /** Adds a stylesheet (our own CSS text, never page text) to the shadow root. */
  addStyles(css: string): void;
  /** Rectangles of a range in document coordinates (for placing controls and highlight boxes). */
  rects(range: DomRange): DOMRect[];
  /** Calls `callback` once per frame after the page's layout may have changed, until `signal` aborts. */
  onRelayout(callback: () => void, signal: AbortSignal): void;
  /** Asks every relayout listener to run on the next frame (e.g. after the model changed). */
  requestRelayout(): void;
  readonly shadowRoot: ShadowRoot;
}

/** Kalkan's interface language on the page: set on every layer (inside the shadow root, so the page never sees it). */
export interface OverlayLanguage {
  lang: string;
  dir: 'ltr' | 'rtl';
}

export function createOverlay(doc: Document, signal: AbortSignal, language: OverlayLanguage = { lang: 'en', dir: 'ltr' }): Overlay {
  (hosts.get(doc) ?? (__KALKAN_E2E__ ? doc.getElementById(OVERLAY_HOST_ID) : null))?.remove();
  const host = doc.createElement('div');
  // No stable name a page could query to learn that this reader runs Kalkan (tests/unit/hardening/probe.test.ts);
  // e2e builds name it, as they open the shadow root, for the test harness.
  if (__KALKAN_E2E__) host.id = OVERLAY_HOST_ID;
  hosts.set(doc, host);
  // Absolute at the document origin: children use document coordinates; zero size keeps it out of the layout.
  host.style.cssText = 'position:absolute;top:0;left:0;width:0;height:0;z-index:2147483000;';
  const shadowRoot = host.attachShadow({ mode: __KALKAN_E2E__ ? 'open' : 'closed' });
  signal.addEventListener('abort', () => host.remove(), { once: true });

  const layers = new Map<string, HTMLElement>();
  const tokens = doc.createElement('style');
  tokens.textContent = OVERLAY_THEME_CSS;
  shadowRoot.appendChild(tokens);
  let theme: PageTheme = 'day';
  watchPageTheme(doc, (next) => {
    theme = next;
    for (const layer of layers.values()) layer.setAttribute(THEME_ATTRIBUTE, theme);
  }, signal);
  // Attached on first use: a page where no capability shows anything keeps its HTML untouched.
  const attach = () => {
    if (!host.isConnected && !signal.aborted) doc.documentElement.appendChild(host);
  };
  const listeners = new Set<() => void>();
  let scheduled = false;
  const view = doc.defaultView;
  const requestRelayout = () => {
    if (scheduled || signal.aborted) return;
    scheduled = true;
    const run = () => {
      scheduled = false;
      for (const listener of listeners) listener();
    };
    if (view?.requestAnimationFrame) view.requestAnimationFrame(run);
    else setTimeout(run, 16);
  };
  for (const event of RELAYOUT_EVENTS) view?.addEventListener(event, requestRelayout, { signal, passive: true });
  let translate: Translate | null = null;
  let notice: { element: HTMLElement; timer: ReturnType<typeof setTimeout> } | null = null;
  const guardStyle = doc.createElement('style');
  guardStyle.textContent = GUARD_CSS;
  shadowRoot.appendChild(guardStyle);
  /** Says, beside the control, why the click did nothing; inside a modal dialog, in the dialog (the rest is inert). */
  const notify = (control: Element, refusal: Refusal) => {
    translate ??= createTranslator(language.lang);
    if (notice) {
      clearTimeout(notice.timer);
      notice.element.remove();
    }
    const element = doc.createElement('p');
    element.className = 'kalkan-guard-notice';
    element.setAttribute('role', 'alert');
    element.dataset.refusal = refusal;
    element.textContent = translate(refusal === 'too-soon' ? 'kalkan-guard-too-soon' : 'kalkan-guard-covered');
    const dialog = control.closest('dialog');
    if (dialog) dialog.appendChild(element);
    else {
      const rect = control.getBoundingClientRect();
      element.style.top = `${Math.round(rect.bottom + GUARD_NOTICE_GAP_PX)}px`;
      element.style.insetInlineStart = `${Math.round(language.dir === 'rtl' ? (view?.innerWidth ?? 0) - rect.right : rect.left)}px`;
      overlay.layer(GUARD_LAYER).appendChild(element);
    }
    const timer = setTimeout(() => {
      element.remove();
      if (notice?.element === element) notice = null;
      if (!dialog && layers.get(GUARD_LAYER)?.childElementCount === 0) overlay.removeLayer(GUARD_LAYER);
    }, GUARD_NOTICE_MS);
    notice = { element, timer };
  };
  installClickGuard({
    doc, host, root: shadowRoot, signal, notify, minVisibleMs: __KALKAN_E2E__ ? E2E_MIN_VISIBLE_MS : MIN_VISIBLE_MS,
  });
  signal.addEventListener('abort', () => {
    if (notice) clearTimeout(notice.timer);
  }, { once: true });
  // Collapsible sections, images and fonts move comments without a resize event.
  const resizeObserver = view?.ResizeObserver ? new view.ResizeObserver(requestRelayout) : null;
  resizeObserver?.observe(doc.body ?? doc.documentElement);
  signal.addEventListener('abort', () => resizeObserver?.disconnect(), { once: true });

  const overlay: Overlay = {
    shadowRoot,
    layer(name) {
      let layer = layers.get(name);
      if (!layer) {
        layer = doc.createElement('div');
        layer.className = `kalkan-layer kalkan-layer-${name}`;
        layer.style.cssText = 'position:absolute;top:0;left:0;width:0;height:0;';
        // Text direction and language of Kalkan's own words; positions stay physical (document coordinates).
        layer.lang = language.lang;
        layer.dir = language.dir;
        layer.setAttribute(THEME_ATTRIBUTE, theme);
        shadowRoot.appendChild(layer);
        layers.set(name, layer);
      }
      attach();
      return layer;
    },
    removeLayer(name) {
      layers.get(name)?.remove();
      layers.delete(name);
      if (layers.size === 0) host.remove();
    },
    addStyles(css) {
      const style = doc.createElement('style');
      style.textContent = css;
      shadowRoot.appendChild(style);
    },
    rects(range) {
      const live = doc.createRange();
      try {
        live.setStart(range.startContainer, range.startOffset);
        live.setEnd(range.endContainer, range.endOffset);
      } catch (error) {
        // The page removed or replaced the nodes since the model was built; the next rebuild repositions.
        if (error instanceof DOMException) return [];
        throw error;
      }
      const scrollX = view?.scrollX ?? 0;
      const scrollY = view?.scrollY ?? 0;
      return Array.from(live.getClientRects(), (r) => new DOMRect(r.left + scrollX, r.top + scrollY, r.width, r.height));
    },
    onRelayout(callback, listenerSignal) {
      listeners.add(callback);
      listenerSignal.addEventListener('abort', () => listeners.delete(callback), { once: true });
    },
    requestRelayout,
  };
  return overlay;
}
