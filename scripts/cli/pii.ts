/**
 * `npm run -s kalkan -- pii [--lang xx] [--region KG]…` — reads JSON lines {"id","text"} on stdin and writes
 * {"id","spans":[{"type","start","end"}]} per line (UTF-16 offsets, end exclusive). Pattern detectors only; the
 * user's own identifiers live in the extension's storage, not here.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { scanTextSync } from '../../utils/masking/scan.ts';
import { RegionSchema } from '../../utils/masking/schema.ts';
import { DEFAULT_MIN_CONFIDENCE } from '../../utils/masking/limits.ts';

export const summary = 'find identifying details (e-mail, phone, IP, links, addresses…) in JSON lines';

const USAGE = `usage: npm run -s kalkan -- pii [--lang xx] [--region KG]... [--min-confidence 0.5]
  stdin:  one JSON object per line: {"id": ..., "text": "..."}
  stdout: one JSON object per line: {"id": ..., "spans": [{"type", "start", "end"}]}
  --lang            content language, picks cue words (default en)
  --region          default country for national phone numbers; repeat for several (default none)
  --min-confidence  drop findings below this (default ${DEFAULT_MIN_CONFIDENCE})
`;

const LineSchema = z.object({ id: z.union([z.string(), z.number()]), text: z.string() });

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        lang: { type: 'string', default: 'en' },
        region: { type: 'string', multiple: true, default: [] },
        'min-confidence': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`pii: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const regions: string[] = [];
  for (const r of values.region) {
    const parsed = RegionSchema.safeParse(r.toUpperCase());
    if (!parsed.success) {
      process.stderr.write(`pii: --region "${r}" is not a two-letter region code; use e.g. --region KG\n`);
      return 2;
    }
    regions.push(parsed.data);
  }
  let minConfidence = DEFAULT_MIN_CONFIDENCE;
  if (values['min-confidence'] !== undefined) {
    minConfidence = Number(values['min-confidence']);
    if (!(minConfidence >= 0 && minConfidence <= 1)) {
      process.stderr.write('pii: --min-confidence must be a number from 0 to 1, e.g. 0.5\n');
      return 2;
    }
  }
  const lang = values.lang;
  if (!/^[a-z]{2,3}(?:-[a-z0-9]+)*$/i.test(lang)) {
    process.stderr.write(`pii: --lang "${lang}" is not a language code; use e.g. --lang ky\n`);
    return 2;
  }

  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  let bad = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      process.stderr.write(`pii: line ${lineNo} is not JSON (${error instanceof Error ? error.message : 'parse error'}); ` +
        'each line must be {"id": ..., "text": "..."}\n');
      bad++;
      continue;
    }
    const parsed = LineSchema.safeParse(json);
    if (!parsed.success) {
      process.stderr.write(`pii: line ${lineNo} needs an "id" (string or number) and a "text" string\n`);
      bad++;
      continue;
    }
    const { findings, truncated } = scanTextSync(parsed.data.text, { lang, regions, minConfidence });
    if (truncated) process.stderr.write(`pii: line ${lineNo}: text too long or too many findings; only part scanned\n`);
    const spans = findings.map((f) => ({ type: f.type, start: f.start, end: f.end }));
    process.stdout.write(`${JSON.stringify({ id: parsed.data.id, spans })}\n`);
  }
  return bad > 0 ? 2 : 0;
}
