/**
 * `node --import tsx scripts/bench-targeting.ts [--skip-api] [--skip-render]`: figures for repeated targeting.
 *
 * 1. Patroller view with a 5,000-interaction log, measured in Chromium on the extension page itself (the e2e
 *    build, KALKAN_OUT_SUFFIX selects it): the log is written to the extension's IndexedDB, the page reloaded,
 *    and the span from mount to the ranked table in the DOM read from its performance measure (database read +
 *    zod validation + ranking + Preact render). Target < 200 ms.
 * 2. API interaction timeline for two users with 2,000 contributions each against a local MediaWiki (a fresh wiki
 *    on BENCH_WIKI_PORT, histories created with importDump from a generated XML): paging list=usercontribs with
 *    the extension's client, then the shared pages. Target: a few seconds.
 * Figures, not tests: the script prints a table and exits 0 unless something failed.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { launchWithExtension } from '../tests/e2e/support/chromium';
import { startWiki, runMaintenance } from './wiki/mediawiki';
import { fetchContribsForUsers } from '../utils/targeting/contribs';
import { rankPairs } from '../utils/targeting/rank';
import { interactionKey, type InteractionRecord } from '../utils/targeting/schema';
import { sharedPages } from '../utils/targeting/shared-pages';
import { median } from '../utils/page-model/bench';

export const LOG_SIZE = 5_000;
export const RENDER_RUNS = 5;
export const CONTRIBS_PER_USER = 2_000;
/** Pages the two bench users edit; about a third of them both. */
export const BENCH_PAGES = 600;
export const BENCH_WIKI_PORT = Number(process.env.BENCH_WIKI_PORT ?? 8917);
const RENDER_TARGET_MS = 200;
const API_TARGET_MS = 5_000;

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same log. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A log shaped like real talk pages: 300 users, a few very active, a few pairs that repeat a lot. */
export function syntheticLog(size: number, wikiId = 'http://localhost:8917/w'): InteractionRecord[] {
  const rand = random(7);
  const users = Array.from({ length: 300 }, (_, i) => `User ${i}`);
  const pick = () => users[Math.floor(users.length * rand() ** 2.5)] ?? 'User 0';
  const out: InteractionRecord[] = [];
  for (let i = 0; i < size; i++) {
    const from = i % 10 === 0 ? 'User 1' : pick();
    let to = i % 10 === 0 ? 'User 2' : pick();
    if (to === from) to = users[(users.indexOf(from) + 1) % users.length] ?? 'User 0';
    const flagged = rand() < 0.08;
    const o = {
      from, to, kind: rand() < 0.8 ? ('reply' as const) : ('mention' as const), commentId: `c-${from}-${i}`,
      utcMs: Date.UTC(2026, 0, 1) + Math.floor(rand() * 300) * 86_400_000 + i * 1000,
      flag: rand() < 0.5 ? { flagged, category: flagged ? (rand() < 0.5 ? 'insult' : 'threat') : null, score: flagged ? 0.9 : 0.1 } : null,
    };
    out.push({
      ...o, key: interactionKey(wikiId, o), wikiId, server: 'http://localhost:8917', scriptPath: '/w', contentLanguage: 'en',
      pageTitle: `Talk:Page ${Math.floor(rand() * 800)}`, pageId: 1 + (i % 800), revisionId: 1000 + i, firstSeenAt: Date.now(), lastSeenAt: Date.now(),
    });
  }
  return out;
}

async function benchRender(): Promise<{ runs: number[]; reads: number[]; pairs: number }> {
  const log = syntheticLog(LOG_SIZE);
  const browser = await launchWithExtension();
  try {
    const page = await browser.context.newPage();
    const url = `chrome-extension://${browser.extensionId}/patrol.html`;
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('kalkan:patrol-first-render').length > 0);
    await page.evaluate((rows: unknown[]) => new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('kalkan');
      open.onsuccess = () => {
        const tx = open.result.transaction('interactions', 'readwrite');
        const store = tx.objectStore('interactions');
        for (const row of rows) store.put(row);
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
      open.onerror = () => reject(open.error);
    }), log);
    const runs: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < RENDER_RUNS; i++) {
      await page.reload();
      await page.waitForFunction(() => performance.getEntriesByName('kalkan:patrol-first-render').length > 0);
      runs.push(await page.evaluate(() => performance.getEntriesByName('kalkan:patrol-first-render')[0]?.duration ?? NaN));
      reads.push(await page.evaluate(() => performance.getEntriesByName('kalkan:patrol-read')[0]?.duration ?? NaN));
    }
    const rows = await page.getByTestId('patrol-pair-row').count();
    if (rows === 0) throw new Error('the patroller view rendered no pairs');
    await page.screenshot({ path: '.tmp/bench-targeting-patrol.png' });
    return { runs, reads, pairs: rankPairs(log).length };
  } finally {
    await browser.close();
  }
}

function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Two users, CONTRIBS_PER_USER edits each over BENCH_PAGES pages; the follower edits minutes after. */
export function benchDump(): string {
  const rand = random(11);
  const byPage = new Map<string, Array<{ user: string; at: number }>>();
  const start = Date.UTC(2025, 0, 1);
  for (const [u, user] of ['Bench Target', 'Bench Follower'].entries()) {
    for (let i = 0; i < CONTRIBS_PER_USER; i++) {
      const page = u === 0 ? Math.floor(rand() * BENCH_PAGES) : Math.floor(rand() * BENCH_PAGES * 0.4) + (rand() < 0.5 ? 0 : Math.floor(BENCH_PAGES * 0.6));
      const at = start + i * 3_600_000 + u * (60_000 + Math.floor(rand() * 1_800_000));
      const title = `Bench page ${page}`;
      const list = byPage.get(title) ?? [];
      list.push({ user, at });
      byPage.set(title, list);
    }
  }
  const pages = [...byPage].map(([title, revs]) => {
    const body = revs.sort((a, b) => a.at - b.at).map((r, i) => `    <revision>
      <timestamp>${new Date(r.at).toISOString().replace(/\.\d{3}Z$/, 'Z')}</timestamp>
      <contributor><username>${xmlEscape(r.user)}</username></contributor>
      <model>wikitext</model>
      <format>text/x-wiki</format>
      <text xml:space="preserve">Revision ${i} by ${xmlEscape(r.user)}.</text>
    </revision>`).join('\n');
    return `  <page>\n    <title>${xmlEscape(title)}</title>\n${body}\n  </page>`;
  });
  return `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n${pages.join('\n')}\n</mediawiki>\n`;
}

async function benchApi(): Promise<{ importMs: number; fetchMs: number; sharedMs: number; counts: number[]; shared: number; requests: number }> {
  // On tmpfs the import is ~3× faster (SQLite syncs every revision it saves); the API figures do not change.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kalkan-bench-targeting-'));
  const wiki = await startWiki({ port: BENCH_WIKI_PORT, dir, fresh: true });
  try {
    const importStarted = performance.now();
    for (const user of ['Bench Target', 'Bench Follower']) runMaintenance(wiki.env, 'createAndPromote', ['--force', user, 'bench-pass-123456']);
    const dump = join(dir, 'bench-dump.xml');
    writeFileSync(dump, benchDump());
    // --no-updates: no link tables (nothing here reads them), which halves the import time.
    runMaintenance(wiki.env, 'importDump', ['--quiet', '--no-updates', dump]);
    const importMs = performance.now() - importStarted;
    let requests = 0;
    const fetchStarted = performance.now();
    const { byUser } = await fetchContribsForUsers((url, init) => {
      requests += 1;
      return fetch(url, init);
    }, wiki.apiUrl, ['Bench Target', 'Bench Follower']);
    const fetchMs = performance.now() - fetchStarted;
    const sharedStarted = performance.now();
    const shared = sharedPages(byUser);
    const sharedMs = performance.now() - sharedStarted;
    return { importMs, fetchMs, sharedMs, counts: [...byUser.values()].map((l) => l.length), shared: shared.length, requests };
  } finally {
    await wiki.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'skip-api': { type: 'boolean', default: false }, 'skip-render': { type: 'boolean', default: false } } });
  const rows: string[][] = [];
  if (!values['skip-render']) {
    const render = await benchRender();
    const m = median(render.runs);
    rows.push([`patroller view, ${LOG_SIZE} interactions (${render.pairs} pairs), Chromium extension page, median of ${RENDER_RUNS}`, `${m.toFixed(0)} ms (runs ${render.runs.map((r) => r.toFixed(0)).join(', ')})`, `< ${RENDER_TARGET_MS} ms`, m < RENDER_TARGET_MS ? 'ok' : 'OVER']);
    rows.push(['  of which: IndexedDB read + validation', `${median(render.reads).toFixed(0)} ms`, '', '']);
    rows.push(['  machine load (1-min load average, 2 cores)', loadavg()[0]?.toFixed(1) ?? '?', '', '']);
  }
  if (!values['skip-api']) {
    const api = await benchApi();
    rows.push([`importDump of 2×${CONTRIBS_PER_USER} revisions (setup)`, `${(api.importMs / 1000).toFixed(1)} s`, '', '']);
    rows.push([`API timeline: usercontribs for 2 users (${api.counts.join(' + ')} contributions, ${api.requests} requests)`, `${api.fetchMs.toFixed(0)} ms`, `< ${API_TARGET_MS} ms`, api.fetchMs < API_TARGET_MS ? 'ok' : 'OVER']);
    rows.push([`shared pages (${api.shared}) from those contributions`, `${api.sharedMs.toFixed(1)} ms`, '', '']);
  }
  console.log('| measure | result | target | |\n| --- | --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  return 0;
}

// Only when run as a script: tests and other scripts import syntheticLog without starting a browser.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then((code) => { process.exitCode = code; }, (error: unknown) => {
    console.error('bench-targeting:', error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  });
}
