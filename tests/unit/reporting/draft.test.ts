import { describe, expect, it } from 'vitest';
import { verifyEvidence, sealEvidence } from '../../../utils/reports/canonical';
import {
  buildUnhashedEvidence,
  CapturedCommentSchema,
  clipText,
  draftToReport,
  mergeEvidence,
  wikiUrls,
  type CapturedComment,
  type DraftLike,
} from '../../../utils/reports/draft';
import { MAX_EVIDENCE_ITEMS } from '../../../utils/reports/schema';
import { sealedItem } from '../reports/fixtures';

const captured: CapturedComment = {
  commentId: 'c-Bakyt-20260401100500-Aigerim-20260401094000',
  anchor: 'Merge_proposal',
  discussionTools: false,
  author: 'Bakyt',
  timestamp: '2026-04-01T10:05:00.000Z',
  pageTitle: 'Talk:Kalkan demo',
  pageId: 7,
  revisionId: 15,
  text: 'Of course she supports it.',
  sanitisedHtml: 'Of course she supports it.',
  capturedAt: '2026-11-25T18:00:00.000Z',
  partial: false,
};
const urls = wikiUrls('http://localhost:8911', '/w', '/wiki/$1');
const origin = { revid: 12, parentid: 11, diffUrl: 'http://localhost:8911/w/index.php?diff=12&oldid=11', foundBy: 'history-search' as const };

describe('capture → evidence', () => {
  it('builds a permalink to the revision viewed, with the thread anchor, and no GoToComment without DiscussionTools', async () => {
    const item = buildUnhashedEvidence(captured, urls, origin);
    expect(item.permalink).toEqual({
      url: 'http://localhost:8911/w/index.php?title=Talk%3AKalkan_demo&oldid=15#Merge_proposal',
      oldid: 15,
      anchor: 'Merge_proposal',
      goToCommentUrl: null,
    });
    expect(item.origin).toEqual(origin);
    expect(await verifyEvidence(await sealEvidence(item))).toEqual({ ok: true });
  });

  it('links Special:GoToComment on DiscussionTools wikis', () => {
    const item = buildUnhashedEvidence({ ...captured, discussionTools: true, anchor: captured.commentId }, urls, null);
    expect(item.permalink.goToCommentUrl).toBe(`http://localhost:8911/wiki/Special:GoToComment/${captured.commentId}`);
    expect(item.origin).toBeNull();
  });

  it.each([
    ['non-positive page id', { pageId: 0 }],
    ['non-ISO timestamp', { timestamp: '10:05, 1 April 2026' }],
    ['empty author', { author: '' }],
    ['oversized snapshot', { text: 'x'.repeat(20_001) }],
  ])('refuses a capture with a %s', (_name, override) => {
    expect(CapturedCommentSchema.safeParse({ ...captured, ...override }).success).toBe(false);
  });

  it('clips without splitting a surrogate pair', () => {
    expect(clipText('abc', 5)).toBe('abc');
    expect(clipText('abcdef', 4)).toBe('abc…');
    const clipped = clipText('ab😀cd', 4);
    expect(clipped).toBe('ab…');
  });
});

describe('mergeEvidence', () => {
  it('appends new items, skips the same comment captured twice, and stops at the limit', async () => {
    const a = await sealedItem({ author: 'A' });
    const again = await sealedItem({ author: 'A', capturedAt: '2024-03-05T16:00:00Z' });
    const b = await sealedItem({ author: 'B' });
    expect(mergeEvidence([a], [again, b])).toMatchObject({ added: 1, duplicates: 1, overLimit: 0 });
    const full = await Promise.all(Array.from({ length: MAX_EVIDENCE_ITEMS }, (_, i) => sealedItem({ author: `U${i}` })));
    const result = mergeEvidence(full, [b]);
    expect(result).toMatchObject({ added: 0, overLimit: 1 });
    expect(result.evidence).toHaveLength(MAX_EVIDENCE_ITEMS);
  });
});

describe('draftToReport', () => {
  const base = async (): Promise<DraftLike> => ({
    id: '6f1c2a7e-3b4d-4c5e-8f90-123456789abc',
    wiki: { id: 'http://localhost:8911/w', server: 'http://localhost:8911', contentLanguage: 'en' },
    createdAt: Date.parse('2026-11-25T18:00:00Z'),
    harm: { kind: 'incident', category: 'intimidation_aggression' },
    description: 'Attack.',
    reporter: { username: '', email: undefined },
    destinationId: 'team',
    evidence: [await sealedItem()],
  });

  it('builds a valid report whose id is the draft id, leaving out an empty reporter', async () => {
    const result = draftToReport(await base(), Date.parse('2026-11-25T18:05:00Z'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.report.reportId).toBe('6f1c2a7e-3b4d-4c5e-8f90-123456789abc');
    expect(result.report.submittedAt).toBe('2026-11-25T18:05:00.000Z');
    expect(result.report.reporter).toBeUndefined();
  });

  it('names every missing part', async () => {
    const result = draftToReport({ ...(await base()), harm: null, evidence: [], destinationId: null }, 0);
    expect(result).toEqual({
      ok: false,
      problems: ['kalkan-report-problem-harm', 'kalkan-report-problem-evidence', 'kalkan-report-problem-destination'],
      detail: '',
    });
  });

  it('reports schema problems with their path', async () => {
    const draft = await base();
    const result = draftToReport({ ...draft, reporter: { email: 'not-an-email' } }, 0);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(['kalkan-report-problem-invalid']);
    expect(result.detail).toContain('reporter.email');
  });
});
