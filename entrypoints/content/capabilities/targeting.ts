import type { Capability } from '../../../utils/capabilities/registry';
import { isolate } from '../../../utils/i18n/bidi';
import { lineStartRect } from '../../../utils/i18n/line-edges';
import { request } from '../../../utils/messaging/client';
import type { CommentItem } from '../../../utils/page-model/types';
import { observeModelSliced, type FlagOf } from '../../../utils/targeting/observe';
import { pageTargeting, type PageTargetingPair } from '../../../utils/targeting/rank';
import { DEFAULT_TARGETING_SETTING, MAX_OBSERVATIONS_PER_REQUEST, type InteractionObservation } from '../../../utils/targeting/schema';
import type { PageRun } from '../run';

/**
 * Repeated targeting on the page: sends this page's reply/mention edges to the background's interaction log
 * (public facts the page shows; the log lives in the extension's database), and when one author addressed the
 * same user at least N times here, puts a quiet indicator on those comments in the overlay layer 'targeting'
 * that opens the patroller's pair view. Indicators are buttons in the closed shadow root, never page markup.
 */

export const LAYER = 'targeting';
/** Pixels between the indicator and the comment's first line. */
const INDICATOR_GAP_PX = 4;
/** WCAG 2.2 target size (2.5.8): at least 24 × 24 CSS pixels. */
const INDICATOR_SIZE_PX = 24;

const STYLES = `
.kalkan-targeting-indicator {
  position: absolute; box-sizing: border-box; min-inline-size: ${INDICATOR_SIZE_PX}px; block-size: ${INDICATOR_SIZE_PX}px;
  padding: 0 4px; border: 1px solid var(--border-color-base, #a2a9b1); border-radius: 12px; background: var(--background-color-progressive-subtle, #eaf3ff); color: var(--color-base, #202122);
  font: 12px/22px system-ui, sans-serif; white-space: nowrap; cursor: pointer;
}
/* Opaque at rest: Kalkan ignores clicks on a see-through control (entrypoints/content/click-guard.ts). */
.kalkan-targeting-indicator:hover { border-color: var(--border-color-progressive, #36c); }
.kalkan-targeting-indicator:focus-visible { outline: 2px solid var(--outline-color-progressive--focus, #36c); outline-offset: 1px; }
`;

/**
 * Hook for the harassment detector: the highlight capability (or anything that knows the detector's verdicts on
 * this page run) calls `provideTargetingFlags(run, flagOf)`; the log then records flags and the indicator counts
 * only flagged comments. Until something provides flags, every entry has flag: null and the indicator counts
 * every comment (and says so in its label).
 */
const flagSources = new WeakMap<Document, FlagOf>();
const refreshers = new WeakMap<Document, () => void>();

export function provideTargetingFlags(run: Pick<PageRun, 'document'>, flagOf: FlagOf): void {
  flagSources.set(run.document, flagOf);
  refreshers.get(run.document)?.();
}

function locationOf(wikiId: string): { origin: string; scriptPath: string } {
  // The profile's wikiId is origin + script path (wikiIdOf), so splitting it gives back the same id.
  const origin = new URL(wikiId).origin;
  return { origin, scriptPath: wikiId.slice(origin.length) };
}

interface Placed {
  button: HTMLButtonElement;
  comment: CommentItem;
}

class TargetingController {
  private pass: AbortController | null = null;
  private placed: Placed[] = [];
  private styled = false;
  private readonly t: PageRun['ui']['t'];
  private readonly uiDir: 'ltr' | 'rtl';

  constructor(private run: PageRun, private readonly signal: AbortSignal) {
    this.t = run.ui.t;
    this.uiDir = run.ui.dir;
    refreshers.set(run.document, () => void this.refresh(this.run).catch((error: unknown) => console.error('[kalkan] targeting refresh failed:', error)));
    run.overlay.onRelayout(() => this.position(), signal);
    signal.addEventListener('abort', () => this.clear(), { once: true });
  }

  async refresh(run: PageRun): Promise<void> {
    this.run = run;
    this.pass?.abort();
    const pass = new AbortController();
    this.pass = pass;
    const passSignal = AbortSignal.any([this.signal, pass.signal]);
    const model = run.model;
    if (!model) return;
    const flagOf = flagSources.get(run.document) ?? null;
    const observations = await observeModelSliced(model, flagOf ?? undefined, { signal: passSignal });
    if (!observations || passSignal.aborted) return;
    const threshold = await this.send(run, observations);
    if (passSignal.aborted) return;
    this.render(pageTargeting(observations, threshold, flagOf !== null), flagOf !== null);
  }

  /** Sends the observations in chunks; answers the user's on-page threshold. */
  private async send(run: PageRun, observations: InteractionObservation[]): Promise<number> {
    let threshold = DEFAULT_TARGETING_SETTING.pageThreshold;
    const base = {
      type: 'targeting/record' as const,
      location: locationOf(run.profile.wikiId),
      page: { title: run.page.title, pageId: run.page.pageId, revisionId: run.page.revisionId },
      contentLanguage: run.profile.contentLanguage,
    };
    // Even a page without interactions asks once: the answer carries the threshold.
    for (let i = 0; i === 0 || i < observations.length; i += MAX_OBSERVATIONS_PER_REQUEST) {
      const answer = await request(run.send, { ...base, observations: observations.slice(i, i + MAX_OBSERVATIONS_PER_REQUEST) });
      threshold = answer.pageThreshold;
    }
    return threshold;
  }

  private render(pairs: PageTargetingPair[], flagged: boolean): void {
    this.clear();
    if (!pairs.length) return;
    const overlay = this.run.overlay;
    if (!this.styled) overlay.addStyles(STYLES);
    this.styled = true;
    const layer = overlay.layer(LAYER);
    const doc = this.run.document;
    const location = locationOf(this.run.profile.wikiId);
    for (const pair of pairs) {
      const count = pair.commentIds.length;
      const key = flagged ? 'kalkan-targeting-indicator-label' : 'kalkan-targeting-indicator-label-unflagged';
      // Isolated names for the tooltip (shown on screen); the accessible name is read in logical order.
      const label = this.t(key, pair.from, pair.to, count);
      const tooltip = this.t(key, isolate(pair.from), isolate(pair.to), count);
      for (const id of pair.commentIds) {
        const comment = this.run.model?.byId.get(id);
        if (!comment || comment.type !== 'comment') continue;
        const button = doc.createElement('button');
        button.type = 'button';
        button.className = 'kalkan-targeting-indicator';
        button.dir = this.uiDir;
        button.textContent = `↻ ${count}`;
        button.title = tooltip;
        button.setAttribute('aria-label', label);
        button.dataset.from = pair.from;
        button.dataset.to = pair.to;
        button.addEventListener('click', () => {
          void request(this.run.send, { type: 'targeting/open-pair', location, from: pair.from, to: pair.to })
            .catch((error: unknown) => console.error('[kalkan] could not open the pair view:', error));
        }, { signal: this.signal });
        layer.appendChild(button);
        this.placed.push({ button, comment });
      }
    }
    this.position();
  }

  /** Beside the start of the comment's first line (the side the text starts on), in document coordinates. */
  private position(): void {
    const rtl = this.run.contentDir === 'rtl';
    // Every layout read first, then every write: a style write between two reads made the next read lay out the
    // whole page again — on the 1,070-comment archive that was 300 ms of forced layouts (CPU profile, 2026-12-01).
    const measured = this.placed.map(({ button, comment }) => ({
      button,
      first: lineStartRect(this.run.overlay.rects(comment.range), this.run.contentDir),
      // Our own button's width (not the page's layout): "↻ 12" is wider than the minimum size.
      width: button.offsetWidth || INDICATOR_SIZE_PX,
    }));
    for (const { button, first, width } of measured) {
      button.hidden = !first;
      if (!first) continue;
      const x = rtl ? first.right + INDICATOR_GAP_PX : Math.max(0, first.left - width - INDICATOR_GAP_PX);
      button.style.left = `${x}px`;
      button.style.top = `${first.top + (first.height - INDICATOR_SIZE_PX) / 2}px`;
    }
  }

  private clear(): void {
    for (const { button } of this.placed) button.remove();
    this.placed = [];
  }
}

const controllers = new WeakMap<Document, TargetingController>();

export const targetingCapability: Capability<PageRun> = {
  id: 'targeting',
  appliesTo: (run) => run.model !== null,
  init: async (run, signal) => {
    const controller = new TargetingController(run, signal);
    controllers.set(run.document, controller);
    await controller.refresh(run);
  },
  update: async (run) => {
    await controllers.get(run.document)?.refresh(run);
  },
};
