/**
 * A generalisation check for the signature parser on pages that carry no expected thread JSON here: the
 * DiscussionTools cases of tests/cases/formatted.json (plain page + the same page as DiscussionTools rendered it,
 * with its comment markers), most of which are not among the 23 visible parser cases. The reference is the
 * markers path on the DT-rendered page (DiscussionTools' own comment boundaries and ids); the page model's
 * signature parser runs on the plain page and is scored against it exactly as `eval:threads` scores.
 * Second, the pages of tests/cases/threaditemshtml.json, whose expected thread items (DiscussionTools' own output,
 * with author, timestamp, level and replies) are scored directly — two of them (en AfD log, nl user talk with
 * Parsoid sections) are not visible parser cases.
 *
 *   node --import tsx scripts/eval-threads-cross.ts [--data DIR] [--json]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ExpectedItemSchema, scoreThreads, type CaseScore } from '../utils/page-model/evaluate';
import { buildPageModel, modelToJson } from '../utils/page-model/model';
import { CaseSchema, DEFAULT_DT_TESTS_DIR, loadDtCases, loadProfile, parseHtmlPage, readJson } from './eval-threads';

const FormattedCaseSchema = z.object({
  name: z.string(),
  title: z.string(),
  dom: z.string(),
  expected: z.record(z.string(), z.string()),
  config: z.string(),
  data: z.string(),
});
type FormattedCase = z.infer<typeof FormattedCaseSchema>;

export interface CrossRow {
  name: string;
  /** The reference: a DT rendering (legacy, desktop or mobile) read through its markers, or DT's thread items. */
  reference: string;
  /** Whether the plain page is also one of the visible parser cases (comments.json). */
  visibleCase: boolean;
  score: CaseScore;
}

/** The DT renderings tried as reference, most faithful first (legacy has no topic containers added). */
const REFERENCE_ORDER = ['legacy', 'desktop', 'mobile'] as const;

export function loadFormattedCases(testsDir: string): FormattedCase[] {
  return z.array(FormattedCaseSchema).parse(readJson(join(testsDir, 'cases', 'formatted.json')));
}

export function crossCheck(testsDir: string): CrossRow[] {
  const visible = new Set(loadDtCases(testsDir).map((dtCase) => dtCase.dom));
  const casesDir = join(testsDir, 'cases');
  const rows: CrossRow[] = [];
  for (const formatted of loadFormattedCases(testsDir)) {
    const reference = REFERENCE_ORDER.find((kind) => {
      const path = formatted.expected[kind];
      return path !== undefined && existsSync(join(testsDir, path));
    });
    if (!reference || !existsSync(join(testsDir, formatted.dom))) continue;
    const profile = loadProfile(join(casesDir, formatted.config), join(casesDir, formatted.data));
    const markedPage = parseHtmlPage(readFileSync(join(testsDir, formatted.expected[reference] ?? ''), 'utf8'));
    const plainPage = parseHtmlPage(readFileSync(join(testsDir, formatted.dom), 'utf8'));
    try {
      const truth = modelToJson(buildPageModel(markedPage.document, profile, formatted.title, { source: 'markers' }));
      const parsed = modelToJson(buildPageModel(plainPage.document, profile, formatted.title, { source: 'parser' }));
      rows.push({ name: formatted.name, reference, visibleCase: visible.has(formatted.dom), score: scoreThreads(truth, parsed) });
    } finally {
      markedPage.close();
      plainPage.close();
    }
  }
  for (const itemsCase of z.array(CaseSchema).parse(readJson(join(casesDir, 'threaditemshtml.json')))) {
    const expectedPath = join(casesDir, itemsCase.expected);
    if (!existsSync(expectedPath) || !existsSync(join(testsDir, itemsCase.dom))) continue;
    const profile = loadProfile(join(casesDir, itemsCase.config), join(casesDir, itemsCase.data));
    const plainPage = parseHtmlPage(readFileSync(join(testsDir, itemsCase.dom), 'utf8'));
    try {
      const parsed = modelToJson(buildPageModel(plainPage.document, profile, itemsCase.title, { source: 'parser' }));
      const truth = ExpectedItemSchema.array().parse(readJson(expectedPath));
      rows.push({ name: itemsCase.name, reference: 'items', visibleCase: visible.has(itemsCase.dom), score: scoreThreads(truth, parsed) });
    } finally {
      plainPage.close();
    }
  }
  return rows;
}

function pct(x: number): string {
  return (x * 100).toFixed(1).padStart(6);
}

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const rows = crossCheck(values.data ?? DEFAULT_DT_TESTS_DIR);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const totals = { expected: 0, found: 0, matched: 0, level: 0, parent: 0 };
  const lines = [`${'case (reference: DT markers)'.padEnd(58)} ${'ref'.padEnd(7)} vis ${'exp'.padStart(5)} ${'found'.padStart(5)}      P      R     F1  level parent`];
  for (const { name, reference, visibleCase, score } of rows) {
    totals.expected += score.expected;
    totals.found += score.found;
    totals.matched += score.matched;
    totals.level += score.levelCorrect;
    totals.parent += score.parentCorrect;
    lines.push(`${name.slice(0, 58).padEnd(58)} ${reference.padEnd(7)} ${visibleCase ? 'yes' : 'no '} ${String(score.expected).padStart(5)} ` +
      `${String(score.found).padStart(5)} ${pct(score.precision)} ${pct(score.recall)} ${pct(score.f1)} ${pct(score.levelAccuracy)} ${pct(score.parentAccuracy)}`);
  }
  const p = totals.found ? totals.matched / totals.found : 0;
  const r = totals.expected ? totals.matched / totals.expected : 0;
  const m = totals.matched || 1;
  lines.push(`${'ALL'.padEnd(58)} ${''.padEnd(7)}     ${String(totals.expected).padStart(5)} ${String(totals.found).padStart(5)} ` +
    `${pct(p)} ${pct(r)} ${pct(p + r ? (2 * p * r) / (p + r) : 0)} ${pct(totals.level / m)} ${pct(totals.parent / m)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
