import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../support/shared-data';
import { loadDtCases, parseHtmlPage, readJson } from '../../../scripts/eval-threads';
import { scoreThreads, type ScoredItem } from '../../../utils/page-model/evaluate';
import { buildPageModel, interactions, modelToJson } from '../../../utils/page-model/model';
import { parseCommentId } from '../../../utils/page-model/markers';
import { dtProfile, dtTestsDir } from './helpers';

interface FormattedCase { name: string; title: string; expected: Record<string, string>; config: string }

describe.skipIf(!hasSharedData)('DiscussionTools markers fast path', () => {
  const formatted = hasSharedData ?
    readJson(join(dtTestsDir(), 'cases', 'formatted.json')) as FormattedCase[] : [];
  const cases = hasSharedData ? loadDtCases(dtTestsDir()) : [];
  const rows = formatted.flatMap((f) => {
    const c = cases.find((x) => x.name === f.name);
    if (!c) return [];
    return Object.entries(f.expected)
      .filter(([, p]) => existsSync(join(dtTestsDir(), p)))
      .map(([kind, p]) => [`${f.name} (${kind})`, f, p, c.expected] as const);
  });

  it.each(rows)('%s matches the expected threads from markers alone', (_n, f, page, expectedPath) => {
    const wiki = f.config.replace(/^.*\/([a-z]+)-config\.json$/, '$1');
    const parsed = parseHtmlPage(readFileSync(join(dtTestsDir(), page), 'utf8'));
    try {
      const model = buildPageModel(parsed.document, dtProfile(wiki), f.title);
      expect(model.source).toBe('markers');
      const expected = readJson(join(dtTestsDir(), 'cases', expectedPath)) as ScoredItem[];
      const s = scoreThreads(expected, modelToJson(model));
      expect(s.f1, s.examples.join('\n')).toBe(1);
      expect(s.levelAccuracy).toBeGreaterThanOrEqual(0.98);
      expect(s.parentAccuracy).toBeGreaterThanOrEqual(0.98);
      expect(s.idAccuracy).toBe(1);
    } finally {
      parsed.close();
    }
  });

  it('reads the live-style plwiki page (pages/) with markers and finds replies', () => {
    const file = sharedPath('pages', 'plwiki-Kawiarenka-2018-10-DT-formatted-mobile.html');
    const parsed = parseHtmlPage(readFileSync(file, 'utf8'));
    try {
      const model = buildPageModel(parsed.document, dtProfile('plwiki'),
        'Wikipedia:Kawiarenka/Artykuły dyskusja/Archiwum/2018-październik');
      expect(model.source).toBe('markers');
      expect(model.comments).toHaveLength(174);
      const first = model.comments[0];
      expect(first?.author).toBe('Stok');
      expect(first?.id).toBe('c-Stok-2018-09-29T06:23:00.000Z-Kalendarium');
      const replies = interactions(model).filter((i) => i.kind === 'reply');
      expect(replies[0]).toEqual({ from: 'Cybularny', to: 'Stok', kind: 'reply',
        commentId: 'c-Cybularny-2018-09-29T07:06:00.000Z-Stok-2018-09-29T06:23:00.000Z' });
    } finally {
      parsed.close();
    }
  });
});

describe('comment ids', () => {
  it.each([
    ['c-Matma_Rex-2020-01-22T23:19:00.000Z-hello', 'Matma Rex', Date.UTC(2020, 0, 22, 23, 19)],
    ['c-127.0.0.1-20230113092500-test', '127.0.0.1', Date.UTC(2023, 0, 13, 9, 25)],
    ['c-Foo-Bar-2019-06-21T10:08:00.000Z', 'Foo-Bar', Date.UTC(2019, 5, 21, 10, 8)],
  ])('%s', (id, author, ms) => {
    expect(parseCommentId(id)).toEqual({ author, utcMs: ms });
  });
  it.each(['h-Foo-2020-01-22T23:19:00.000Z', 'c-NoTimestamp', 'c--'])('%s is not a comment id', (id) => {
    expect(parseCommentId(id)).toBeNull();
  });
});
