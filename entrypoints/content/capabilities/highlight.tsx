import { render } from 'preact';
import browser from 'webextension-polyfill';
import { HIGHLIGHT_LAYER_CSS, HighlightLayer, type Box, type FlaggedView } from '../../../components/HighlightLayer';
import { I18nContext } from '../../../components/I18nContext';
import type { Capability } from '../../../utils/capabilities/registry';
import type { DetectionResult } from '../../../utils/detection/types';
import { HighlightPushSchema, MAX_SCORE_ITEMS, type ScoreItem } from '../../../utils/highlight/messages';
import { forEachSliced, yieldToPage } from '../../../utils/highlight/schedule';
import { commentTextMap, spanToRange, textHash, type CommentTextMap } from '../../../utils/highlight/text-map';
import { createTranslator, directionOf } from '../../../utils/i18n';
import { request } from '../../../utils/messaging/client';
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
 * control that report-controls.ts puts right after the signature (4 px gap + 22 px button).
 */
const BADGE_GAP_PX = 32;
/** Height of a badge (components/HighlightLayer.tsx), to centre it on the line. */
const BADGE_HEIGHT_PX = 24;
/** Room a badge needs at the end of a line; with less, it moves onto the line's end. */
const BADGE_ROOM_PX = 170;
/** Padding of a blur cover around the comment's text. */
const BLUR_PADDING_PX = 2;

const HIGHLIGHT_CSS = `::highlight(${RULE_HIGHLIGHT}) { background-color: rgba(255, 194, 0, 0.45); text-decoration: underline wavy #d73333; }
::highlight(${MODEL_HIGHLIGHT}) { background-color: rgba(255, 194, 0, 0.22); text-decoration: underline dotted #d73333; }`;

interface Scored { hash: string; result: DetectionResult | null }
interface Flagged { comment: CommentItem; result: DetectionResult; map: CommentTextMap; ruleRanges: DomRange[]; modelRanges: DomRange[] }
interface Config { enabled: boolean; blur: boolean; threshold: number }

function measureSlice(startedAt: number, endedAt: number): void {
  performance.measure(SLICE_MEASURE, { start: startedAt, end: endedAt });
}

/** Measures one synchronous piece of main-thread work. */
function timed<T>(work: () => T): T {
  const startedAt = performance.now();
  try {
    return work();
  } finally {
    measureSlice(startedAt, performance.now());
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

class HighlightController {
  private readonly cache = new Map<string, Scored>();
  private readonly revealed = new Set<string>();
  private readonly t = createTranslator(browser.i18n.getUILanguage() || 'en');
  private readonly uiDir = directionOf(browser.i18n.getUILanguage() || 'en');
  private config: Config | null = null;
  private flagged: Flagged[] = [];
  private highlights: HighlightApi | null = null;
  private pass = 0;
  private shown = false;
  private stylesAdded = false;
  private relayoutSignal: AbortController | null = null;

  constructor(private run: PageRun, private readonly signal: AbortSignal) {
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
    const comments = run.model?.comments ?? [];
    const lang = (run.profile.contentLanguage.split('-')[0] ?? 'en').toLowerCase();
    const waiting = new Map<string, { comment: CommentItem; map: CommentTextMap; hash: string }>();
    const found: Flagged[] = [];
    const requests: Array<Promise<void>> = [];
    let batch: ScoreItem[] = [];
    let batchChars = 0;
    const stale = () => pass !== this.pass || this.signal.aborted;

    const accept = (comment: CommentItem, map: CommentTextMap, result: DetectionResult) => {
      const ruleRanges: DomRange[] = [];
      const modelRanges: DomRange[] = [];
      for (const reason of result.reasons) {
        const range = spanToRange(map, reason.span[0], reason.span[1]);
        if (range) (reason.kind === 'rule' ? ruleRanges : modelRanges).push(range);
      }
      found.push({ comment, result, map, ruleRanges, modelRanges });
    };
    const flush = () => {
      if (!batch.length) return;
      const items = batch;
      batch = [];
      batchChars = 0;
      requests.push(request(run.send, { type: 'highlight/score', wikiId: run.profile.wikiId, lang, items }).then((answer) => {
        if (stale()) return;
        timed(() => {
          for (const { id, result } of answer.results) {
            const entry = waiting.get(id);
            if (!entry) continue;
            waiting.delete(id);
            this.cache.set(id, { hash: entry.hash, result });
            if (result) accept(entry.comment, entry.map, result);
          }
        });
      }));
    };

    const completed = await forEachSliced(comments, (comment) => {
      const map = commentTextMap(comment);
      const hash = textHash(map.text);
      const cached = this.cache.get(comment.id);
      if (cached && cached.hash === hash) {
        if (cached.result) accept(comment, map, cached.result);
        return;
      }
      if (!/\S/.test(map.text)) return;
      waiting.set(comment.id, { comment, map, hash });
      batch.push({ id: comment.id, text: map.text, quoted: map.quoted });
      batchChars += map.text.length;
      if (batch.length >= MAX_SCORE_ITEMS || batchChars >= MAX_REQUEST_CHARS) flush();
    }, { signal: this.signal, cancelled: () => pass !== this.pass, onSlice: measureSlice });
    if (!completed) return;
    flush();
    await Promise.all(requests);
    if (stale()) return;
    // Document order, so badges and the tab order follow the page.
    const order = new Map(comments.map((c, i) => [c.id, i]));
    this.flagged = found.sort((a, b) => (order.get(a.comment.id) ?? 0) - (order.get(b.comment.id) ?? 0));
    await yieldToPage();
    if (stale()) return;
    timed(() => this.show());
    performance.mark(DONE_MARK, __KALKAN_E2E__ ? { detail: { flagged: this.flagged.length, comments: comments.length } } : {});
    await this.report(this.flagged.length);
  }

  private report(flagged: number | null): Promise<unknown> {
    return request(this.run.send, { type: 'highlight/flagged', wikiId: this.run.profile.wikiId, title: this.run.page.title, flagged });
  }

  /** Puts the current result on the page (highlights) and in the overlay (badges, covers). */
  private show(): void {
    const overlay = this.run.overlay;
    if (!this.flagged.length) {
      this.teardown();
      return;
    }
    if (!this.shown) {
      this.shown = true;
      this.highlights = cssHighlights(this.run.document);
      if (!this.stylesAdded) overlay.addStyles(HIGHLIGHT_LAYER_CSS);
      this.stylesAdded = true;
      this.relayoutSignal = new AbortController();
      overlay.onRelayout(() => timed(() => this.renderLayer()), AbortSignal.any([this.signal, this.relayoutSignal.signal]));
    }
    this.highlights?.set(RULE_HIGHLIGHT, this.flagged.flatMap((f) => f.ruleRanges));
    this.highlights?.set(MODEL_HIGHLIGHT, this.flagged.flatMap((f) => f.modelRanges));
    this.renderLayer();
  }

  private views(): FlaggedView[] {
    const overlay = this.run.overlay;
    const doc = this.run.document;
    const pageWidth = doc.documentElement.scrollWidth;
    const rtl = this.run.profile.dir === 'rtl';
    const blur = this.config?.blur ?? false;
    return this.flagged.map(({ comment, result, map, ruleRanges, modelRanges }) => {
      const rects = overlay.rects(comment.range).filter((r) => r.width > 0 || r.height > 0);
      const last = rects[rects.length - 1];
      let badge: FlaggedView['badge'] = null;
      if (last) {
        // After the signature at the end of the comment's last line (where DiscussionTools puts "reply").
        const room = rtl ? last.left : pageWidth - last.right;
        const y = last.top + (last.height - BADGE_HEIGHT_PX) / 2;
        badge = rtl
          ? { x: room >= BADGE_ROOM_PX ? last.left - BADGE_GAP_PX : last.left + BADGE_ROOM_PX, y, anchorEnd: true }
          : { x: room >= BADGE_ROOM_PX ? last.right + BADGE_GAP_PX : last.right - BADGE_ROOM_PX, y, anchorEnd: false };
      }
      const cover = blur && !this.revealed.has(comment.id) ? union(rects) : null;
      const boxes = this.highlights ? [] : [...ruleRanges, ...modelRanges].flatMap((range) => overlay.rects(range))
        .map((r) => ({ x: r.left, y: r.top, width: r.width, height: r.height }));
      return {
        id: comment.id,
        category: result.category,
        score: result.score,
        learned: result.learned,
        reasons: result.reasons.map((reason) => ({
          kind: reason.kind, ruleId: reason.ruleId, category: reason.category, weight: reason.weight,
          text: map.text.slice(reason.span[0], reason.span[1]),
        })),
        badge,
        blur: cover && {
          x: cover.x - BLUR_PADDING_PX, y: cover.y - BLUR_PADDING_PX,
          width: cover.width + 2 * BLUR_PADDING_PX, height: cover.height + 2 * BLUR_PADDING_PX,
        },
        boxes,
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
    this.highlights?.clear();
    this.highlights = null;
    this.relayoutSignal?.abort();
    this.relayoutSignal = null;
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
