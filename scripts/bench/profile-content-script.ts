/**
 * CPU profile of the content script on a saved page (Chrome DevTools Profiler over CDP): self time per function.
 * Build first with `KALKAN_E2E=1 KALKAN_NO_MINIFY=1 npx wxt build -b chrome` for readable names. Usage:
 *   node --import tsx scripts/bench/profile-content-script.ts [file in ../shared/data/pages] [--top 30] [--within NAME]
 * `--within buildPageModel` keeps only samples taken inside a function of that name (native callees such as
 * querySelectorAll included), to see one phase apart from the rest of the content script.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchWithExtension } from '../../tests/e2e/support/chromium';
import { startFixtureWiki } from '../../tests/e2e/support/fixture-wiki';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const TITLE = 'Wikipedia:Village pump (technical)/Archive 175';
const MEASURE = 'kalkan:model-build';
const { values, positionals } = parseArgs({ allowPositionals: true, options: {
  top: { type: 'string', default: '30' }, within: { type: 'string' },
} });
const file = positionals[0] ?? 'enwiki-VPT-Archive175-oldparser.html';
const pagesDir = resolve(process.env.KALKAN_SHARED_DATA ?? resolve('..', 'shared', 'data'), 'pages');
const wiki = await startFixtureWiki([{ title: TITLE, namespace: 4, html: readFileSync(resolve(pagesDir, file), 'utf8') }]);
const browser = await launchWithExtension();
try {
  const loaded = (tab: import('playwright-core').Page) =>
    tab.waitForFunction((name) => performance.getEntriesByName(name).length > 0, MEASURE, { timeout: 60_000 });
  const warm = await browser.context.newPage();
  await warm.goto(wiki.pageUrl(TITLE));
  await loaded(warm);
  await warm.close();
  const tab = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(tab);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await tab.goto(wiki.pageUrl(TITLE));
  await loaded(tab);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  const build = await tab.evaluate((name) => performance.getEntriesByName(name)[0]?.duration ?? -1, MEASURE);
  console.log(`model build: ${build.toFixed(1)} ms`);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const insideWithin = (id: number): boolean => {
    for (let n: number | undefined = id; n !== undefined; n = parentOf.get(n)) {
      if (byId.get(n)?.callFrame.functionName === values.within) return true;
    }
    return false;
  };
  const self = new Map<string, number>();
  let withinMicros = 0;
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    if (values.within) {
      if (!insideWithin(id)) return;
      withinMicros += profile.timeDeltas[index] ?? 0;
    } else if (!frame.url.includes('content')) {
      return;
    }
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  if (values.within) console.log(`samples inside ${values.within}: ${(withinMicros / 1000).toFixed(1)} ms`);
  for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${(micros / 1000).toFixed(1).padStart(8)} ms  ${key}`);
  }
} finally {
  await browser.close();
  await wiki.close();
}
