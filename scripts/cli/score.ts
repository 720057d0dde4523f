/**
 * `npm run -s kalkan -- score [--lang xx] [--threshold 0.5] [--jobs N]`: reads JSON lines {"id","text","lang"} on
 * stdin and writes JSON lines {"id","score","flagged","category","reasons":[…]} to stdout, in the input's order. A
 * bad line is reported on stderr with its line number and skipped; the exit code is then 1 (0 when every line was
 * scored). With more than one job, batches of POOL_BATCH_ITEMS comments are scored by worker threads (one per
 * core by default); an input shorter than one batch is scored in this thread, as starting workers would take
 * longer than scoring it.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDetector, type Detector } from '../../utils/detection/detector.ts';
import { POOL_BATCH_ITEMS, POOL_BATCHES_PER_WORKER, scoreLines, type PoolItem, type ScoringPool } from '../../utils/detection/pool.ts';
import { defaultJobs, jobsFrom, startScoringPool } from './score-workers.ts';

export const summary = 'score comments for harassment (JSON lines in, JSON lines out)';

const InputSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  text: z.string(),
  lang: z.string().optional(),
});

const USAGE = 'usage: npm run -s kalkan -- score [--lang xx] [--threshold 0..1] [--jobs N] < comments.jsonl\n' +
  '  each input line: {"id": "…", "text": "…", "lang": "en"} (lang optional; --lang is the default)\n' +
  `  --jobs: worker threads that score (default: one per core, here ${defaultJobs()}; 1 scores in this thread)\n`;

/** Batches scored ahead of the one being written, per worker: enough to keep every worker busy, bounded memory. */
const BATCHES_AHEAD_PER_JOB = 2 * POOL_BATCHES_PER_WORKER;

/** Scores batches in this thread or on the pool (started on the first full batch) and writes them in order. */
class OrderedScorer {
  private detector: Detector | null = null;
  private pool: ScoringPool | null = null;
  private readonly ahead: Promise<string>[] = [];

  constructor(private readonly jobs: number) {}

  async add(items: PoolItem[], full: boolean): Promise<void> {
    if (this.jobs > 1 && (this.pool !== null || full)) {
      this.pool ??= startScoringPool(this.jobs);
      this.ahead.push(this.pool.score(items));
      while (this.ahead.length > this.jobs * BATCHES_AHEAD_PER_JOB) process.stdout.write(await (this.ahead.shift() as Promise<string>));
      return;
    }
    // In this thread only before any pool starts, so nothing is ahead of these lines.
    this.detector ??= createDetector();
    process.stdout.write(scoreLines(this.detector, items));
  }

  async finish(): Promise<void> {
    try {
      while (this.ahead.length > 0) process.stdout.write(await (this.ahead.shift() as Promise<string>));
    } finally {
      await this.pool?.close();
    }
  }
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      lang: { type: 'string' }, threshold: { type: 'string' }, jobs: { type: 'string' }, help: { type: 'boolean', default: false },
    } }));
  } catch (error) {
    process.stderr.write(`score: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) { process.stdout.write(USAGE); return 0; }
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
    process.stderr.write(`score: --threshold must be a number from 0 to 1, got "${values.threshold}"\n`);
    return 2;
  }
  let jobs: number;
  try {
    jobs = jobsFrom(values.jobs);
  } catch (error) {
    process.stderr.write(`score: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const scorer = new OrderedScorer(jobs);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  let bad = 0;
  let items: PoolItem[] = [];
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch (error) {
        bad++;
        process.stderr.write(`score: line ${lineNo}: not valid JSON (${error instanceof Error ? error.message : String(error)}); skipped\n`);
        continue;
      }
      const parsed = InputSchema.safeParse(data);
      if (!parsed.success) {
        bad++;
        const issue = parsed.error.issues[0];
        process.stderr.write(`score: line ${lineNo}: ${issue ? `${issue.path.join('.') || '(line)'}: ${issue.message}` : 'invalid'}; expected {"id","text","lang"}; skipped\n`);
        continue;
      }
      const { id, text, lang } = parsed.data;
      items.push({ id: id ?? null, text, lang: lang ?? values.lang, threshold });
      // One thread writes each line as it is scored (interactive use); the pool is fed whole batches.
      if (items.length >= (jobs === 1 ? 1 : POOL_BATCH_ITEMS)) {
        await scorer.add(items, true);
        items = [];
      }
    }
    if (items.length > 0) await scorer.add(items, false);
  } finally {
    await scorer.finish();
  }
  return bad > 0 ? 1 : 0;
}
