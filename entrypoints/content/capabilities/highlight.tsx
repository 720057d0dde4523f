import { render } from 'preact';
import browser from 'webextension-polyfill';
import { HIGHLIGHT_LAYER_CSS, HighlightLayer, type Box, type FlaggedView } from '../../../components/HighlightLayer';
import { I18nContext } from '../../../components/I18nContext';
import type { Capability } from '../../../utils/capabilities/registry';
import type { DetectionResult } from '../../../utils/detection/types';
import { HighlightPushSchema, MAX_SCORE_ITEMS, type ScoreItem } from '../../../utils/highlight/messages';
import { afterLayout, placeLazily } from '../../../utils/highlight/placement';
import { forEachSliced } from '../../../utils/highlight/schedule';
import { CommentTextReader, commentTextMap, findQuotes, quotesByComment, spanToRange } from '../../../utils/highlight/text-map';
import { cachedTranslator } from '../../../utils/i18n/cached-translator';
import { lineEndRect } from '../../../utils/i18n/line-edges';
import { request, type Transport } from '../../../utils/messaging/client';
import { isElement } from '../../../utils/page-model/dom';
import type { CommentItem, DomRange } from '../../../utils/page-model/types';
import type { PageRun } from '../run';

/**
 * Capability 'highlight': scores every comment of the page model (in the background, off the main thread),
 * marks the matched words with the CSS Custom Highlight API (no DOM nodes; overlay boxes where the API is
 * missing), and puts a badge with the category beside each flagged comment, whose popover explains why.
 * Switching it off removes everything, so the page's HTML is back byte for byte.
 */

export const LAYER = 'highlight';
/** Names in the document's highlight registry (and the ::highlight() rules that colour them). */
export const RULE_HIGHLIGHT = 'kalkan-hl-rule';
export const MODEL_HIGHLIGHT = 'kalkan-hl-model';
/** Performance measure around each main-thread slice of highlighting work (summed by scripts/bench-highlight.ts). */
export const SLICE_MEASURE = 'kalkan:highlight';
/** Mark set when a scoring pass finished and its result is on screen. */
export const DONE_MARK = 'kalkan:highlight-done';
/** Characters of comment text per score request (bounds one structured clone on the main thread). */
export const MAX_REQUEST_CHARS = 200_000;
/**
 * Space between the end of a comment's last line and its badge, in CSS pixels: leaves room for the report
 * control that report-controls.ts puts right after the signature (4 px gap + 24 px button).
 */
const BADGE_GAP_PX = 32;
/** Height of a badge (components/HighlightLayer.tsx), to centre it on the line. */
const BADGE_HEIGHT_PX = 24;
/** Room a badge needs at the end of a line; with less, it moves onto the line's end. */
const BADGE_ROOM_PX = 170;
/**
 * Largest page (elements) on which the CSS Custom Highlight API is used. Its ::highlight() rules must live in a
 * document stylesheet, and adopting one makes the browser recompute the style of every element: 250–300 ms on
 * the 1 MB enwiki archive (scripts/bench-highlight.ts). Bigger pages get overlay boxes (no style change at all).
 */
export const CSS_HIGHLIGHT_MAX_ELEMENTS = 5_000;
/** Padding of a blur cover around the comment's text. */
const BLUR_PADDING_PX = 2;

/** The wiki's night theme (MediaWiki's classes on <html>; see entrypoints/content/overlay-theme.ts). */
const NIGHT_SELECTORS = { night: '.skin-theme-clientpref-night', os: '.skin-theme-clientpref-os' } as const;
/** On a dark page: a dimmer yellow that keeps the light text readable, and Codex's dark-mode destructive red. */
const NIGHT_HIGHLIGHT = 'background-color: rgba(255, 194, 0, 0.28); text-decoration-color: #fd7865;';
const HIGHLIGHT_CSS = `::highlight(${RULE_HIGHLIGHT}) { background-color: rgba(255, 194, 0, 0.45); text-decoration: underline wavy #d73333; }
::highlight(${MODEL_HIGHLIGHT}) { background-color: rgba(255, 194, 0, 0.22); text-decoration: underline dotted #d73333; }
${NIGHT_SELECTORS.night} ::highlight(${RULE_HIGHLIGHT}), ${NIGHT_SELECTORS.night} ::highlight(${MODEL_HIGHLIGHT}) { ${NIGHT_HIGHLIGHT} }
@media (prefers-color-scheme: dark) { ${NIGHT_SELECTORS.os} ::highlight(${RULE_HIGHLIGHT}), ${NIGHT_SELECTORS.os} ::highlight(${MODEL_HIGHLIGHT}) { ${NIGHT_HIGHLIGHT} } }`;

/** A comment's last scored text and result (compared as a string: cheaper than hashing every comment). */
interface Scored { text: string; result: DetectionResult | null }
/** Where a flagged comment's badge, blur cover and fallback boxes go (document coordinates). */
interface Placed { badge: FlaggedView['badge']; cover: Box | null; boxes: Box[] }
/** `index`: the comment's place in the model (document order). */
interface Flagged { comment: CommentItem; index: number; result: DetectionResult; text: string; ruleRanges: DomRange[]; modelRanges: DomRange[] }
interface Config { enabled: boolean; blur: boolean; threshold: number }

/** Which step a slice belongs to (named in e2e builds, where the benchmark reads it). */
type Step = 'text' | 'results' | 'show' | 'highlights' | 'relayout';

function measureSlice(startedAt: number, endedAt: number, step: Step = 'text'): void {
  // E2e builds only: the page shares the timeline and could tell from it that this reader runs Kalkan.
  if (__KALKAN_E2E__) performance.measure(SLICE_MEASURE, { start: startedAt, end: endedAt, detail: { step } });
}

/** Measures one synchronous piece of main-thread work. */
function timed<T>(step: Step, work: () => T): T {
  const startedAt = performance.now();
  try {
    return work();
  } finally {
    measureSlice(startedAt, performance.now(), step);
  }
}

interface HighlightApi {
  set(name: string, ranges: DomRange[]): void;
  clear(): void;
}

/**
 * The CSS Custom Highlight API with its ::highlight rules in an adopted stylesheet (not a node in the page), or
 * null where the browser lacks it or refuses a content script's sheet (then the overlay draws boxes instead).
 */
function cssHighlights(doc: Document): HighlightApi | null {
  // item(n) walks the page's elements only up to the limit; length counts all of them (≈ 5 ms a load in a CPU
  // profile of the 11,645-element archive).
  if (doc.getElementsByTagName('*').item(CSS_HIGHLIGHT_MAX_ELEMENTS) !== null) return null;
  interface HighlightWindow {
    CSS?: { highlights?: Map<string, object> };
    Highlight?: new (...ranges: AbstractRange[]) => object;
    StaticRange?: typeof StaticRange;
    CSSStyleSheet: typeof CSSStyleSheet;
  }
  const view = doc.defaultView as (HighlightWindow & object) | null;
  const registry = view?.CSS?.highlights;
  const HighlightCtor = view?.Highlight;
  const StaticRangeCtor = view?.StaticRange;
  if (!view || !registry || !HighlightCtor || !StaticRangeCtor) return null;
  let sheet: CSSStyleSheet | null = null;
  try {
    sheet = new view.CSSStyleSheet();
    sheet.replaceSync(HIGHLIGHT_CSS);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  } catch (error) {
    // Firefox may refuse a sheet constructed in a content script's compartment: fall back to overlay boxes.
    console.info('[kalkan] CSS highlights unavailable, using overlay boxes:', error);
    return null;
  }
  const names = new Set<string>();
  return {
    set(name, ranges) {
      names.add(name);
      registry.set(name, new HighlightCtor(...ranges.map((r) => new StaticRangeCtor(r))));
    },
    clear() {
      for (const name of names) registry.delete(name);
      names.clear();
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    },
  };
}

/**
 * The element whose visibility stands for a comment in the placement's IntersectionObserver: the one holding the
 * comment's last timestamp (where its badge goes), else its end.
 */
function anchorOf(comment: CommentItem): Element | null {
  const node = comment.timestampRanges[comment.timestampRanges.length - 1]?.startContainer ?? comment.range.endContainer;
  return isElement(node) ? node : node.parentElement;
}

/** The comment from its last timestamp to its end (its signature line), or null without a timestamp. */
function tailOf(comment: CommentItem): DomRange | null {
  const timestamp = comment.timestampRanges[comment.timestampRanges.length - 1];
  if (!timestamp) return null;
  const { endContainer, endOffset } = comment.range;
  return { startContainer: timestamp.startContainer, startOffset: timestamp.startOffset, endContainer, endOffset };
}

function union(rects: DOMRect[]): Box | null {
  if (!rects.length) return null;
  let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
  for (const r of rects) {
    if (r.width === 0 && r.height === 0) continue;
    left = Math.min(left, r.left); top = Math.min(top, r.top);
    right = Math.max(right, r.right); bottom = Math.max(bottom, r.bottom);
  }
  return left === Infinity ? null : { x: left, y: top, width: right - left, height: bottom - top };
}

function sameBox(a: Box | null, b: Box | null): boolean {
  return a === b || (a !== null && b !== null && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height);
}

/** Whether a relayout left a comment's badge, cover and boxes where they were (then nothing is drawn again). */
function samePlace(a: Placed, b: Placed): boolean {
  const badge = a.badge === b.badge || (a.badge !== null && b.badge !== null && a.badge.x === b.badge.x && a.badge.y === b.badge.y
    && a.badge.anchorEnd === b.badge.anchorEnd);
  return badge && sameBox(a.cover, b.cover) && a.boxes.length === b.boxes.length && a.boxes.every((box, i) => sameBox(box, b.boxes[i] ?? null));
}

class HighlightController {
  private readonly cache = new Map<string, Scored>();
  private readonly revealed = new Set<string>();
  private readonly t: PageRun['ui']['t'];
  private readonly uiDir: 'ltr' | 'rtl';
  private config: Config | null = null;
  private flagged: Flagged[] = [];
  private highlights: HighlightApi | null = null;
  private pass = 0;
  private shown = false;
  private stylesAdded = false;
  private relayoutSignal: AbortController | null = null;
  private relayoutPending = false;
  /** Geometry of the flagged comments placed so far (by comment id). */
  private readonly placed = new Map<string, Placed>();
  /** The placement in progress (aborted by a newer pass or teardown). */
  private placing: AbortController | null = null;

  constructor(private run: PageRun, private readonly signal: AbortSignal) {
    this.t = cachedTranslator(run.ui.t);
    this.uiDir = run.ui.dir;
    signal.addEventListener('abort', () => this.teardown(), { once: true });
  }

  async start(): Promise<void> {
    const listener = (message: unknown) => {
      if (HighlightPushSchema.safeParse(message).success) void this.reload().catch((error: unknown) => console.error('[kalkan] highlight reload failed:', error));
      // Not ours: return nothing, so other listeners can answer.
      return undefined;
    };
    browser.runtime.onMessage.addListener(listener);
    this.signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(listener), { once: true });
    await this.reload();
  }

  /** Settings changed: drop cached scores (threshold/categories/packs may differ), read the settings, run again. */
  async reload(): Promise<void> {
    this.cache.clear();
    this.config = await request(this.run.send, { type: 'highlight/config', wikiId: this.run.profile.wikiId });
    if (this.signal.aborted) return;
    if (!this.config.enabled) {
      this.pass += 1; // cancels a running pass
      this.teardown();
      await this.report(null);
      return;
    }
    await this.score();
  }

  /** The page model was rebuilt: score again, reusing the scores of comments whose text did not change. */
  async update(run: PageRun): Promise<void> {
    this.run = run;
    if (this.config?.enabled) await this.score();
  }

  private async score(): Promise<void> {
    const pass = ++this.pass;
    const run = this.run;
    const model = run.model;
    const comments = model?.comments ?? [];
    const lang = (run.profile.contentLanguage.split('-')[0] ?? 'en').toLowerCase();
    const waiting = new Map<string, { comment: CommentItem; index: number; text: string }>();
    const found: Flagged[] = [];
    const requests: Array<Promise<void>> = [];
    let batch: ScoreItem[] = [];
    let batchChars = 0;
    const stale = () => pass !== this.pass || this.signal.aborted;

    const accept = (comment: CommentItem, index: number, text: string, result: DetectionResult) => {
      const ruleRanges: DomRange[] = [];
      const modelRanges: DomRange[] = [];
      // The source map is built only for flagged comments (a walk over their nodes); it must give the scored text.
      const map = commentTextMap(comment);
      if (map.text === text) {
        for (const reason of result.reasons) {
          const range = spanToRange(map, reason.span[0], reason.span[1]);
          if (range) (reason.kind === 'rule' ? ruleRanges : modelRanges).push(range);
        }
      }
      found.push({ comment, index, result, text, ruleRanges, modelRanges });
    };
    const flush = () => {
      if (!batch.length) return;
      const items = batch;
      batch = [];
      batchChars = 0;
      // request() validates the answer as soon as it arrives, before our callback: measured from the arrival.
      let arrivedAt = 0;
      const send: Transport = (message) => run.send(message).then((raw) => {
        arrivedAt = performance.now();
        return raw;
      });
      requests.push(request(send, { type: 'highlight/score', wikiId: run.profile.wikiId, lang, items }).then((answer) => {
        if (stale()) return;
        for (const { id, result } of answer.results) {
          const entry = waiting.get(id);
          if (!entry) continue;
          waiting.delete(id);
          this.cache.set(id, { text: entry.text, result });
          if (result) accept(entry.comment, entry.index, entry.text, result);
        }
        // Comments not in the answer were not flagged (the background answers only for flagged ones).
        for (const item of items) {
          const entry = waiting.get(item.id);
          if (!entry) continue;
          waiting.delete(item.id);
          this.cache.set(item.id, { text: entry.text, result: null });
        }
        measureSlice(arrivedAt || performance.now(), performance.now(), 'results');
      }));
    };

    const reader = timed('text', () => new CommentTextReader(run.document));
    // One query and a binary search per quotation, so reading a comment needs no position comparison for quotes.
    let inside: Map<CommentItem, Element[]> | null = null;
    const completed = await forEachSliced(comments, (comment, index) => {
      inside ??= model ? quotesByComment(run.document, comments, findQuotes(model.root)) : new Map();
      let read;
      try {
        read = reader.read(comment, inside.get(comment) ?? []);
      } catch (error) {
        // The page removed the comment's nodes since the model was built; the rebuild that follows scores it.
        if (error instanceof DOMException) return;
        throw error;
      }
      const { text, quoted } = read;
      const cached = this.cache.get(comment.id);
      // Same text as last pass (a model rebuild): the score stands. Comparing strings is cheaper than hashing them.
      if (cached && cached.text === text) {
        if (cached.result) accept(comment, index, text, cached.result);
        return;
      }
      if (!/\S/.test(text)) return;
      waiting.set(comment.id, { comment, index, text });
      batch.push({ id: comment.id, text, quoted });
      batchChars += text.length;
      if (batch.length >= MAX_SCORE_ITEMS || batchChars >= MAX_REQUEST_CHARS) flush();
    }, { signal: this.signal, cancelled: () => pass !== this.pass, onSlice: (a, b) => measureSlice(a, b, 'text') });
    if (!completed || stale()) return;
    timed('text', flush);
    await Promise.all(requests);
    if (stale()) return;
    // Document order, so badges and the tab order follow the page.
    this.flagged = timed('results', () => found.sort((a, b) => a.index - b.index));
    await this.show(stale);
    if (stale()) return;
    if (__KALKAN_E2E__) performance.mark(DONE_MARK, { detail: { flagged: this.flagged.length, comments: comments.length } });
    await timed('show', () => this.report(this.flagged.length));
  }

  private report(flagged: number | null): Promise<unknown> {
    return request(this.run.send, { type: 'highlight/flagged', wikiId: this.run.profile.wikiId, title: this.run.page.title, flagged });
  }

  /**
   * Puts the current result on the page (highlights) and in the overlay (badges, covers), resolving once every
   * flagged comment is placed. Geometry is read lazily (utils/highlight/placement.ts): comments near the viewport
   * first, the rest when the page is idle, never by forcing a layout of the page.
   */
  private async show(stale: () => boolean): Promise<void> {
    const overlay = this.run.overlay;
    this.placing?.abort();
    this.placing = null;
    this.placed.clear();
    if (!this.flagged.length) {
      timed('show', () => this.teardown());
      return;
    }
    timed('highlights', () => {
      if (!this.shown) {
        this.shown = true;
        this.highlights = cssHighlights(this.run.document);
        if (!this.stylesAdded) overlay.addStyles(HIGHLIGHT_LAYER_CSS);
        this.stylesAdded = true;
        this.relayoutSignal = new AbortController();
        overlay.onRelayout(() => timed('relayout', () => this.requestRelayout()), AbortSignal.any([this.signal, this.relayoutSignal.signal]));
      }
      this.highlights?.set(RULE_HIGHLIGHT, this.flagged.flatMap((f) => f.ruleRanges));
      this.highlights?.set(MODEL_HIGHLIGHT, this.flagged.flatMap((f) => f.modelRanges));
      // Badges appear as they are placed; the layer (and its count for screen readers) is there from the start.
      this.renderLayer();
    });
    const placing = new AbortController();
    this.placing = placing;
    const doc = this.run.document;
    let pageWidth = 0;
    // Its set-up (an observer per anchor) is main-thread work of this pass too: measured with the highlights.
    await timed('highlights', () => placeLazily(this.flagged, (f) => anchorOf(f.comment), {
      // Read once per wave: scrollWidth is layout too.
      begin: () => { pageWidth = doc.documentElement.scrollWidth; },
      read: (f) => this.placed.set(f.comment.id, this.geometry(f, pageWidth)),
      commit: () => this.renderLayer(),
    }, {
      view: doc.defaultView, signal: AbortSignal.any([this.signal, placing.signal]), layoutTarget: doc.documentElement,
      onSlice: (a, b) => { if (!stale()) measureSlice(a, b, 'show'); },
    }));
    if (this.placing === placing) this.placing = null;
  }

  /**
   * The page's layout may have changed (overlay: resize, the body's size, a model rebuild): re-read the placed
   * comments' geometry right after the browser's next layout (`afterLayout`), where reading it forces no layout of
   * its own, and draw again only what moved. Before anything is placed there is nothing to move: every placement
   * wave reads fresh geometry anyway.
   */
  private requestRelayout(): void {
    const scope = this.relayoutSignal;
    if (this.relayoutPending || !this.placed.size || !scope) return;
    this.relayoutPending = true;
    const doc = this.run.document;
    afterLayout(doc.defaultView, doc.documentElement, () => {
      this.relayoutPending = false;
      if (!this.shown || this.signal.aborted) return;
      timed('relayout', () => {
        const pageWidth = doc.documentElement.scrollWidth;
        let moved = false;
        for (const f of this.flagged) {
          const before = this.placed.get(f.comment.id);
          if (!before) continue;
          const after = this.geometry(f, pageWidth);
          if (samePlace(before, after)) continue;
          this.placed.set(f.comment.id, after);
          moved = true;
        }
        if (moved) this.renderLayer();
      });
    }, AbortSignal.any([this.signal, scope.signal]));
  }

  /** One flagged comment's badge position, cover and (without CSS highlights) boxes: layout reads only. */
  private geometry({ comment, ruleRanges, modelRanges }: Flagged, pageWidth: number): Placed {
    const overlay = this.run.overlay;
    const rtl = this.run.contentDir === 'rtl';
    const shown = (range: DomRange) => overlay.rects(range).filter((r) => r.width > 0 || r.height > 0);
    // The comment's last line is its signature's: its tail from the last timestamp on has a few rects, where the
    // whole comment has one per line and element (hundreds for a long comment, read again on every relayout).
    const tail = tailOf(comment);
    let lineRects = tail ? shown(tail) : [];
    if (!lineRects.length) lineRects = shown(comment.range);
    const last = lineEndRect(lineRects, this.run.contentDir);
    let badge: FlaggedView['badge'] = null;
    if (last) {
      // After the signature at the end of the comment's last line (where DiscussionTools puts "reply").
      const room = rtl ? last.left : pageWidth - last.right;
      const y = last.top + (last.height - BADGE_HEIGHT_PX) / 2;
      badge = rtl
        ? { x: room >= BADGE_ROOM_PX ? last.left - BADGE_GAP_PX : last.left + BADGE_ROOM_PX, y, anchorEnd: true }
        : { x: room >= BADGE_ROOM_PX ? last.right + BADGE_GAP_PX : last.right - BADGE_ROOM_PX, y, anchorEnd: false };
    }
    // The whole comment's box only where it is drawn: a blur cover (a settings change starts a new pass).
    const cover = this.config?.blur ? union(shown(comment.range)) : null;
    const boxes = this.highlights ? [] : [...ruleRanges, ...modelRanges].flatMap((range) => overlay.rects(range))
      .map((r) => ({ x: r.left, y: r.top, width: r.width, height: r.height }));
    return {
      badge, boxes,
      cover: cover && {
        x: cover.x - BLUR_PADDING_PX, y: cover.y - BLUR_PADDING_PX,
        width: cover.width + 2 * BLUR_PADDING_PX, height: cover.height + 2 * BLUR_PADDING_PX,
      },
    };
  }

  /** Every flagged comment's view; one not placed yet has no badge, cover or boxes (yet). No layout reads. */
  private views(): FlaggedView[] {
    const blur = this.config?.blur ?? false;
    return this.flagged.map(({ comment, result, text }) => {
      const placed = this.placed.get(comment.id);
      return {
        id: comment.id,
        category: result.category,
        score: result.score,
        learned: result.learned,
        reasons: result.reasons.map((reason) => ({
          kind: reason.kind, ruleId: reason.ruleId, category: reason.category, weight: reason.weight,
          text: text.slice(reason.span[0], reason.span[1]),
        })),
        badge: placed?.badge ?? null,
        blur: blur && !this.revealed.has(comment.id) ? placed?.cover ?? null : null,
        boxes: placed?.boxes ?? [],
      };
    });
  }

  private renderLayer(): void {
    if (!this.shown || this.signal.aborted) return;
    const layer = this.run.overlay.layer(LAYER);
    render(
      <I18nContext.Provider value={this.t}>
        <HighlightLayer items={this.views()} threshold={this.config?.threshold ?? 0.5} dir={this.uiDir}
          onReveal={(id) => {
            this.revealed.add(id);
            this.renderLayer();
          }} />
      </I18nContext.Provider>,
      layer,
    );
  }

  /** Removes every trace: highlights, the adopted sheet, the layer (and with it, the overlay host if empty). */
  teardown(): void {
    this.placing?.abort();
    this.placing = null;
    this.placed.clear();
    this.highlights?.clear();
    this.highlights = null;
    this.relayoutSignal?.abort();
    this.relayoutSignal = null;
    this.relayoutPending = false;
    if (this.shown) {
      render(null, this.run.overlay.layer(LAYER));
      this.run.overlay.removeLayer(LAYER);
    }
    this.shown = false;
    this.flagged = [];
  }
}

const controllers = new WeakMap<AbortSignal, HighlightController>();

export const highlightCapability: Capability<PageRun> = {
  id: 'highlight',
  appliesTo: (run) => run.model !== null,
  init: async (run, signal) => {
    const controller = new HighlightController(run, signal);
    controllers.set(signal, controller);
    await controller.start();
  },
  update: (run, signal) => controllers.get(signal)?.update(run),
};
