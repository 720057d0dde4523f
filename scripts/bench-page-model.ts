/**
 * Node benchmark of the page model on the large pages in ../shared/data/pages: happy-dom parse time (reported
 * separately) and model-building time, median of N runs after warm-up, with and without DT markers.
 * The in-Chromium numbers come from the content script calling `benchmarkPageModel` (utils/page-model/bench.ts).
 *
 *   node --import tsx scripts/bench-page-model.ts [--runs 7] [--warmup 2] [--pages DIR] [--json]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchmarkPageModel, median } from '../utils/page-model/bench';
import { hasDiscussionToolsMarkers } from '../utils/page-model/markers';
import { threadContainer } from '../utils/page-model/model';
import { DEFAULT_DT_TESTS_DIR, loadProfile, parseHtmlPage, type ParsedPage } from './eval-threads';

const DEFAULT_PAGES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'pages');

/** Which DT wiki data and page title belong to each saved page (file name prefix → wiki). */
const PAGE_INFO: Record<string, { wiki: string; title: string }> = {
  'arwiki-User_talk_Khaled': { wiki: 'arwiki', title: 'نقاش المستخدم:Khaled' },
  'ckbwiki-Village_pump_proposals': { wiki: 'ckbwiki', title: 'ویکیپیدیا:دیوەخان (پێشنیارەکان)' },
  'enwiki-AfD-Log-2020_March_7': { wiki: 'enwiki', title: 'Wikipedia:Articles for deletion/Log/2020 March 7' },
  'enwiki-VPT-Archive175': { wiki: 'enwiki', title: 'Wikipedia:Village pump (technical)/Archive 175' },
  'nlwiki-Overleg_gebruiker_Romaine': { wiki: 'nlwiki', title: 'Overleg gebruiker:Romaine' },
  'plwiki-Kawiarenka-2018-10': { wiki: 'plwiki', title: 'Wikipedia:Kawiarenka/Artykuły dyskusja/Archiwum/2018-październik' },
  'srwiki-Trg-Arhiva-Tehnika-35': { wiki: 'srwiki', title: 'Википедија:Трг/Архива/Техника/35' },
};

/** happy-dom parses of each page for the separate parse-time figure (slow, so fewer than model runs). */
export const PARSE_RUNS = 2;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        runs: { type: 'string', default: '7' },
        warmup: { type: 'string', default: '2' },
        pages: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`bench-page-model: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0) {
    process.stderr.write('bench-page-model: --runs must be a positive integer and --warmup a non-negative one.\n');
    return 2;
  }
  const pagesDir = values.pages ?? DEFAULT_PAGES_DIR;
  const dataDir = join(DEFAULT_DT_TESTS_DIR, 'data');
  const results = [];
  for (const file of readdirSync(pagesDir).filter((f) => f.endsWith('.html')).sort()) {
    const prefix = Object.keys(PAGE_INFO).find((p) => file.startsWith(p));
    if (!prefix) continue;
    const info = PAGE_INFO[prefix] as { wiki: string; title: string };
    const profile = loadProfile(join(dataDir, `${info.wiki}-config.json`), join(dataDir, `${info.wiki}-data.json`));
    const html = readFileSync(join(pagesDir, file), 'utf8');
    const parseTimes: number[] = [];
    let page: ParsedPage | null = null;
    for (let i = 0; i < PARSE_RUNS; i++) {
      page?.close();
      const t0 = performance.now();
      page = parseHtmlPage(html);
      parseTimes.push(performance.now() - t0);
    }
    const root = threadContainer((page as ParsedPage).document);
    const marked = hasDiscussionToolsMarkers(root);
    const sources = marked ? (['markers', 'parser'] as const) : (['parser'] as const);
    for (const source of sources) {
      const r = benchmarkPageModel(root, profile, info.title, { runs, warmup, source });
      results.push({
        page: basename(file, '.html'), bytes: html.length, source, comments: r.comments, headings: r.headings,
        parseMs: median(parseTimes), modelMedianMs: r.medianMs, modelMinMs: r.minMs,
      });
    }
    page?.close();
    process.stderr.write(`.`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`runs=${runs} warmup=${warmup} (model time excludes happy-dom parsing)\n`);
  process.stdout.write(`${'page'.padEnd(48)} ${'source'.padEnd(8)} ${'comm'.padStart(5)} ${'head'.padStart(5)} ` +
    `${'parse ms'.padStart(9)} ${'model med'.padStart(10)} ${'model min'.padStart(10)}\n`);
  for (const r of results) {
    process.stdout.write(`${r.page.slice(0, 48).padEnd(48)} ${r.source.padEnd(8)} ${String(r.comments).padStart(5)} ` +
      `${String(r.headings).padStart(5)} ${r.parseMs.toFixed(0).padStart(9)} ${r.modelMedianMs.toFixed(1).padStart(10)} ` +
      `${r.modelMinMs.toFixed(1).padStart(10)}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`bench-page-model: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
