/**
 * Precision/recall of utils/masking on the shared PII sets (../shared/data/pii, see its README):
 *   node --import tsx scripts/eval-pii.ts [--region US]... [--min-confidence 0.5] [--show 5]
 *
 * Presidio synthetic sets (English, Faker values, numbers from many countries): gold types mapped to ours —
 *   EMAIL_ADDRESS→EMAIL, PHONE_NUMBER→PHONE, IP_ADDRESS→IP, STREET_ADDRESS/ADDRESS/ZIP_CODE→ADDRESS, PERSON→PERSON.
 * Not ours (ignored as gold; a prediction overlapping one counts as a false positive): GPE, LOCATION,
 *   ORGANIZATION, CREDIT_CARD, DATE_TIME (any date, not a birth date), TITLE, AGE, NRP, IBAN_CODE, US_SSN,
 *   US_DRIVER_LICENSE, PREFIX, DOMAIN_NAME (company sites; Kalkan flags profile links only).
 * Our types without gold here (URL, HANDLE, DATE_OF_BIRTH, COORDINATES) are listed as counts only.
 * PERSON recall is low by design: Kalkan has no general name recogniser, only "my name is X" and the user's own
 * listed names.
 * factRuEval-2016 (real Russian news): Person objects as gold for PERSON; every other finding is a false positive
 *   (news text has no personal contact details), reported per 100 000 characters.
 * antidox: 12 toy sentences, expected details written below by hand.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { scanTextSync } from '../utils/masking/scan.ts';
import { PII_TYPES, type Finding, type PiiType } from '../utils/masking/schema.ts';

const PresidioSchema = z.array(z.object({
  full_text: z.string(),
  spans: z.array(z.object({ entity_type: z.string(), start_position: z.number(), end_position: z.number() })),
}));

const PRESIDIO_MAP: Readonly<Record<string, PiiType>> = {
  EMAIL_ADDRESS: 'EMAIL', PHONE_NUMBER: 'PHONE', IP_ADDRESS: 'IP', STREET_ADDRESS: 'ADDRESS', ADDRESS: 'ADDRESS',
  ZIP_CODE: 'ADDRESS', PERSON: 'PERSON',
};

interface Gold { type: PiiType; start: number; end: number }
interface Counts { gold: number; pred: number; tpPredOverlap: number; tpGoldOverlap: number; exact: number }

function emptyCounts(): Record<PiiType, Counts> {
  const out = {} as Record<PiiType, Counts>;
  for (const t of PII_TYPES) out[t] = { gold: 0, pred: 0, tpPredOverlap: 0, tpGoldOverlap: 0, exact: 0 };
  return out;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

function score(counts: Record<PiiType, Counts>, gold: readonly Gold[], pred: readonly Finding[]): void {
  for (const g of gold) {
    counts[g.type].gold++;
    if (pred.some((p) => p.type === g.type && overlaps(p, g))) counts[g.type].tpGoldOverlap++;
    if (pred.some((p) => p.type === g.type && p.start === g.start && p.end === g.end)) counts[g.type].exact++;
  }
  for (const p of pred) {
    counts[p.type].pred++;
    if (gold.some((g) => g.type === p.type && overlaps(p, g))) counts[p.type].tpPredOverlap++;
  }
}

const fmt = (n: number, d: number): string => (d === 0 ? '   –' : (n / d).toFixed(2).padStart(4));

function printTable(title: string, counts: Record<PiiType, Counts>): void {
  process.stdout.write(`\n${title}\n`);
  process.stdout.write('type           gold  pred  precision  recall  recall(exact)\n');
  for (const t of PII_TYPES) {
    const c = counts[t];
    if (c.gold === 0 && c.pred === 0) continue;
    const note = c.gold === 0 ? '  (no gold of this type here)' : '';
    process.stdout.write(`${t.padEnd(14)} ${String(c.gold).padStart(4)}  ${String(c.pred).padStart(4)}  ` +
      `${fmt(c.tpPredOverlap, c.pred).padStart(9)}  ${fmt(c.tpGoldOverlap, c.gold).padStart(6)}  ` +
      `${fmt(c.exact, c.gold).padStart(13)}${note}\n`);
  }
}

function main(): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        region: { type: 'string', multiple: true, default: [] },
        'min-confidence': { type: 'string', default: '0.5' },
        show: { type: 'string', default: '0' },
        data: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`eval-pii: ${error instanceof Error ? error.message : String(error)}\n` +
      'usage: node --import tsx scripts/eval-pii.ts [--region US]... [--min-confidence 0.5] [--show N] [--data DIR]\n');
    return 2;
  }
  const dataDir = resolve(values.data ?? process.env.KALKAN_SHARED_DATA ?? resolve('..', 'shared', 'data'), 'pii');
  if (!existsSync(dataDir)) {
    process.stderr.write(`eval-pii: ${dataDir} not found; pass --data <shared/data dir> or set KALKAN_SHARED_DATA\n`);
    return 2;
  }
  const regions = values.region.map((r) => r.toUpperCase());
  const minConfidence = Number(values['min-confidence']);
  const show = Number(values.show);
  const opts = { lang: 'en', regions, minConfidence };
  process.stdout.write(`regions: [${regions.join(', ')}], min confidence ${minConfidence}\n`);

  // Presidio
  for (const file of ['synth_dataset_v2.json', 'generated_large.json']) {
    const path = join(dataDir, 'presidio-research', file);
    if (!existsSync(path)) continue;
    const samples = PresidioSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    const counts = emptyCounts();
    const misses: string[] = [];
    /** Our type → gold type it overlapped, for our types Presidio does not label (DOB inside DATE_TIME…). */
    const unlabelled = new Map<string, number>();
    const falses: string[] = [];
    const t0 = performance.now();
    for (const s of samples) {
      const gold: Gold[] = [];
      for (const sp of s.spans) {
        const type = PRESIDIO_MAP[sp.entity_type];
        if (type) gold.push({ type, start: sp.start_position, end: sp.end_position });
      }
      const pred = scanTextSync(s.full_text, opts).findings;
      score(counts, gold, pred);
      for (const p of pred) {
        if (Object.values(PRESIDIO_MAP).includes(p.type)) continue;
        const hit = s.spans.find((g) => overlaps(p, { start: g.start_position, end: g.end_position }));
        const key = `${p.type} inside ${hit?.entity_type ?? 'no labelled span'}`;
        unlabelled.set(key, (unlabelled.get(key) ?? 0) + 1);
      }
      if (show > 0) {
        for (const g of gold) {
          if (!pred.some((p) => p.type === g.type && overlaps(p, g)) && ['EMAIL', 'PHONE', 'IP'].includes(g.type)) {
            misses.push(`${g.type} missed: ${JSON.stringify(s.full_text.slice(Math.max(0, g.start - 30), g.end + 10))}`);
          }
        }
        for (const p of pred) {
          if (!gold.some((g) => g.type === p.type && overlaps(p, g))) falses.push(`${p.type} false: ${JSON.stringify(p.text)}`);
        }
      }
    }
    const ms = performance.now() - t0;
    printTable(`Presidio ${file} (${samples.length} samples, ${ms.toFixed(0)} ms)`, counts);
    for (const [key, n] of unlabelled) process.stdout.write(`  ${key}: ${n}\n`);
    for (const line of [...misses.slice(0, show), ...falses.slice(0, show * 3)]) process.stdout.write(`  ${line}\n`);
  }

  // factRuEval-2016
  const ruDir = join(dataDir, 'factRuEval-2016-testset');
  if (existsSync(ruDir)) {
    const counts = emptyCounts();
    let chars = 0;
    const examples: string[] = [];
    for (const name of readdirSync(ruDir).filter((n) => n.endsWith('.txt') && n.startsWith('book_')).sort()) {
      const base = name.slice(0, -4);
      const text = readFileSync(join(ruDir, name), 'utf8');
      chars += text.length;
      const spans = new Map<string, { start: number; end: number }>();
      for (const line of readFileSync(join(ruDir, `${base}.spans`), 'utf8').split('\n')) {
        const [id, , start, len] = line.split(' ');
        if (id && start && len) spans.set(id, { start: Number(start), end: Number(start) + Number(len) });
      }
      const gold: Gold[] = [];
      for (const line of readFileSync(join(ruDir, `${base}.objects`), 'utf8').split('\n')) {
        const [head] = line.split('#');
        const parts = (head ?? '').trim().split(/\s+/);
        if (parts[1] !== 'Person') continue;
        const members = parts.slice(2).map((id) => spans.get(id)).filter((s) => s !== undefined);
        if (members.length === 0) continue;
        gold.push({ type: 'PERSON', start: Math.min(...members.map((m) => m.start)), end: Math.max(...members.map((m) => m.end)) });
      }
      const pred = scanTextSync(text, { ...opts, lang: 'ru', regions: regions.length ? regions : ['RU'] }).findings;
      score(counts, gold, pred);
      for (const p of pred) if (p.type !== 'PERSON' && examples.length < show * 3) examples.push(`${p.type}: ${JSON.stringify(p.text)}`);
    }
    printTable(`factRuEval-2016 (Russian news, ${chars} chars; region RU unless --region given)`, counts);
    const per100k = (n: number): string => ((n / chars) * 100_000).toFixed(1);
    const other = PII_TYPES.filter((t) => t !== 'PERSON').map((t) => `${t} ${per100k(counts[t].pred)}`).join(', ');
    process.stdout.write(`  findings per 100k chars in news text (all false positives or public contact details): ${other}\n`);
    for (const e of examples) process.stdout.write(`  ${e}\n`);
  }

  // antidox smoke test: expected details by row id, written by hand from the 12 sentences.
  const antidox = join(dataDir, 'wikidetox-antidox', 'example.csv');
  if (existsSync(antidox)) {
    const expected: Readonly<Record<string, readonly PiiType[]>> = {
      '5': ['PERSON'], '7': ['PHONE'], '8': ['DATE_OF_BIRTH'], '9': ['EMAIL'], '12': ['EMAIL', 'PHONE'],
    };
    let ok = 0;
    let total = 0;
    const lines = readFileSync(antidox, 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
    for (const line of lines) {
      const comma = line.indexOf(',');
      const id = line.slice(0, comma);
      const text = line.slice(comma + 1);
      const got = scanTextSync(text, opts).findings.map((f) => f.type).sort().join(',');
      const want = [...(expected[id] ?? [])].sort().join(',');
      total++;
      if (got === want) ok++;
      else process.stdout.write(`  antidox ${id}: want [${want}] got [${got}] ${JSON.stringify(text)}\n`);
    }
    process.stdout.write(`\nantidox: ${ok}/${total} sentences with exactly the expected types\n`);
  }
  return 0;
}

process.exitCode = main();
