import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHtmlPage } from '../../../scripts/eval-threads';
import { buildPageModel, interactions } from '../../../utils/page-model/model';
import { observeModel, observeModelSliced } from '../../../utils/targeting/observe';
import { rankPairs } from '../../../utils/targeting/rank';
import { toRecords } from '../../../utils/targeting/schema';
import { hasSharedData, sharedPath } from '../../support/shared-data';
import { dtProfile } from '../page-model/helpers';

/** A real, long talk page (174 comments, DiscussionTools markers) from the shared fixtures. */
const PAGE = 'plwiki-Kawiarenka-2018-10-DT-formatted-mobile.html';
const TITLE = 'Wikipedia:Kawiarenka/Artykuły dyskusja/Archiwum/2018-październik';

describe.skipIf(!hasSharedData)('observing a real talk page', () => {
  it('the sliced observation gives exactly the page model\'s interactions, with comment times', async () => {
    const parsed = parseHtmlPage(readFileSync(sharedPath('pages', PAGE), 'utf8'));
    try {
      const model = buildPageModel(parsed.document, dtProfile('plwiki'), TITLE);
      const whole = observeModel(model);
      // A 0 ms budget forces one comment per slice: the most yields the page could ever see.
      let yields = 0;
      const sliced = await observeModelSliced(model, undefined, { budgetMs: 0, yieldFn: async () => { yields += 1; } });
      expect(sliced).toEqual(whole);
      expect(yields).toBe(model.comments.length - 1);
      expect(whole.map(({ from, to, kind, commentId }) => ({ from, to, kind, commentId }))).toEqual(interactions(model));
      for (const o of whole) expect(o.utcMs).toBe(model.comments.find((c) => c.id === o.commentId)?.utcMs);
      // Ranking works on the page's own log (as the CLI's --pairs prints it).
      const wiki = { wikiId: 'https://pl.wikipedia.org/w', server: 'https://pl.wikipedia.org', scriptPath: '/w', contentLanguage: 'pl' };
      const records = toRecords(wiki, { title: TITLE, pageId: 1, revisionId: 1 }, whole, 0);
      expect(rankPairs(records).reduce((n, p) => n + p.count, 0)).toBeGreaterThan(0);
    } finally {
      parsed.close();
    }
  });

  it('an aborted signal stops observing', async () => {
    const parsed = parseHtmlPage(readFileSync(sharedPath('pages', PAGE), 'utf8'));
    try {
      const model = buildPageModel(parsed.document, dtProfile('plwiki'), TITLE);
      const controller = new AbortController();
      const result = await observeModelSliced(model, undefined, { budgetMs: 0, signal: controller.signal, yieldFn: async () => controller.abort() });
      expect(result).toBeNull();
    } finally {
      parsed.close();
    }
  });
});
