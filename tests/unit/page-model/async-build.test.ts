import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedDataSkipReason, sharedPath } from '../../support/shared-data';
import { parseHtmlPage } from '../../../scripts/eval-threads';
import { buildPageModel, buildPageModelAsync, modelToJson } from '../../../utils/page-model/model';
import { dtProfile } from './helpers';

/** A slice this short makes even a small page take many slices. */
const TINY_SLICE_MS = 0.05;

const pages = [
  ['plwiki, DT markers', 'plwiki-Kawiarenka-2018-10-DT-formatted-mobile.html', 'plwiki',
    'Wikipedia:Kawiarenka/Artykuły dyskusja/Archiwum/2018-październik', 'markers'],
  ['srwiki, signatures', 'srwiki-Trg-Arhiva-Tehnika-35-cyrl.html', 'srwiki', 'Википедија:Трг/Архива/Техника/35', 'parser'],
] as const;

describe.skipIf(!hasSharedData)(`page model built in slices (${hasSharedData ? 'shared data' : sharedDataSkipReason})`, () => {
  it.each(pages)('%s: the same model as the one-task build, in many slices', async (_name, file, wiki, title, source) => {
    const parsed = parseHtmlPage(readFileSync(sharedPath('pages', file), 'utf8'));
    try {
      const whole = buildPageModel(parsed.document, dtProfile(wiki), title);
      const sliced = await buildPageModelAsync(parsed.document, dtProfile(wiki), title, { sliceMs: TINY_SLICE_MS });
      expect(sliced.source).toBe(source);
      expect(whole.comments.length).toBeGreaterThan(100);
      expect(modelToJson(sliced, { ranges: true })).toEqual(modelToJson(whole, { ranges: true }));
      expect(sliced.stats.slices).toBeGreaterThanOrEqual(5);
      expect(sliced.stats.busyMs).toBeLessThanOrEqual(sliced.stats.buildMs);
      expect(sliced.stats.longestSliceMs).toBeLessThanOrEqual(sliced.stats.busyMs);
    } finally {
      parsed.close();
    }
  });

  it('stops between slices when its signal aborts', async () => {
    const [, file, wiki, title] = pages[0];
    const parsed = parseHtmlPage(readFileSync(sharedPath('pages', file), 'utf8'));
    try {
      const controller = new AbortController();
      const build = buildPageModelAsync(parsed.document, dtProfile(wiki), title, {
        sliceMs: TINY_SLICE_MS, signal: controller.signal,
      });
      controller.abort(new Error('page left'));
      await expect(build).rejects.toThrow('page left');
    } finally {
      parsed.close();
    }
  });
});
