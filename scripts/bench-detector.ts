/**
 * Throughput of the detector in Node, in MB/s of comment text (UTF-8 bytes).
 *   node --import tsx scripts/bench-detector.ts [--mb 4] [--runs 5] [--warmup-mb 8] [--as-parsed] [--jobs N]
 * Uses the labelled comments from ../shared/data/toxicity when present (realistic mix of languages and
 * abuse), else generated sentences. Each run scores --mb of text; the median of the runs is printed last (on a
 * shared machine single runs vary by ±30%). The detector lives on between runs, as it does in the extension's
 * background, so later runs find its per-word caches warm.
 *
 * Two things keep the figure faithful to the extension: the texts reach the detector as the background receives
 * them, through a structured clone (a runtime message), which gives flat strings — the CSV parser builds each field
 * with `+=`, a rope V8 must reach through on every character read (`--as-parsed` keeps those); and --warmup-mb of
 * text is scored untimed first, since the background's detector is long-lived and the first ~6 MB it scores run
 * 2–4× slower while the JIT compiles (the old warm-up of 300 comments left the first timed run in that phase).
 *
 * Then the same runs through the CLI's scoring pool (`score --jobs`: worker threads, one per core by default; --jobs
 * 1 skips it): batches of POOL_BATCH_ITEMS comments posted to the workers and their output lines received, as the
 * CLI does, after each worker has scored --warmup-mb untimed. Its CPU figure counts every thread of the process.
 * The single-thread runs above score only (no output line); the pool's workers also write each line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDetector } from '../utils/detection/detector.ts';
import { POOL_BATCH_ITEMS, type PoolItem, type ScoringPool } from '../utils/detection/pool.ts';
import { defaultJobs, jobsFrom, startScoringPool } from './cli/score-workers.ts';
import { parseTable } from '../utils/detection/training.ts';
import { TOXICITY_DIR } from './train-detector.ts';

export const DEFAULT_BENCH_MB = 4;
export const DEFAULT_BENCH_RUNS = 5;
/** Text scored untimed before the runs (JIT warm-up; see above). */
export const DEFAULT_WARMUP_MB = 8;
/** Comments scored untimed even with --warmup-mb 0 (the old warm-up: compiles the packs it needs). */
export const WARMUP_MIN_COMMENTS = 300;

function corpus(): Array<{ text: string; lang: string }> {
  const file = resolve(TOXICITY_DIR, 'jigsaw2020-multilingual-validation/validation.csv');
  const en = resolve(TOXICITY_DIR, 'unintended-ml-bias-analysis/toxicity_nonfuzzed_testset.csv');
  if (existsSync(file) && existsSync(en)) {
    return [
      ...parseTable(readFileSync(file, 'utf8'), ',').map((r) => ({ text: r['comment_text'] ?? '', lang: r['lang'] ?? 'en' })),
      ...parseTable(readFileSync(en, 'utf8'), ',').map((r) => ({ text: r['comment'] ?? '', lang: 'en' })),
    ];
  }
  process.stderr.write(`bench-detector: ${TOXICITY_DIR} not found; using generated text\n`);
  const words = ['the', 'article', 'source', 'please', 'revert', 'idiot', 'thanks', 'edit', 'you', 'talk', 'page', 'sección', 'дебил', 'спасибо'];
  return Array.from({ length: 2000 }, (_, i) => ({ text: Array.from({ length: 40 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' '), lang: 'en' }));
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      mb: { type: 'string', default: String(DEFAULT_BENCH_MB) }, runs: { type: 'string', default: String(DEFAULT_BENCH_RUNS) },
      'warmup-mb': { type: 'string', default: String(DEFAULT_WARMUP_MB) }, 'as-parsed': { type: 'boolean', default: false },
      jobs: { type: 'string', default: String(defaultJobs()) },
    } }));
  } catch (error) {
    process.stderr.write(`bench-detector: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const targetBytes = Number(values.mb) * 1e6;
  if (!(targetBytes > 0)) { process.stderr.write('bench-detector: --mb must be a positive number\n'); return 2; }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) { process.stderr.write('bench-detector: --runs must be a whole number ≥ 1\n'); return 2; }
  const warmupBytes = Number(values['warmup-mb']) * 1e6;
  if (!(warmupBytes >= 0)) { process.stderr.write('bench-detector: --warmup-mb must be a number ≥ 0\n'); return 2; }
  let jobs: number;
  try {
    jobs = jobsFrom(values.jobs);
  } catch (error) {
    process.stderr.write(`bench-detector: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const parsed = corpus();
  const rows = values['as-parsed'] ? parsed : structuredClone(parsed);
  const detector = createDetector();
  const sizes = rows.map((r) => Buffer.byteLength(r.text, 'utf8'));
  if (!sizes.some((b) => b > 0)) { process.stderr.write(`bench-detector: the comments in ${TOXICITY_DIR} hold no text; check the data set\n`); return 2; }
  // Untimed: JIT warm-up and pack caches (with --warmup-mb 0, the first 300 comments as before). The timed runs
  // still start at the first row.
  let warmed = 0;
  for (let n = 0; warmed < warmupBytes || n < WARMUP_MIN_COMMENTS; n++) {
    const i = n % rows.length;
    detector.detect(rows[i]!.text, { lang: rows[i]!.lang });
    warmed += sizes[i]!;
  }
  const wall: number[] = [];
  const cpuRates: number[] = [];
  let next = 0;
  for (let run = 0; run < runs; run++) {
    const r = measure(rows, sizes, targetBytes, next, (row) => detector.detect(row.text, { lang: row.lang }).flagged);
    next = r.next;
    wall.push(r.wall);
    cpuRates.push(r.cpu);
  }
  if (runs > 1) {
    process.stdout.write(`median of ${runs} runs: ${median(wall).toFixed(1)} MB/s wall, ${median(cpuRates).toFixed(1)} MB/s of CPU time\n`);
  }
  if (jobs > 1) await benchPool(rows, sizes, jobs, runs, targetBytes, warmupBytes);
  return 0;
}

/** The runs again through the scoring pool of `jobs` workers (what `score --jobs` uses). */
async function benchPool(
  rows: ReadonlyArray<{ text: string; lang: string }>, sizes: readonly number[], jobs: number, runs: number,
  targetBytes: number, warmupBytes: number,
): Promise<void> {
  const pool = startScoringPool(jobs);
  try {
    let next = (await poolPass(pool, rows, sizes, 0, Math.max(warmupBytes * jobs, 1))).next;
    const wall: number[] = [];
    const cpuRates: number[] = [];
    for (let run = 0; run < runs; run++) {
      const start = process.hrtime.bigint();
      const cpuStart = process.cpuUsage();
      const r = await poolPass(pool, rows, sizes, next, targetBytes);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const cpu = process.cpuUsage(cpuStart);
      next = r.next;
      wall.push(r.bytes / 1e6 / seconds);
      cpuRates.push(r.bytes / 1e6 / ((cpu.user + cpu.system) / 1e6));
      process.stdout.write(`pool of ${jobs}: ${r.comments} comments, ${(r.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s: ` +
        `${wall[run]!.toFixed(1)} MB/s wall, ${cpuRates[run]!.toFixed(1)} MB/s of CPU time (all threads; ${r.flagged} flagged)\n`);
    }
    if (runs > 1) {
      process.stdout.write(`median of ${runs} runs, pool of ${jobs} workers: ${median(wall).toFixed(1)} MB/s wall, ${median(cpuRates).toFixed(1)} MB/s of CPU time\n`);
    }
  } finally {
    await pool.close();
  }
}

/** Posts batches from `first` on (wrapping around) until targetBytes, keeping every worker busy; waits for all. */
async function poolPass(
  pool: ScoringPool, rows: ReadonlyArray<{ text: string; lang: string }>, sizes: readonly number[], first: number, targetBytes: number,
): Promise<{ bytes: number; comments: number; flagged: number; next: number }> {
  let bytes = 0;
  let n = 0;
  const batches: Promise<number>[] = [];
  while (bytes < targetBytes) {
    const items: PoolItem[] = [];
    while (items.length < POOL_BATCH_ITEMS && bytes < targetBytes) {
      const i = (first + n) % rows.length;
      items.push({ id: i, text: rows[i]!.text, lang: rows[i]!.lang });
      bytes += sizes[i]!;
      n++;
    }
    batches.push(pool.score(items).then((lines) => lines.split('"flagged":true').length - 1));
  }
  const flagged = (await Promise.all(batches)).reduce((a, b) => a + b, 0);
  return { bytes, comments: n, flagged, next: (first + n) % rows.length };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Scores rows from `first` on (wrapping around) until targetBytes; prints and returns MB/s wall and CPU. */
function measure(
  rows: ReadonlyArray<{ text: string; lang: string }>, sizes: readonly number[], targetBytes: number, first: number,
  flags: (row: { text: string; lang: string }) => boolean,
): { wall: number; cpu: number; next: number } {
  let bytes = 0; let n = 0; let flagged = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  while (bytes < targetBytes) {
    const i = (first + n) % rows.length;
    if (flags(rows[i]!)) flagged++;
    bytes += sizes[i]!;
    n++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // On a shared machine wall time also counts the time other processes held the CPU; CPU time does not.
  process.stdout.write(`${n} comments, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s: ${(bytes / 1e6 / seconds).toFixed(1)} MB/s wall, ` +
    `${(bytes / 1e6 / cpuSeconds).toFixed(1)} MB/s of CPU time (${Math.round(n / seconds)} comments/s, ${flagged} flagged)\n`);
  return { wall: bytes / 1e6 / seconds, cpu: bytes / 1e6 / cpuSeconds, next: (first + n) % rows.length };
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stderr.write(`bench-detector: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
