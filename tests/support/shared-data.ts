import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * ../shared/data beside the checkout holds externally authored fixtures (CC BY-SA page text, labelled sets) that
 * must not be copied into the repo. A user's own clone may not have it: tests that need it skip with a message,
 * and .ci/run fails when it is missing (KALKAN_REQUIRE_SHARED=1).
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDataDir = process.env.KALKAN_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
export const hasSharedData = existsSync(sharedDataDir);
export const sharedDataSkipReason =
  `../shared/data not found at ${sharedDataDir}: tests that need the shared fixtures are skipped ` +
  '(set KALKAN_SHARED_DATA to its location to run them).';

if (!hasSharedData && process.env.KALKAN_REQUIRE_SHARED === '1') {
  throw new Error(`${sharedDataSkipReason} CI requires it.`);
}
if (!hasSharedData) console.warn(sharedDataSkipReason);

export function sharedPath(...parts: string[]): string {
  return resolve(sharedDataDir, ...parts);
}
