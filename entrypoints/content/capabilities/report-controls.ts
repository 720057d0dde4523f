import type { Capability } from '../../../utils/capabilities/registry';
import type { Translate } from '../../../utils/i18n';
import { isolate } from '../../../utils/i18n/bidi';
import { lineEndRect } from '../../../utils/i18n/line-edges';
import { request } from '../../../utils/messaging/client';
import type { CommentItem, DomRange, HeadingItem, ThreadItem } from '../../../utils/page-model/types';
import { commentText } from '../../../utils/page-model/text';
import { clipText, MAX_CAPTURES_PER_REQUEST, type CapturedComment } from '../../../utils/reports/draft';
import { sanitizeCommentHtml } from '../../../utils/reports/sanitize';
import { MAX_SNAPSHOT_HTML_CHARS, MAX_SNAPSHOT_TEXT_CHARS } from '../../../utils/reports/schema';
import type { PageRun } from '../run';

/**
 * "Report" controls in the overlay's `report` layer: one beside every signature and every thread heading, and a
 * floating one for a text selection inside a comment. Evidence is captured here (the content script has the
 * DOM) and handed to the background, which seals it, finds the adding revision and opens the report form (an
 * extension page: nothing the user types ever lives in the wiki's page).
 *
 * Long pages: only items within VIEWPORT_MARGIN_PX of the viewport get a control, found by binary search over
 * the model's document order (O(log n) layout reads per frame), and at most MAX_VISIBLE_CONTROLS of them.
 */

export const REPORT_LAYER = 'report';
/** Controls placed per layout; past this the rest of the viewport waits for the next scroll frame. */
export const MAX_VISIBLE_CONTROLS = 150;
/** Items this far above or below the viewport get controls too, so Tab reaches the next one before it shows. */
export const VIEWPORT_MARGIN_PX = 800;
/** How long the "added to report" notice stays. */
export const STATUS_VISIBLE_MS = 6_000;
/** Name of the performance measure around each layout (visible in the page's timeline; read by e2e). */
export const LAYOUT_MEASURE = 'kalkan:report-layout';
/** Gap between a signature's end and its control. */
const CONTROL_GAP_PX = 4;
/** WCAG 2.2 target size (2.5.8): at least 24 × 24 CSS pixels. */
const CONTROL_SIZE_PX = 24;
/** Private-use characters standing in for message parameters (never in user names or headings we fill in). */
const LABEL_MARKERS = ['\uE000', '\uE001'] as const;

const STYLES = `
/* Quiet but visible at rest: glyph and border keep 3:1 against the page (WCAG 1.4.11), so no opacity. */
.kalkan-report-control {
  position: absolute; inline-size: ${CONTROL_SIZE_PX}px; block-size: ${CONTROL_SIZE_PX}px; padding: 0; margin: 0;
  display: grid; place-items: center; font: 13px/1 system-ui, sans-serif; cursor: pointer;
  color: var(--color-subtle, #54595d); background: var(--background-color-base, #fff); border: 1px solid var(--border-color-interactive, #72777d); border-radius: 2px;
}
.kalkan-report-control:hover, .kalkan-report-control:focus-visible { opacity: 1; color: var(--color-destructive, #d73333); border-color: var(--border-color-destructive, #d73333); }
.kalkan-report-control:focus-visible { outline: 2px solid var(--outline-color-progressive--focus, #36c); outline-offset: 1px; }
.kalkan-report-control[data-kind="selection"] { inline-size: auto; padding-inline: 6px; opacity: 1; }
.kalkan-report-control[hidden] { display: none; }
.kalkan-report-status {
  position: fixed; inset-block-end: 16px; inset-inline-end: 16px; max-inline-size: 360px; padding: 8px 12px;
  font: 14px/1.4 system-ui, sans-serif; color: var(--color-base, #202122); background: var(--background-color-progressive-subtle, #eaf3ff); border: 1px solid var(--border-color-progressive, #36c); border-radius: 2px;
}
.kalkan-report-status[data-tone="error"] { background: var(--background-color-error-subtle, #fee7e6); border-color: var(--border-color-destructive, #d73333); }
.kalkan-report-status:empty { display: none; }
@media (prefers-reduced-motion: reduce) { .kalkan-report-control { transition: none; } }
`;

const HEADING_TAGS = 'h1, h2, h3, h4, h5, h6';

/**
 * Where an item's control goes: after its last signature; for a heading, after the whole heading line (the
 * headline's own range ends before MediaWiki's "[edit]" link, which the control would otherwise cover).
 */
function anchorRangeOf(item: ThreadItem): DomRange {
  if (item.type === 'comment') return item.signatureRanges[item.signatureRanges.length - 1] ?? item.range;
  const line = item.headline?.closest(HEADING_TAGS) ?? item.headline;
  if (line) return { startContainer: line, startOffset: 0, endContainer: line, endOffset: line.childNodes.length };
  return item.range;
}

function liveRange(doc: Document, range: DomRange): Range | null {
  const live = doc.createRange();
  try {
    live.setStart(range.startContainer, range.startOffset);
    live.setEnd(range.endContainer, range.endOffset);
  } catch (error) {
    // The page replaced these nodes since the model was built; the next model rebuild brings fresh ranges.
    if (error instanceof DOMException) return null;
    throw error;
  }
  return live;
}

function threadHeadingOf(item: ThreadItem): HeadingItem | null {
  let current: ThreadItem | null = item;
  while (current && current.type !== 'heading') current = current.parent;
  return current;
}

/** Every comment under a heading (sub-threads included), in document order, at most `limit`. */
export function commentsUnder(heading: HeadingItem, limit: number): CommentItem[] {
  const out: CommentItem[] = [];
  const stack: ThreadItem[] = [...heading.replies].reverse();
  while (stack.length && out.length < limit) {
    const item = stack.pop();
    if (!item) break;
    if (item.type === 'comment') out.push(item);
    for (let i = item.replies.length - 1; i >= 0; i -= 1) {
      const reply = item.replies[i];
      if (reply) stack.push(reply);
    }
  }
  return out;
}

/** Inert HTML of plain text (for snapshots whose formatted form is over the limit). */
function textAsHtml(doc: Document, text: string): string {
  const inert = doc.implementation.createHTMLDocument('');
  const holder = inert.createElement('div');
  holder.textContent = text;
  return holder.innerHTML;
}

export class CaptureError extends Error {
  override name = 'CaptureError';
}

export function captureComment(run: PageRun, comment: CommentItem, selection: Range | null, now: Date = new Date()): CapturedComment {
  const { page, document: doc } = run;
  if (!page.pageId || !page.revisionId) {
    throw new CaptureError('This page has no saved revision to point to; reload it and try again.');
  }
  const range = selection ?? liveRange(doc, comment.range);
  if (!range) throw new CaptureError('The comment changed while Kalkan was reading it; try again.');
  const text = clipText(selection ? selection.toString().replace(/\s+/g, ' ').trim() : commentText(comment), MAX_SNAPSHOT_TEXT_CHARS);
  let html = sanitizeCommentHtml(range.cloneContents());
  if (html.length > MAX_SNAPSHOT_HTML_CHARS) html = clipText(textAsHtml(doc, text), MAX_SNAPSHOT_HTML_CHARS);
  const markers = run.model?.source === 'markers';
  const heading = threadHeadingOf(comment);
  return {
    commentId: comment.id || null,
    // DiscussionTools puts each comment's id on the page as an anchor; elsewhere the thread's heading is the target.
    anchor: markers && comment.id ? comment.id : heading?.anchor || null,
    discussionTools: markers,
    author: comment.author,
    timestamp: new Date(comment.utcMs).toISOString(),
    pageTitle: page.title,
    pageId: page.pageId,
    revisionId: page.revisionId,
    text,
    sanitisedHtml: html,
    capturedAt: now.toISOString(),
    partial: selection !== null,
  };
}

/** Index of the comment whose range contains the point, by binary search over document order; -1 if none. */
export function commentAt(doc: Document, comments: readonly CommentItem[], node: Node, offset: number): number {
  let low = 0;
  let high = comments.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const comment = comments[middle];
    const range = comment ? liveRange(doc, comment.range) : null;
    if (!range) return -1;
    const where = range.comparePoint(node, offset);
    if (where === 0) return middle;
    if (where < 0) high = middle - 1;
    else low = middle + 1;
  }
  return -1;
}

interface Target {
  item: ThreadItem;
  kind: 'comment' | 'heading';
}

function targetsOf(run: PageRun): Target[] {
  const model = run.model;
  if (!model) return [];
  const out: Target[] = [];
  for (const item of model.items) {
    if (item.type === 'comment') out.push({ item, kind: 'comment' });
    else if (!item.placeholderHeading && item.headline) out.push({ item, kind: 'heading' });
  }
  return out;
}

function init(run: PageRun, signal: AbortSignal): void {
  const doc = run.document;
  const view = doc.defaultView;
  if (!view) return;
  const t: Translate = run.ui.t;
  // Beside the text: the content's direction, not the interface's (<html dir> follows ?uselang, the text does not).
  const rtl = run.contentDir === 'rtl';
  run.overlay.addStyles(STYLES);
  const layer = run.overlay.layer(REPORT_LAYER);
  const status = doc.createElement('div');
  status.className = 'kalkan-report-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  layer.appendChild(status);
  let statusTimer: ReturnType<typeof setTimeout> | undefined;
  const say = (text: string, tone: 'info' | 'error') => {
    status.textContent = text;
    status.dataset.tone = tone;
    if (statusTimer !== undefined) clearTimeout(statusTimer);
    statusTimer = setTimeout(() => (status.textContent = ''), STATUS_VISIBLE_MS);
  };

  let targets = targetsOf(run);
  let generation = run.generation;
  let busy = false;
  // Tracked from focus events, so layout never has to ask the document what is focused.
  let focusedControl: Element | null = null;
  layer.addEventListener('focusin', (event) => (focusedControl = event.target instanceof Element ? event.target : null), { signal });
  layer.addEventListener('focusout', () => (focusedControl = null), { signal });

  const send = async (items: CapturedComment[]) => {
    if (busy) return;
    busy = true;
    try {
      const answer = await request(run.send, { type: 'report/add-evidence', location: { origin: view.location.origin, scriptPath: run.profile.scriptPath }, items });
      say(t('kalkan-report-control-added', answer.added, answer.evidenceCount), 'info');
      if (answer.overLimit > 0) say(t('kalkan-report-control-over-limit', answer.overLimit), 'error');
    } catch (error) {
      say(t('kalkan-report-control-failed', error instanceof Error ? error.message : String(error)), 'error');
    } finally {
      busy = false;
    }
  };

  const report = (target: Target) => {
    try {
      const comments = target.item.type === 'comment' ? [target.item] : commentsUnder(target.item, MAX_CAPTURES_PER_REQUEST);
      if (!comments.length) {
        say(t('kalkan-report-control-empty-thread'), 'error');
        return;
      }
      void send(comments.map((comment) => captureComment(run, comment, null)));
    } catch (error) {
      if (!(error instanceof CaptureError)) throw error;
      say(t('kalkan-report-control-failed', error.message), 'error');
    }
  };

  // One formatter for all labels: toLocaleString builds a new Intl formatter per call (~1 ms each).
  const dateFormat = new Intl.DateTimeFormat(run.ui.code, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  // The label messages have no PLURAL/GENDER on their parameters, so each is formatted once with markers and
  // filled in per button: formatting through the message parser for every new button cost ~1 ms each.
  const commentLabel = t('kalkan-report-control-comment', LABEL_MARKERS[0], LABEL_MARKERS[1]);
  const threadLabel = t('kalkan-report-control-thread', LABEL_MARKERS[0]);
  const fill = (template: string, ...values: string[]) =>
    values.reduce((text, value, index) => text.replace(LABEL_MARKERS[index] ?? '', () => value), template);
  // The tooltip isolates the user name and heading (an RTL name must not reorder the sentence on screen); the
  // accessible name does not need to, as it is read in logical order.
  const plain = (text: string) => text;
  const labelOf = (target: Target, wrap: (text: string) => string = plain): string =>
    target.item.type === 'comment'
      ? fill(commentLabel, wrap(target.item.author), wrap(dateFormat.format(target.item.utcMs)))
      : fill(threadLabel, wrap(target.item.text));

  /**
   * A pool of buttons, appended in order and never removed while the page runs: each layout assigns the wanted
   * items to the first slots, in document order (so Tab order follows the page), and hides the rest. Removing
   * buttons instead cost 5–10 ms per removal on a 3,000-comment page (measured), far over the frame budget.
   */
  const pool: Array<{ button: HTMLButtonElement; target: Target | null }> = [];
  const slot = (index: number) => {
    let entry = pool[index];
    if (entry) return entry;
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'kalkan-report-control';
    button.textContent = '⚑';
    const created = { button, target: null as Target | null };
    button.addEventListener('click', (event) => {
      // Only the user's own click or key press: a page cannot script a click into a closed shadow root anyway.
      if (event.isTrusted && created.target) report(created.target);
    });
    (pool[pool.length - 1]?.button ?? status).after(button);
    pool.push(created);
    entry = created;
    return entry;
  };
  const assign = (index: number, target: Target, rect: DOMRect) => {
    const entry = slot(index);
    const { button } = entry;
    if (entry.target?.item !== target.item) {
      entry.target = target;
      button.dataset.kind = target.kind;
      button.dataset.itemId = target.item.id;
      button.setAttribute('aria-label', labelOf(target));
      button.title = labelOf(target, isolate);
    }
    const inline = rtl ? rect.left - CONTROL_GAP_PX - CONTROL_SIZE_PX : rect.right + CONTROL_GAP_PX;
    button.style.left = `${Math.round(inline)}px`;
    button.style.top = `${Math.round(rect.top + (rect.height - CONTROL_SIZE_PX) / 2)}px`;
    button.hidden = false;
  };

  // One Range reused for every measurement: each live Range the document holds is updated on every DOM
  // mutation until it is garbage-collected, so creating one per read slowed the whole page down.
  const probe = doc.createRange();
  const lastRect = (range: DomRange): DOMRect | null => {
    try {
      probe.setStart(range.startContainer, range.startOffset);
      probe.setEnd(range.endContainer, range.endOffset);
    } catch (error) {
      // The page replaced these nodes since the model was built; the next model rebuild brings fresh ranges.
      if (error instanceof DOMException) return null;
      throw error;
    }
    // Where the text ends on screen (bidi runs make the last rect the wrong one in RTL; see line-edges.ts).
    const last = lineEndRect(Array.from(probe.getClientRects()), run.contentDir);
    return last ? new DOMRect(last.left + view.scrollX, last.top + view.scrollY, last.width, last.height) : null;
  };

  /** Document-coordinate box of the end of an item's anchor, or null when it is not rendered (collapsed). */
  const topOf = (index: number, cache: Map<number, DOMRect | null>): DOMRect | null => {
    if (cache.has(index)) return cache.get(index) ?? null;
    const target = targets[index];
    const rect = target ? lastRect(anchorRangeOf(target.item)) : null;
    cache.set(index, rect);
    return rect;
  };

  const layout = () => {
    const started = performance.now();
    placeControls();
    // E2e builds only: the page shares the timeline and could tell from it that this reader runs Kalkan.
    if (__KALKAN_E2E__) performance.measure(LAYOUT_MEASURE, { start: started, end: performance.now() });
  };

  const placeControls = () => {
    if (run.generation !== generation) {
      generation = run.generation;
      targets = targetsOf(run);
    }
    const cache = new Map<number, DOMRect | null>();
    const viewTop = view.scrollY - VIEWPORT_MARGIN_PX;
    const viewBottom = view.scrollY + view.innerHeight + VIEWPORT_MARGIN_PX;
    // First item whose anchor is at or below viewTop; hidden items (null) are treated as "above" and skipped.
    let low = 0;
    let high = targets.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const rect = topOf(middle, cache);
      if (rect && rect.bottom >= viewTop) high = middle;
      else low = middle + 1;
    }
    const wanted: Array<{ target: Target; rect: DOMRect }> = [];
    for (let index = Math.max(0, low - 1); index < targets.length && wanted.length < MAX_VISIBLE_CONTROLS; index += 1) {
      const rect = topOf(index, cache);
      if (!rect) continue;
      if (rect.top > viewBottom) break;
      const target = targets[index];
      if (target && rect.bottom >= viewTop) wanted.push({ target, rect });
    }
    // Keep the focused control on its comment: its slot stays, the others shift around it.
    const focusedSlot = pool.findIndex((entry) => entry.button === focusedControl);
    const focusedItem = focusedSlot >= 0 ? pool[focusedSlot]?.target?.item : undefined;
    const focusedWanted = focusedItem ? wanted.findIndex(({ target }) => target.item === focusedItem) : -1;
    const shift = focusedWanted >= 0 ? focusedSlot - focusedWanted : 0;
    const used = new Set<number>();
    for (let index = 0; index < wanted.length; index += 1) {
      const at = index + shift;
      const want = wanted[index];
      if (at < 0 || !want) continue;
      if (at >= MAX_VISIBLE_CONTROLS) break;
      assign(at, want.target, want.rect);
      used.add(at);
    }
    for (let index = 0; index < pool.length; index += 1) {
      const entry = pool[index];
      if (entry && !used.has(index) && !entry.button.hidden) {
        entry.button.hidden = true;
        entry.target = null;
      }
    }
  };

  // ---- selection ----------------------------------------------------------------------------------------------
  const selectionButton = doc.createElement('button');
  selectionButton.type = 'button';
  selectionButton.className = 'kalkan-report-control';
  selectionButton.dataset.kind = 'selection';
  selectionButton.textContent = `⚑ ${t('kalkan-report-control-selection-short')}`;
  selectionButton.hidden = true;
  let selected: { range: Range; comment: CommentItem } | null = null;
  // Keeps the page's selection when the button is pressed with the mouse.
  selectionButton.addEventListener('mousedown', (event) => event.preventDefault());
  selectionButton.addEventListener('click', (event) => {
    if (!event.isTrusted || !selected) return;
    try {
      void send([captureComment(run, selected.comment, selected.range)]);
    } catch (error) {
      if (!(error instanceof CaptureError)) throw error;
      say(t('kalkan-report-control-failed', error.message), 'error');
    }
  });
  layer.appendChild(selectionButton);

  let selectionScheduled = false;
  const onSelection = () => {
    if (selectionScheduled) return;
    selectionScheduled = true;
    view.requestAnimationFrame(() => {
      selectionScheduled = false;
      const selection = view.getSelection();
      const comments = run.model?.comments ?? [];
      selected = null;
      if (selection && !selection.isCollapsed && selection.rangeCount === 1 && comments.length) {
        const range = selection.getRangeAt(0);
        const index = commentAt(doc, comments, range.startContainer, range.startOffset);
        const comment = comments[index];
        const whole = comment ? liveRange(doc, comment.range) : null;
        // Only a selection that lies inside one comment: evidence is about one author's words.
        if (comment && whole && whole.comparePoint(range.endContainer, range.endOffset) === 0) selected = { range: range.cloneRange(), comment };
      }
      if (!selected) {
        selectionButton.hidden = true;
        return;
      }
      const last = lineEndRect(Array.from(selected.range.getClientRects()), run.contentDir);
      if (!last) return;
      selectionButton.hidden = false;
      selectionButton.setAttribute('aria-label', t('kalkan-report-control-selection', selected.comment.author));
      selectionButton.style.left = `${Math.round((rtl ? last.left - CONTROL_SIZE_PX : last.right + CONTROL_GAP_PX) + view.scrollX)}px`;
      selectionButton.style.top = `${Math.round(last.bottom + CONTROL_GAP_PX + view.scrollY)}px`;
    });
  };
  doc.addEventListener('selectionchange', onSelection, { signal });

  view.addEventListener('scroll', () => run.overlay.requestRelayout(), { signal, passive: true });
  run.overlay.onRelayout(layout, signal);
  signal.addEventListener('abort', () => {
    if (statusTimer !== undefined) clearTimeout(statusTimer);
  });
  run.overlay.requestRelayout();
}

export const reportControlsCapability: Capability<PageRun> = {
  id: 'report-controls',
  appliesTo: (run) => run.model !== null && run.model.comments.length > 0,
  init,
  // The model was rebuilt: the next layout (requested by run.ts) notices the new generation.
  update: (run) => run.overlay.requestRelayout(),
};
