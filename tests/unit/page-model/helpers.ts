import { join } from 'node:path';
import { sharedPath } from '../../support/shared-data';
import { loadProfile } from '../../../scripts/eval-threads';
import type { WikiProfile } from '../../../utils/wiki-profile/schema';

export const dtTestsDir = (): string => sharedPath('discussiontools', 'tests');

export function dtProfile(wiki: string): WikiProfile {
  const dir = join(dtTestsDir(), 'data');
  return loadProfile(join(dir, `${wiki}-config.json`), join(dir, `${wiki}-data.json`));
}
