/**
 * `npm run -s kalkan -- score [--lang xx] [--threshold 0.5]`: reads JSON lines {"id","text","lang"} on stdin and
 * writes JSON lines {"id","score","flagged","category","reasons":[…]} to stdout. A bad line is reported on stderr
 * with its line number and skipped; the exit code is then 1 (0 when every line was scored).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDetector } from '../../utils/detection/detector.ts';

export const summary = 'score comments for harassment (JSON lines in, JSON lines out)';

const InputSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  text: z.string(),
  lang: z.string().optional(),
});

const USAGE = 'usage: npm run -s kalkan -- score [--lang xx] [--threshold 0..1] < comments.jsonl\n' +
  '  each input line: {"id": "…", "text": "…", "lang": "en"} (lang optional; --lang is the default)\n';

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      lang: { type: 'string' }, threshold: { type: 'string' }, help: { type: 'boolean', default: false },
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
  const detector = createDetector();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  let bad = 0;
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
    const r = detector.detect(text, { lang: lang ?? values.lang, threshold });
    process.stdout.write(`${JSON.stringify({ id: id ?? null, score: r.score, flagged: r.flagged, category: r.category, reasons: r.reasons, learned: r.learned })}\n`);
  }
  return bad > 0 ? 1 : 0;
}
