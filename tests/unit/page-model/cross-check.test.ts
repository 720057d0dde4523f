import { describe, expect, it } from 'vitest';
import { hasSharedData } from '../../support/shared-data';
import { crossCheck } from '../../../scripts/eval-threads-cross';
import { dtTestsDir } from './helpers';

/**
 * Generalisation beyond the 23 visible parser cases: the signature parser on plain pages scored against
 * DiscussionTools' own comment markers (formatted.json) and thread items (threaditemshtml.json), most of them
 * pages the parser was never checked against (double signatures, unclosed <font>, nl Parsoid sections, en AfD).
 */
describe.skipIf(!hasSharedData)('page model on pages outside the visible cases', () => {
  const rows = hasSharedData ? crossCheck(dtTestsDir()) : [];

  it('covers pages that are not visible parser cases', () => {
    const unseen = rows.filter((row) => !row.visibleCase && row.score.expected > 0);
    expect(unseen.length).toBeGreaterThanOrEqual(8);
    expect(unseen.reduce((sum, row) => sum + row.score.expected, 0)).toBeGreaterThan(500);
  });

  it.each(rows.map((row) => [`${row.name} (${row.reference})`, row] as const))('%s: F1 ≥ 0.99, level and parent ≥ 0.98', (_name, row) => {
    expect(row.score.f1, row.score.examples.join('\n')).toBeGreaterThanOrEqual(0.99);
    expect(row.score.levelAccuracy).toBeGreaterThanOrEqual(0.98);
    expect(row.score.parentAccuracy).toBeGreaterThanOrEqual(0.98);
  });
}, 120_000);
