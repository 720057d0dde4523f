/**
 * Scores the page model on DiscussionTools' parser cases (tests/cases/comments.json in ../shared/data):
 * per case and overall precision/recall/F1 of comments matched on (author, timestamp to the minute), and level,
 * parent and id accuracy among matched comments.
 *
 *   node --import tsx scripts/eval-threads.ts [--data DIR] [--source parser|markers|auto] [--json] [--examples]
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Window } from 'happy-dom';
import { z } from 'zod';
import { scoreThreads, type CaseScore, type ScoredItem } from '../utils/page-model/evaluate';
import { buildPageModel, modelToJson, type PageModel } from '../utils/page-model/model';
import { profileFromDtTestData } from '../utils/wiki-profile/from-dt-test-data';
import type { WikiProfile } from '../utils/wiki-profile/schema';

/** One case of comments.json (and of threaditemshtml.json, which has the same shape). */
export const CaseSchema = z.object({
  name: z.string(),
  title: z.string(),
  dom: z.string(),
  expected: z.string(),
  config: z.string(),
  data: z.string(),
});
export type DtCase = z.infer<typeof CaseSchema>;

export const DEFAULT_DT_TESTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data',
  'discussiontools', 'tests');

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** comments.json paths: `dom` is relative to tests/, the others to tests/cases/ (see the data README). */
export function loadDtCases(testsDir: string): DtCase[] {
  return z.array(CaseSchema).parse(readJson(join(testsDir, 'cases', 'comments.json')));
}

const profileCache = new Map<string, WikiProfile>();

export function loadProfile(configPath: string, dataPath: string): WikiProfile {
  const key = `${configPath}\u0000${dataPath}`;
  let profile = profileCache.get(key);
  if (!profile) {
    const wikiId = basename(configPath).replace(/-config\.json$/, '');
    profile = profileFromDtTestData(wikiId, readJson(configPath), readJson(dataPath));
    profileCache.set(key, profile);
  }
  return profile;
}

export interface ParsedPage {
  document: Document;
  /** Releases happy-dom's window (big pages otherwise stay in memory until the process ends). */
  close(): void;
}

/** Parses saved HTML (an action=render fragment or a full Parsoid document) with happy-dom. */
export function parseHtmlPage(html: string): ParsedPage {
  const window = new Window({ url: 'https://kalkan.invalid/', settings: { disableJavaScriptEvaluation: true } });
  const document = new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
  return {
    document,
    close: () => {
      void window.happyDOM.close();
    },
  };
}

export function parseHtml(html: string): Document {
  return parseHtmlPage(html).document;
}

export interface CaseRun {
  dtCase: DtCase;
  model: PageModel;
  score: CaseScore;
  expected: ScoredItem[];
  parseMs: number;
  close(): void;
}

export function runCase(testsDir: string, dtCase: DtCase, source: 'auto' | 'parser' | 'markers' = 'parser'): CaseRun {
  const casesDir = join(testsDir, 'cases');
  const profile = loadProfile(join(casesDir, dtCase.config), join(casesDir, dtCase.data));
  const html = readFileSync(join(testsDir, dtCase.dom), 'utf8');
  const t0 = performance.now();
  const page = parseHtmlPage(html);
  const parseMs = performance.now() - t0;
  const model = buildPageModel(page.document, profile, dtCase.title, { source });
  const expected = readJson(join(casesDir, dtCase.expected)) as ScoredItem[];
  const score = scoreThreads(expected, modelToJson(model));
  return { dtCase, model, score, expected, parseMs, close: page.close };
}

function pct(x: number): string {
  return (x * 100).toFixed(1).padStart(6);
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        source: { type: 'string', default: 'parser' },
        json: { type: 'boolean', default: false },
        examples: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`eval-threads: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const source = values.source;
  if (source !== 'parser' && source !== 'markers' && source !== 'auto') {
    process.stderr.write('eval-threads: --source must be parser, markers or auto.\n');
    return 2;
  }
  const testsDir = values.data ?? DEFAULT_DT_TESTS_DIR;
  const cases = loadDtCases(testsDir);
  const rows: string[] = [];
  const totals = { expected: 0, found: 0, matched: 0, level: 0, parent: 0, id: 0 };
  const results: { name: string; score: CaseScore; buildMs: number }[] = [];
  rows.push(`${'case'.padEnd(64)} ${'exp'.padStart(5)} ${'found'.padStart(5)}      P      R     F1  level parent     id   ms`);
  for (const dtCase of cases) {
    const run = runCase(testsDir, dtCase, source);
    const s = run.score;
    totals.expected += s.expected;
    totals.found += s.found;
    totals.matched += s.matched;
    totals.level += s.levelCorrect;
    totals.parent += s.parentCorrect;
    totals.id += s.idCorrect;
    results.push({ name: dtCase.name, score: s, buildMs: run.model.stats.buildMs });
    run.close();
    rows.push(`${dtCase.name.slice(0, 64).padEnd(64)} ${String(s.expected).padStart(5)} ${String(s.found).padStart(5)} ` +
      `${pct(s.precision)} ${pct(s.recall)} ${pct(s.f1)} ${pct(s.levelAccuracy)} ${pct(s.parentAccuracy)} ` +
      `${pct(s.idAccuracy)} ${run.model.stats.buildMs.toFixed(0).padStart(4)}`);
    if (values.examples) for (const e of s.examples) rows.push(`    ${e}`);
  }
  const p = totals.found ? totals.matched / totals.found : 0;
  const r = totals.expected ? totals.matched / totals.expected : 0;
  const f1 = p + r ? (2 * p * r) / (p + r) : 0;
  const m = totals.matched || 1;
  rows.push(`${'ALL'.padEnd(64)} ${String(totals.expected).padStart(5)} ${String(totals.found).padStart(5)} ` +
    `${pct(p)} ${pct(r)} ${pct(f1)} ${pct(totals.level / m)} ${pct(totals.parent / m)} ${pct(totals.id / m)}`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ source, cases: results, totals: { ...totals, precision: p, recall: r, f1 } }, null, 2)}\n`);
  } else {
    process.stdout.write(`source: ${source}, cases: ${cases.length}\n${rows.join('\n')}\n`);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      process.stderr.write(`eval-threads: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
