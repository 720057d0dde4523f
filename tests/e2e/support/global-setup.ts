/**
 * Starts one seeded local MediaWiki for the whole e2e run and tears it down afterwards. The extension itself is
 * built beforehand (KALKAN_E2E=1 wxt build) by the test command.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { mediaWikiAvailable, startWiki, type RunningWiki } from '../../../scripts/wiki/mediawiki';
import { seedWiki } from '../../../scripts/wiki/seed';
import { E2E_EXTENSION_DIR } from './chromium';

export const E2E_WIKI_PORT = Number(process.env.KALKAN_E2E_WIKI_PORT ?? 8897);

let wiki: RunningWiki | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    wikiUrl: string;
    wikiApiUrl: string;
    wikiProblem: string;
  }
}

export async function setup(project: TestProject): Promise<void> {
  if (!existsSync(join(E2E_EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No e2e build at ${E2E_EXTENSION_DIR}: run "KALKAN_E2E=1 npx wxt build -b chrome" first (npm test does).`);
  }
  const problem = mediaWikiAvailable();
  project.provide('wikiProblem', problem ?? '');
  if (problem) {
    project.provide('wikiUrl', '');
    project.provide('wikiApiUrl', '');
    return;
  }
  wiki = await startWiki({ port: E2E_WIKI_PORT, dir: join(tmpdir(), `kalkan-e2e-wiki-${E2E_WIKI_PORT}`), fresh: true });
  await seedWiki(wiki);
  project.provide('wikiUrl', wiki.url);
  project.provide('wikiApiUrl', wiki.apiUrl);
}

export async function teardown(): Promise<void> {
  await wiki?.stop();
}
