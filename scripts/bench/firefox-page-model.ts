/**
 * Page-model build time inside Firefox ESR (headless, WebDriver BiDi), by the real content script: the same
 * saved pages and the same `kalkan:model-build` measure as scripts/bench/chromium-page-model.ts, so the two
 * browsers compare. Firefox has no long-task observer, so only the build's slices are reported.
 *
 *   node --import tsx scripts/bench/firefox-page-model.ts [--runs 5] [--only oldparser|legacy|desktop]
 *   (needs the Firefox e2e build: npm run build:e2e)
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BidiSession, FIREFOX_E2E_EXTENSION_DIR, firefoxPath } from '../../tests/e2e/support/firefox';
import { startFixtureWiki, type FixturePage } from '../../tests/e2e/support/fixture-wiki';

const PAGES_DIR = resolve(process.env.KALKAN_SHARED_DATA ?? resolve('..', 'shared', 'data'), 'pages');
const TITLE = 'Wikipedia:Village pump (technical)/Archive 175';
const MEASURE = 'kalkan:model-build';
/** How long one load may take to produce the measure. */
export const LOAD_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

interface Sample { busyMs: number; wallMs: number; slices: number; longestSliceMs: number; comments: number }

const VARIANTS = [
  { name: 'enwiki VPT Archive 175, old parser (no markers)', file: 'enwiki-VPT-Archive175-oldparser.html' },
  { name: 'enwiki VPT Archive 175, DT-formatted legacy (markers)', file: 'enwiki-VPT-Archive175-DT-formatted-legacy.html' },
  { name: 'enwiki VPT Archive 175, DT-formatted desktop (markers)', file: 'enwiki-VPT-Archive175-DT-formatted-desktop.html' },
];

const READ_MEASURE = `(() => {
  const m = performance.getEntriesByName(${JSON.stringify(MEASURE)})[0];
  if (!m) return null;
  const d = m.detail || {};
  return JSON.stringify({ busyMs: d.busyMs ?? m.duration, wallMs: m.duration, slices: d.slices ?? 1,
    longestSliceMs: d.longestSliceMs ?? m.duration, comments: d.comments ?? -1 });
})()`;

async function loadOnce(firefox: BidiSession, url: string): Promise<Sample> {
  const context = await firefox.topContext();
  await firefox.send('browsingContext.navigate', { context, url: 'about:blank', wait: 'complete' });
  await firefox.send('browsingContext.navigate', { context, url, wait: 'complete' });
  for (const started = Date.now(); Date.now() - started < LOAD_TIMEOUT_MS;) {
    const read = await firefox.evaluate(context, READ_MEASURE);
    if (typeof read === 'string') return JSON.parse(read) as Sample;
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
  throw new Error(`No "${MEASURE}" measure within ${LOAD_TIMEOUT_MS / 1000} s on ${url}: is ${FIREFOX_E2E_EXTENSION_DIR} an e2e build?`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] ?? 0) : 0;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, only: { type: 'string' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) { console.error('--runs must be a whole number ≥ 1'); return 2; }
  if (!firefoxPath()) { console.error('firefox-esr is not installed (apt-get install -y firefox-esr).'); return 2; }
  if (!existsSync(resolve(FIREFOX_E2E_EXTENSION_DIR, 'manifest.json'))) {
    console.error(`No Firefox e2e build at ${FIREFOX_E2E_EXTENSION_DIR}: run "npm run build:e2e" first.`);
    return 2;
  }
  const variants = VARIANTS.filter((v) => existsSync(resolve(PAGES_DIR, v.file)) && (!values.only || v.file.includes(values.only)));
  if (variants.length === 0) { console.error(`${PAGES_DIR} holds none of the benchmark pages.`); return 2; }
  const firefox = await BidiSession.launch();
  const results: Array<{ name: string; samples: Sample[] }> = [];
  try {
    await firefox.send('webExtension.install', { extensionData: { type: 'path', path: FIREFOX_E2E_EXTENSION_DIR } });
    for (const variant of variants) {
      const page: FixturePage = { title: TITLE, namespace: 4, html: readFileSync(resolve(PAGES_DIR, variant.file), 'utf8') };
      const wiki = await startFixtureWiki([page]);
      try {
        const samples: Sample[] = [];
        for (let run = 0; run < runs + 1; run += 1) {
          const sample = await loadOnce(firefox, wiki.pageUrl(TITLE));
          // The first load warms caches, as in the Chromium benchmark.
          if (run > 0) samples.push(sample);
          process.stderr.write(`  ${variant.file} load ${run}: ${sample.busyMs.toFixed(1)} ms${run === 0 ? ' (warm-up)' : ''}\n`);
        }
        results.push({ name: variant.name, samples });
      } finally {
        await wiki.close();
      }
    }
  } finally {
    await firefox.close();
  }
  console.log('\nPage model inside Firefox ESR (content script, real page; median of runs after one warm-up)');
  console.log('| page | comments | main-thread ms (median) | min | max | slices | longest slice ms (max) | wall ms (median) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { name, samples } of results) {
    const busy = samples.map((s) => s.busyMs);
    console.log(`| ${name} | ${samples[0]?.comments ?? '?'} | ${median(busy).toFixed(1)} | ${Math.min(...busy).toFixed(1)} | ${Math.max(...busy).toFixed(1)} | ${median(samples.map((s) => s.slices))} | ${Math.max(...samples.map((s) => s.longestSliceMs)).toFixed(1)} | ${median(samples.map((s) => s.wallMs)).toFixed(1)} |`);
  }
  return 0;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
