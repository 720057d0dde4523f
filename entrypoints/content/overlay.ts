import type { DomRange } from '../../utils/page-model/types';

/**
 * Kalkan's one in-page surface: a single host element holding a closed shadow root (open only in e2e builds, for
 * the accessibility checker), in which every capability gets a named layer. Items are positioned in document
 * coordinates from the page model's ranges, so the wiki's own DOM is never rewritten; removing the host restores
 * the page exactly. It holds controls, badges and highlights only — never a form the user types into.
 */
export const OVERLAY_HOST_ID = 'kalkan-overlay';
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

export function createOverlay(doc: Document, signal: AbortSignal): Overlay {
  doc.getElementById(OVERLAY_HOST_ID)?.remove();
  const host = doc.createElement('div');
  host.id = OVERLAY_HOST_ID;
  // Absolute at the document origin: children use document coordinates; zero size keeps it out of the layout.
  host.style.cssText = 'position:absolute;top:0;left:0;width:0;height:0;z-index:2147483000;';
  const shadowRoot = host.attachShadow({ mode: __KALKAN_E2E__ ? 'open' : 'closed' });
  signal.addEventListener('abort', () => host.remove(), { once: true });

  const layers = new Map<string, HTMLElement>();
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
  // Collapsible sections, images and fonts move comments without a resize event.
  const resizeObserver = view?.ResizeObserver ? new view.ResizeObserver(requestRelayout) : null;
  resizeObserver?.observe(doc.body ?? doc.documentElement);
  signal.addEventListener('abort', () => resizeObserver?.disconnect(), { once: true });

  return {
    shadowRoot,
    layer(name) {
      let layer = layers.get(name);
      if (!layer) {
        layer = doc.createElement('div');
        layer.className = `kalkan-layer kalkan-layer-${name}`;
        layer.style.cssText = 'position:absolute;top:0;left:0;width:0;height:0;';
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
}
