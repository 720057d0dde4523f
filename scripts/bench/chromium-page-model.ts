/**
 * Page-model build time inside Chromium, on the loaded page, by the real content script: the large saved talk
 * pages of ../shared/data/pages served by a fixture wiki, with and without DiscussionTools markers. Prints the
 * median of the `kalkan:model-build` measure and the long tasks (> 50 ms) that overlap Kalkan's work.
 *
 *   node --import tsx scripts/bench/chromium-page-model.ts [--runs 5] [--only oldparser|legacy|desktop]
 *   (needs the e2e build: npm run build:e2e)
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchWithExtension, E2E_EXTENSION_DIR } from '../../tests/e2e/support/chromium';
import { startFixtureWiki, type FixturePage } from '../../tests/e2e/support/fixture-wiki';

const PAGES_DIR = resolve(process.env.KALKAN_SHARED_DATA ?? resolve('..', 'shared', 'data'), 'pages');
const TITLE = 'Wikipedia:Village pump (technical)/Archive 175';
export const LONG_TASK_MS = 50;
const MEASURE = 'kalkan:model-build';

/** busyMs: main-thread time of the build's slices; wallMs: first slice to model; longestSliceMs: the longest slice. */
interface Sample { busyMs: number; wallMs: number; slices: number; longestSliceMs: number; comments: number; longTasks: number[]; overlapping: number[] }

/** The whole benchmark gives up after this long (a stale browser from an earlier run once made it hang). */
export const BENCH_TIMEOUT_MS = 10 * 60_000;

/** How long closing the browser may take before the benchmark reports without waiting for it. */
export const BROWSER_CLOSE_TIMEOUT_MS = 15_000;

export async function benchChromiumPageModel(runs: number, only?: string): Promise<Array<{ name: string; markers: boolean; samples: Sample[] }>> {
  const variants = [
    { name: 'enwiki VPT Archive 175, old parser (no markers)', file: 'enwiki-VPT-Archive175-oldparser.html', markers: false },
    { name: 'enwiki VPT Archive 175, DT-formatted legacy (markers)', file: 'enwiki-VPT-Archive175-DT-formatted-legacy.html', markers: true },
    { name: 'enwiki VPT Archive 175, DT-formatted desktop (markers)', file: 'enwiki-VPT-Archive175-DT-formatted-desktop.html', markers: true },
  ].filter((variant) => existsSync(resolve(PAGES_DIR, variant.file)) && (!only || variant.file.includes(only)));
  const results = [];
  const browser = await launchWithExtension();
  try {
    for (const variant of variants) {
      const page: FixturePage = { title: TITLE, namespace: 4, html: readFileSync(resolve(PAGES_DIR, variant.file), 'utf8') };
      const wiki = await startFixtureWiki([page]);
      const samples: Sample[] = [];
      for (let run = 0; run < runs + 1; run += 1) {
        const tab = await browser.context.newPage();
        await tab.addInitScript(() => {
          const w = window as unknown as { __longTasks: Array<{ start: number; duration: number }> };
          w.__longTasks = [];
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) w.__longTasks.push({ start: entry.startTime, duration: entry.duration });
          }).observe({ type: 'longtask', buffered: true });
        });
        await tab.goto(wiki.pageUrl(TITLE), { waitUntil: 'load' });
        await tab.waitForFunction((name) => performance.getEntriesByName(name).length > 0, MEASURE, { timeout: 60_000 });
        await tab.waitForTimeout(300);
        const sample = await tab.evaluate((name) => {
          const measure = performance.getEntriesByName(name)[0] as PerformanceMeasure;
          const tasks = (window as unknown as { __longTasks: Array<{ start: number; duration: number }> }).__longTasks;
          const end = measure.startTime + measure.duration;
          const detail = (measure.detail ?? {}) as { busyMs?: number; slices?: number; longestSliceMs?: number; comments?: number };
          return {
            busyMs: detail.busyMs ?? measure.duration,
            wallMs: measure.duration,
            slices: detail.slices ?? 1,
            longestSliceMs: detail.longestSliceMs ?? measure.duration,
            comments: detail.comments ?? -1,
            longTasks: tasks.map((t) => t.duration),
            overlapping: tasks.filter((t) => t.start < end && t.start + t.duration > measure.startTime).map((t) => t.duration),
          };
        }, MEASURE);
        await tab.close();
        // The first load warms caches and the profile. (The comment count comes with the measure: asking the MV3
        // service worker hung the benchmark whenever Chromium had stopped it for idleness between loads.)
        if (run > 0) samples.push(sample);
        process.stderr.write(`  ${variant.file} load ${run}: ${sample.busyMs.toFixed(1)} ms${run === 0 ? ' (warm-up)' : ''}\n`);
      }
      await wiki.close();
      results.push({ name: variant.name, markers: variant.markers, samples });
    }
  } finally {
    // A hung shutdown must not take the figures with it.
    await Promise.race([browser.close(), new Promise((done) => setTimeout(done, BROWSER_CLOSE_TIMEOUT_MS))]);
  }
  return results;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] ?? 0) : 0;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, only: { type: 'string' } } });
  if (!existsSync(resolve(E2E_EXTENSION_DIR, 'manifest.json'))) {
    console.error(`No e2e build at ${E2E_EXTENSION_DIR}: run "npm run build:e2e" first.`);
    return 2;
  }
  if (!existsSync(PAGES_DIR)) {
    console.error(`${PAGES_DIR} not found: the benchmark needs ../shared/data/pages.`);
    return 2;
  }
  const timer = setTimeout(() => {
    console.error(`Benchmark still running after ${BENCH_TIMEOUT_MS / 60_000} min: giving up (look for stale chromium processes).`);
    process.exit(1);
  }, BENCH_TIMEOUT_MS);
  timer.unref();
  const results = await benchChromiumPageModel(Number(values.runs), values.only);
  console.log('\nPage model inside Chromium (content script, real page; median of runs after one warm-up)');
  console.log('| page | comments | main-thread ms (median) | min | max | slices | longest slice ms (max) | wall ms (median) | long tasks overlapping Kalkan (ms) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const result of results) {
    console.error(`${result.name}: ${result.samples.map((s) => s.busyMs.toFixed(1)).join(', ')} ms`);
  }
  for (const result of results) {
    const busy = result.samples.map((s) => s.busyMs);
    const overlapping = result.samples.flatMap((s) => s.overlapping);
    console.log(`| ${result.name} | ${result.samples[0]?.comments ?? '?'} | ${median(busy).toFixed(1)} | ${Math.min(...busy).toFixed(1)} | ${Math.max(...busy).toFixed(1)} | ${median(result.samples.map((s) => s.slices))} | ${Math.max(...result.samples.map((s) => s.longestSliceMs)).toFixed(1)} | ${median(result.samples.map((s) => s.wallMs)).toFixed(1)} | ${overlapping.length ? overlapping.map((d) => d.toFixed(0)).join(', ') : 'none'} |`);
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((code) => { process.exitCode = code; }, (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
