import { describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../../utils/reports/canonical';
import { MAX_EVIDENCE_ITEMS } from '../../../utils/reports/schema';
import { DraftRecordSchema } from '../../../utils/storage/records';
import { pairTimeline } from '../../../utils/targeting/rank';
import { draftFromTimeline } from '../../../utils/targeting/report-draft';
import { rec, WIKI } from './helpers';

const ID = '6f1c2a7e-3b4d-4c5e-8f90-123456789abc';

describe('draftFromTimeline', () => {
  it('makes a draft the report form can open: sealed evidence with permalinks to each comment, hounding preselected', async () => {
    const log = [
      rec('Bakyt', 'Aigerim', { c: 'c-Bakyt-1', utcMs: 1_000, pageTitle: 'Talk:Felt making', revisionId: 5, pageId: 2 }),
      rec('Bakyt', 'Aigerim', { c: 'c-Bakyt-2', utcMs: 2_000, pageTitle: 'Talk:Komuz', revisionId: 12, pageId: 5, flagged: true }),
      rec('Bakyt', 'Aigerim', { c: 'c-Bakyt-3', utcMs: 3_000, pageId: null }),
    ];
    const entries = pairTimeline(log, WIKI, 'Bakyt', 'Aigerim');
    const { draft, skipped } = await draftFromTimeline({ id: ID, entries, now: 10_000, description: 'Bakyt → Aigerim' });
    expect(DraftRecordSchema.safeParse(draft).success).toBe(true);
    expect(skipped).toBe(1);
    expect(draft).toMatchObject({ id: ID, wikiId: WIKI, harm: { kind: 'incident', category: 'trolling_hounding' }, description: 'Bakyt → Aigerim' });
    // Flagged first, then by time.
    expect(draft.evidence.map((e) => [e.commentId, e.pageTitle, e.permalink.url])).toEqual([
      ['c-Bakyt-2', 'Talk:Komuz', 'http://wiki.test/w/index.php?title=Talk%3AKomuz&oldid=12#c-Bakyt-2'],
      ['c-Bakyt-1', 'Talk:Felt making', 'http://wiki.test/w/index.php?title=Talk%3AFelt_making&oldid=5#c-Bakyt-1'],
    ]);
    for (const item of draft.evidence) expect(await verifyEvidence(item)).toEqual({ ok: true });
  });

  it('stops at the report evidence limit and counts what it left out', async () => {
    const log = Array.from({ length: MAX_EVIDENCE_ITEMS + 5 }, (_, i) => rec('A', 'B', { c: `c-${i}` }));
    const { draft, skipped } = await draftFromTimeline({ id: ID, entries: pairTimeline(log, WIKI, 'A', 'B'), now: 1, description: '' });
    expect(draft.evidence).toHaveLength(MAX_EVIDENCE_ITEMS);
    expect(skipped).toBe(5);
  });

  it('refuses an empty timeline with a message', async () => {
    await expect(draftFromTimeline({ id: ID, entries: [], now: 1, description: '' })).rejects.toThrow(/no comments/);
  });
});
