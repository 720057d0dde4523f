import { interactions, type PageModel } from '../page-model/model';
import type { InteractionFlag, InteractionObservation } from './schema';

/** The detector's verdict on one comment, or null when nothing assessed it (see the hook in the capability). */
export type FlagOf = (commentId: string) => InteractionFlag | null;

export const NO_FLAGS: FlagOf = () => null;

/** The page's reply and mention edges with their comment times and flags, ready to send or aggregate. */
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
