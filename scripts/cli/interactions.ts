/**
 * `kalkan interactions`: who replied to or mentioned whom on a saved talk page, as
 * `[{"from","to","kind":"reply"|"mention","commentId"}]`.
 */
import { interactions } from '../../utils/page-model/model';
import { loadModelFromArgs } from './threads';

export const summary = 'print reply and mention interactions of a saved talk page as JSON';

export async function run(argv: string[]): Promise<number> {
  const loaded = loadModelFromArgs('interactions', argv, summary);
  if (typeof loaded === 'number') return loaded;
  process.stdout.write(`${JSON.stringify(interactions(loaded.model), null, 2)}\n`);
  loaded.close();
  return 0;
}
