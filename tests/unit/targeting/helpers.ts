import type { InteractionRecord } from '../../../utils/targeting/schema';
import { interactionKey } from '../../../utils/targeting/schema';

export const WIKI = 'http://wiki.test/w';

let counter = 0;
/** A stored interaction with sensible defaults; `c` is the comment id. */
export function rec(from: string, to: string, overrides: Partial<InteractionRecord> & { c?: string; flagged?: boolean; category?: string } = {}): InteractionRecord {
  counter += 1;
  const { c, flagged, category, ...rest } = overrides;
  const commentId = c ?? `c-${from}-${counter}`;
  const base: InteractionRecord = {
    from, to, kind: 'reply', commentId, utcMs: Date.UTC(2026, 2, 1) + counter * 60_000,
    flag: flagged === undefined ? null : { flagged, category: category ?? (flagged ? 'insult' : null), score: flagged ? 0.9 : 0.1 },
    key: '', wikiId: WIKI, server: 'http://wiki.test', scriptPath: '/w', contentLanguage: 'en',
    pageTitle: 'Talk:A', pageId: 1, revisionId: 10, firstSeenAt: 1, lastSeenAt: 1,
    ...rest,
  };
  return { ...base, key: interactionKey(base.wikiId, base) };
}
