/**
 * CPU and forced layouts of highlighting's main-thread slices, from a Chromium trace (CDP `Tracing`): for every
 * `kalkan:highlight` measure, the share of its wall time the thread really ran (thread time / wall time of the
 * task holding it) and the `Layout` / `UpdateLayoutTree` events inside it (a layout there was forced by our read).
 * Complements scripts/bench-highlight.ts, whose wall-clock figures include time the thread was descheduled.
 *   KALKAN_E2E=1 npx wxt build -b chrome && node --import tsx scripts/bench/trace-highlight.ts [--runs 3] [--page parsoid]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchWithExtension } from '../../tests/e2e/support/chromium';
import { startFixtureWiki } from '../../tests/e2e/support/fixture-wiki';

interface TraceEvent {
  name: string; cat: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number;
  id?: string; id2?: { local?: string }; args?: Record<string, unknown>;
}
interface Totals { wall: number; cpu: number; layout: number; style: number; slices: number }

const TITLE = 'Wikipedia:Village pump (technical)/Archive 175';
const SLICE_MEASURE = 'kalkan:highlight';
const DONE_MARK = 'kalkan:highlight-done';
const CATEGORIES = ['blink.user_timing', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'];
/** Time left after the done mark for the last placement and relayouts to be traced. */
const SETTLE_MS = 300;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, page: { type: 'string', default: 'oldparser' } } });
const pagesDir = resolve(process.env.KALKAN_SHARED_DATA ?? resolve('..', 'shared', 'data'), 'pages');
const html = readFileSync(resolve(pagesDir, `enwiki-VPT-Archive175-${values.page}.html`), 'utf8');
const wiki = await startFixtureWiki([{ title: TITLE, namespace: 4, html }]);
const browser = await launchWithExtension();
const done = (tab: import('playwright-core').Page) =>
  tab.waitForFunction((name) => performance.getEntriesByName(name).length > 0, DONE_MARK, { timeout: 60_000 });
const idOf = (event: TraceEvent) => event.id2?.local ?? event.id;
try {
  const warm = await browser.context.newPage();
  await warm.goto(wiki.pageUrl(TITLE));
  await done(warm); // the first load learns the wiki profile and warms the detector
  await warm.close();
  for (let run = 1; run <= Number(values.runs); run += 1) {
    const tab = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(tab);
    const events: TraceEvent[] = [];
    // The protocol types trace events as string maps; their real shape is Chromium's JSON trace format.
    cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])));
    const complete = new Promise<void>((resolveComplete) => cdp.once('Tracing.tracingComplete', () => resolveComplete()));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
    await tab.goto(wiki.pageUrl(TITLE));
    await done(tab);
    await tab.waitForTimeout(SETTLE_MS);
    await cdp.send('Tracing.end');
    await complete;
    await tab.close();
    const timing = events.filter((e) => e.cat.includes('blink.user_timing') && e.name === SLICE_MEASURE);
    const begins = timing.filter((e) => e.ph === 'b');
    const first = begins[0];
    if (!first) {
      console.log(`run ${run}: no ${SLICE_MEASURE} measures in the trace (is this an e2e build?)`);
      continue;
    }
    const main = events.filter((e) => e.pid === first.pid && e.tid === first.tid && e.ph === 'X');
    const tasks = main.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
    const steps = new Map<string, Totals>();
    const all: Totals = { wall: 0, cpu: 0, layout: 0, style: 0, slices: 0 };
    for (const begin of begins) {
      const end = timing.find((e) => e.ph === 'e' && idOf(e) === idOf(begin) && e.ts >= begin.ts);
      if (!end) continue;
      const wall = (end.ts - begin.ts) / 1000;
      const task = tasks.find((t) => t.ts <= begin.ts && t.ts + (t.dur ?? 0) >= end.ts);
      const share = task?.dur ? (task.tdur ?? task.dur) / task.dur : 1;
      const inside = (names: readonly string[]) => main
        .filter((e) => names.includes(e.name) && e.ts >= begin.ts && e.ts + (e.dur ?? 0) <= end.ts)
        .reduce((sum, e) => sum + (e.dur ?? 0) / 1000, 0);
      const detail = JSON.stringify(begin.args ?? {});
      const step = /\\?"step\\?":\\?"(\w+)/.exec(detail)?.[1] ?? '?';
      const totals = steps.get(step) ?? { wall: 0, cpu: 0, layout: 0, style: 0, slices: 0 };
      steps.set(step, totals);
      for (const t of [totals, all]) {
        t.wall += wall;
        t.cpu += wall * share;
        t.layout += inside(['Layout']);
        t.style += inside(['UpdateLayoutTree', 'RecalculateStyles']);
        t.slices += 1;
      }
    }
    const line = (t: Totals) => `${t.slices} slices, wall ${t.wall.toFixed(1)} ms, CPU ≈ ${t.cpu.toFixed(1)} ms, forced layout ${t.layout.toFixed(1)} ms, style ${t.style.toFixed(1)} ms`;
    console.log(`run ${run} (${values.page}): ${line(all)}`);
    for (const [step, totals] of steps) console.log(`  ${step.padEnd(10)} ${line(totals)}`);
  }
} finally {
  await browser.close();
  await wiki.close();
}
