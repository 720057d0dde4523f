/**
 * The one page watcher (STYLE.md principle 5): a single MutationObserver whose records are coalesced per
 * animation frame (or idle callback, or a short timer where neither exists), ignoring Kalkan's own `kalkan-`
 * nodes, reporting which top-level sections of the root changed, and asking for a full rescan when too many
 * nodes changed at once. Stops when the signal aborts.
 */

/** Changed nodes in one batch past which per-section updates are pointless and a full rescan is cheaper. */
export const FULL_RESCAN_THRESHOLD = 200;

/** Fallback delay when the environment has neither requestAnimationFrame nor requestIdleCallback. */
export const FALLBACK_FLUSH_MS = 16;

export interface PageChange {
  /** Children of the root (sections, headings, paragraphs) that contain a change, in document order. */
  sections: Node[];
  /** True when the batch was too large (or touched the root itself): rebuild the whole model. */
  fullRescan: boolean;
  /** Number of added/removed/changed nodes in the batch (Kalkan's own excluded). */
  changedNodes: number;
}

export interface WatchOptions {
  signal: AbortSignal;
  threshold?: number;
  /** Schedule the flush (tests inject a synchronous or manual scheduler). */
  schedule?: (flush: () => void) => void;
}

const KALKAN_PREFIX = 'kalkan-';

/** Kalkan's own overlays: ids or classes starting with "kalkan-", and anything inside them. */
export function isKalkanNode(node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode) {
    if (n.nodeType !== 1) continue;
    const el = n as Element;
    if (el.id && el.id.startsWith(KALKAN_PREFIX)) return true;
    const cls = el.getAttribute('class');
    if (cls && cls.split(/\s+/).some((c) => c.startsWith(KALKAN_PREFIX))) return true;
  }
  return false;
}

type Scheduler = (flush: () => void) => void;

function defaultScheduler(): Scheduler {
  const g = globalThis as {
    requestAnimationFrame?: (cb: () => void) => number;
    requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number;
  };
  if (typeof g.requestAnimationFrame === 'function') {
    const raf = g.requestAnimationFrame.bind(globalThis);
    return (flush) => { raf(flush); };
  }
  if (typeof g.requestIdleCallback === 'function') {
    const ric = g.requestIdleCallback.bind(globalThis);
    return (flush) => { ric(flush, { timeout: 100 }); };
  }
  return (flush) => { setTimeout(flush, FALLBACK_FLUSH_MS); };
}

function sectionOf(root: Node, node: Node): Node | null {
  let n: Node | null = node;
  while (n && n.parentNode !== root) {
    if (n === root) return null;
    n = n.parentNode;
  }
  return n;
}

/**
 * Calls `onChange` at most once per frame with the batch's changed sections. Returns nothing: abort the signal
 * to stop (WXT content-script contexts provide one).
 */
export function watchPage(root: Node, onChange: (change: PageChange) => void, options: WatchOptions): void {
  const { signal } = options;
  if (signal.aborted) return;
  const threshold = options.threshold ?? FULL_RESCAN_THRESHOLD;
  const schedule = options.schedule ?? defaultScheduler();
  const view = (root.ownerDocument ?? (root as Document)).defaultView as (Window & typeof globalThis) | null;
  const Observer = view?.MutationObserver ?? globalThis.MutationObserver;
  if (!Observer) throw new Error('This page has no MutationObserver: Kalkan cannot follow changes on it; reload the page.');

  let pending: MutationRecord[] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (signal.aborted) return;
    const records = pending;
    pending = [];
    const sections = new Set<Node>();
    let changedNodes = 0;
    let fullRescan = false;
    const note = (node: Node, target: Node): void => {
      if (isKalkanNode(node)) return;
      changedNodes++;
      if (fullRescan) return;
      if (target === root) {
        // A section was added or removed at the top: its neighbours' structure may shift; rescan.
        fullRescan = true;
        return;
      }
      const section = sectionOf(root, target);
      if (section) sections.add(section);
    };
    for (const r of records) {
      if (isKalkanNode(r.target)) continue;
      if (r.type === 'childList') {
        r.addedNodes.forEach((n) => note(n, r.target));
        r.removedNodes.forEach((n) => note(n, r.target));
      } else {
        note(r.target, r.target.parentNode ?? r.target);
      }
      if (changedNodes > threshold) fullRescan = true;
    }
    if (changedNodes === 0) return;
    const ordered = [...sections].filter((s) => s.parentNode === root);
    ordered.sort((a, b) => (a.compareDocumentPosition(b) & 4 ? -1 : 1));
    onChange({ sections: fullRescan ? [] : ordered, fullRescan, changedNodes });
  };

  const observer = new Observer((records) => {
    if (signal.aborted) return;
    pending.push(...records);
    if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    pending = [];
  }, { once: true });
}
