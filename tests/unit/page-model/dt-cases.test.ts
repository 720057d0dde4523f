import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedDataSkipReason } from '../../support/shared-data';
import { loadDtCases, runCase } from '../../../scripts/eval-threads';
import { flattenComments } from '../../../utils/page-model/evaluate';
import { modelToJson } from '../../../utils/page-model/model';
import { dtTestsDir } from './helpers';

/** Targets from the brief: per case and overall. */
const MIN_F1 = 0.99;
const MIN_LEVEL_PARENT_ACCURACY = 0.98;

describe.skipIf(!hasSharedData)(`DiscussionTools comments.json cases (${hasSharedData ? 'shared data' : sharedDataSkipReason})`, () => {
  const cases = hasSharedData ? loadDtCases(dtTestsDir()) : [];

  it('has every case of comments.json available', () => {
    expect(cases.length).toBeGreaterThanOrEqual(1);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, dtCase) => {
    const run = runCase(dtTestsDir(), dtCase, 'parser');
    try {
      const s = run.score;
      expect(s.f1, s.examples.join('\n')).toBeGreaterThanOrEqual(MIN_F1);
      expect(s.levelAccuracy, s.examples.join('\n')).toBeGreaterThanOrEqual(MIN_LEVEL_PARENT_ACCURACY);
      expect(s.parentAccuracy, s.examples.join('\n')).toBeGreaterThanOrEqual(MIN_LEVEL_PARENT_ACCURACY);
      // Ids exactly as DiscussionTools computes them (duplicate suffixes included).
      const expectedIds = flattenComments(run.expected).map((c) => c.id).sort();
      const actualIds = flattenComments(modelToJson(run.model)).map((c) => c.id).sort();
      expect(actualIds).toEqual(expectedIds);
      // Heading ids and names too.
      const headingIds = (items: { type: string; id: string; name: string }[]): string[] =>
        [...new Set(items.filter((i) => i.type === 'heading').map((i) => `${i.id} ${i.name}`))].sort();
      expect(headingIds(modelToJson(run.model))).toEqual(headingIds(run.expected as never));
    } finally {
      run.close();
    }
  });
});
