/**
 * Throughput of the detector in Node, in MB/s of comment text (UTF-8 bytes).
 *   node --import tsx scripts/bench-detector.ts [--mb 4]
 * Uses the labelled comments from ../shared/data/toxicity when present (realistic mix of languages and
 * abuse), else generated sentences.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDetector } from '../utils/detection/detector.ts';
import { parseTable } from '../utils/detection/training.ts';
import { TOXICITY_DIR } from './train-detector.ts';

export const DEFAULT_BENCH_MB = 4;

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
    ({ values } = parseArgs({ args: argv, options: { mb: { type: 'string', default: String(DEFAULT_BENCH_MB) } } }));
  } catch (error) {
    process.stderr.write(`bench-detector: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const targetBytes = Number(values.mb) * 1e6;
  if (!(targetBytes > 0)) { process.stderr.write('bench-detector: --mb must be a positive number\n'); return 2; }
  const rows = corpus();
  const detector = createDetector();
  for (const r of rows.slice(0, 300)) detector.detect(r.text, { lang: r.lang }); // warm up JIT and pack caches
  const sizes = rows.map((r) => Buffer.byteLength(r.text, 'utf8'));
  let bytes = 0; let n = 0; let flagged = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  while (bytes < targetBytes) {
    const i = n % rows.length;
    const r = rows[i]!;
    if (detector.detect(r.text, { lang: r.lang }).flagged) flagged++;
    bytes += sizes[i]!;
    n++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // On a shared machine wall time also counts the time other processes held the CPU; CPU time does not.
  process.stdout.write(`${n} comments, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s: ${(bytes / 1e6 / seconds).toFixed(1)} MB/s wall, ` +
    `${(bytes / 1e6 / cpuSeconds).toFixed(1)} MB/s of CPU time (${Math.round(n / seconds)} comments/s, ${flagged} flagged)\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stderr.write(`bench-detector: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
