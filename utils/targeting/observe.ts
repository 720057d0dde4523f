import { interactions, type PageModel } from '../page-model/model';
import { commentMentions } from '../page-model/text';
import { parseTitle, type ParsedTitle } from '../page-model/titles';
import type { CommentItem } from '../page-model/types';
import type { InteractionFlag, InteractionObservation } from './schema';

/** The detector's verdict on one comment, or null when nothing assessed it (see the hook in the capability). */
export type FlagOf = (commentId: string) => InteractionFlag | null;

export const NO_FLAGS: FlagOf = () => null;

/** Main-thread time one slice of observing may take before yielding to the page (long tasks start at 50 ms). */
export const OBSERVE_SLICE_BUDGET_MS = 8;

/** The page's reply and mention edges with their comment times and flags (whole page at once: CLI, tests). */
export function observeModel(model: PageModel, flagOf: FlagOf = NO_FLAGS): InteractionObservation[] {
  const out: InteractionObservation[] = [];
  for (const edge of interactions(model)) {
    const comment = model.byId.get(edge.commentId);
    // interactions() only yields comment ids from the model itself; a heading here would be a model bug.
    if (!comment || comment.type !== 'comment') continue;
    out.push({ from: edge.from, to: edge.to, kind: edge.kind, commentId: edge.commentId, utcMs: comment.utcMs, flag: flagOf(edge.commentId) });
  }
  return out;
}

/**
 * One comment's edges, exactly as `interactions(model)` makes them (a unit test holds the two equal), so the
 * content script can observe a long page comment by comment in time slices.
 */
export function observeComment(model: PageModel, comment: CommentItem, selfTitle: ParsedTitle | null, flagOf: FlagOf = NO_FLAGS): InteractionObservation[] {
  const out: InteractionObservation[] = [];
  const parent = comment.parent;
  if (parent && parent.type === 'comment' && parent.author !== comment.author) {
    out.push({ from: comment.author, to: parent.author, kind: 'reply', commentId: comment.id, utcMs: comment.utcMs, flag: flagOf(comment.id) });
  }
  for (const user of commentMentions(comment, model.setup.titles, selfTitle)) {
    out.push({ from: comment.author, to: user, kind: 'mention', commentId: comment.id, utcMs: comment.utcMs, flag: flagOf(comment.id) });
  }
  return out;
}

export interface SliceOptions {
  signal?: AbortSignal;
  budgetMs?: number;
  now?: () => number;
  yieldFn?: () => Promise<void>;
}

function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

/** observeModel in slices of OBSERVE_SLICE_BUDGET_MS with a yield between them; null when aborted. */
export async function observeModelSliced(model: PageModel, flagOf: FlagOf = NO_FLAGS, options: SliceOptions = {}): Promise<InteractionObservation[] | null> {
  const budget = options.budgetMs ?? OBSERVE_SLICE_BUDGET_MS;
  const now = options.now ?? (() => performance.now());
  const yieldFn = options.yieldFn ?? yieldToPage;
  const selfTitle = parseTitle(model.title, model.setup.titles);
  const out: InteractionObservation[] = [];
  let index = 0;
  while (index < model.comments.length) {
    if (options.signal?.aborted) return null;
    const started = now();
    // At least one comment per slice, so one slow comment cannot stall the loop.
    do {
      const comment = model.comments[index];
      if (comment) out.push(...observeComment(model, comment, selfTitle, flagOf));
      index += 1;
    } while (index < model.comments.length && now() - started < budget);
    if (index < model.comments.length) await yieldFn();
  }
  return options.signal?.aborted ? null : out;
}
