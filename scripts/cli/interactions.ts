/**
 * `kalkan interactions`: who replied to or mentioned whom on a saved talk page, as
 * `[{"from","to","kind":"reply"|"mention","commentId"}]`. With `--pairs`, the same edges ranked as pairs A→B
 * by the patroller view's code (utils/targeting), as `[{"from","to","count","replies","mentions",…}]`.
 */
import { interactions } from '../../utils/page-model/model';
import { observeModel } from '../../utils/targeting/observe';
import { rankPairs } from '../../utils/targeting/rank';
import { toRecords } from '../../utils/targeting/schema';
import { loadModelFromArgs } from './threads';

export const summary = 'print reply and mention interactions of a saved talk page as JSON (--pairs: ranked pairs A→B)';

const PAIRS_FLAG = '--pairs';

export async function run(argv: string[]): Promise<number> {
  const pairs = argv.includes(PAIRS_FLAG);
  const loaded = loadModelFromArgs('interactions', argv.filter((arg) => arg !== PAIRS_FLAG), summary);
  if (typeof loaded === 'number') return loaded;
  const model = loaded.model;
  if (pairs) {
    // A saved page has no wiki address or revision: the pair ranking needs neither.
    const wiki = { wikiId: model.profile.wikiId, server: model.profile.server, scriptPath: model.profile.scriptPath, contentLanguage: model.profile.contentLanguage };
    const records = toRecords(wiki, { title: model.title, pageId: null, revisionId: null }, observeModel(model), 0);
    const ranked = rankPairs(records).map(({ from, to, count, replies, mentions, firstMs, lastMs }) => ({
      from, to, count, replies, mentions, first: new Date(firstMs).toISOString(), last: new Date(lastMs).toISOString(),
    }));
    process.stdout.write(`${JSON.stringify(ranked, null, 2)}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(interactions(model), null, 2)}\n`);
  }
  loaded.close();
  return 0;
}
