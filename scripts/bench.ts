/**
 * `npm run bench`: every benchmark, one after another (they print figures; none is a pass/fail test).
 * Chromium benchmarks need the e2e build (`npm run build:e2e`); missing pieces are skipped with a note.
 *   npm run bench [-- --only page-model,detector]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const BENCHES: Array<{ id: string; script: string; args?: string[]; needs?: string }> = [
  { id: 'page-model', script: 'scripts/bench-page-model.ts', args: ['--runs', '5'] },
  { id: 'page-model-chromium', script: 'scripts/bench/chromium-page-model.ts', args: ['--runs', '5'], needs: '.output/chrome-mv3-e2e/manifest.json' },
  { id: 'detector', script: 'scripts/bench-detector.ts' },
  { id: 'pii', script: 'scripts/bench-pii.ts' },
  { id: 'highlight-chromium', script: 'scripts/bench-highlight.ts', needs: '.output/chrome-mv3-e2e/manifest.json' },
  { id: 'targeting', script: 'scripts/bench-targeting.ts' },
];

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = values.only ? new Set(values.only.split(',')) : null;
let failures = 0;
for (const bench of BENCHES) {
  if (only && !only.has(bench.id)) continue;
  console.log(`\n=== ${bench.id} (${bench.script})`);
  if (!existsSync(bench.script)) {
    console.log('not available yet: skipped');
    continue;
  }
  if (bench.needs && !existsSync(bench.needs)) {
    console.log(`needs ${bench.needs}: run "npm run build:e2e" first; skipped`);
    continue;
  }
  const result = spawnSync('node', ['--import', 'tsx', bench.script, ...(bench.args ?? [])], { stdio: 'inherit' });
  if (result.status !== 0) failures += 1;
}
process.exitCode = failures ? 1 : 0;
