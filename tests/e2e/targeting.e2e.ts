import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from './support/chromium';

const wikiUrl = inject('wikiUrl');
const wikiProblem = inject('wikiProblem');

/** The seeded pages on which Bakyt follows Aigerim (scripts/wiki/content.ts), plus the demo page. */
const PAGES = ['Talk:Felt making', 'Talk:Issyk-Kul Lake', 'Talk:Manas (epic)', 'Talk:Komuz', 'Talk:Kalkan demo'];

interface StoredInteraction { from: string; to: string; kind: string; commentId: string; pageTitle: string; wikiId: string; revisionId: number | null; flag: unknown }

/** Reads a store of the extension's database from the service worker (extension origin). */
function readStore<T>(worker: Worker, store: string): Promise<T[]> {
  return worker.evaluate((name: string) => new Promise<T[]>((resolve, reject) => {
    const open = indexedDB.open('kalkan');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(name)) {
        db.close();
        resolve([]);
        return;
      }
      const all = db.transaction(name).objectStore(name).getAll();
      all.onsuccess = () => {
        resolve(all.result as T[]);
        db.close();
      };
      all.onerror = () => reject(all.error);
    };
  }), store);
}

describe.skipIf(Boolean(wikiProblem))('repeated targeting on a real MediaWiki', () => {
  let browser: ExtensionBrowser;
  let patrolUrl: string;
  beforeAll(async () => {
    browser = await launchWithExtension();
    patrolUrl = `chrome-extension://${browser.extensionId}/patrol.html`;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('visiting the talk pages fills the log, deduplicated across visits', async () => {
    const page = await browser.context.newPage();
    for (const title of PAGES) {
      await page.goto(`${wikiUrl}/wiki/${encodeURIComponent(title.replace(/ /g, '_'))}`);
      await expect.poll(async () => (await readStore<StoredInteraction>(browser.worker, 'interactions')).filter((r) => r.pageTitle === title).length, { timeout: 15_000 }).toBeGreaterThan(0);
    }
    // A second visit to a page adds nothing.
    const before = (await readStore<StoredInteraction>(browser.worker, 'interactions')).length;
    await page.goto(`${wikiUrl}/wiki/Talk:Komuz`);
    await page.waitForTimeout(1_500);
    const log = await readStore<StoredInteraction>(browser.worker, 'interactions');
    expect(log.length).toBe(before);
    const edges = log.map((r) => `${r.from}>${r.to}:${r.kind}`);
    expect(edges.filter((e) => e === 'Bakyt>Aigerim:reply')).toHaveLength(5);
    expect(edges.filter((e) => e === 'Chloe>Bakyt:reply')).toHaveLength(4);
    expect(edges.filter((e) => e === 'Chloe>Aigerim:mention')).toHaveLength(4);
    // Every entry knows the revision it was seen in (for permalinks) and that it is not assessed yet (no detector hook).
    expect(log.every((r) => r.revisionId !== null && r.flag === null)).toBe(true);
    await page.close();
  });

  it('the patroller view ranks Bakyt → Aigerim first, with a timeline across the five pages', async () => {
    const patrol = await browser.context.newPage();
    await patrol.goto(patrolUrl);
    const rows = patrol.getByTestId('patrol-pair-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(2);
    expect(await rows.first().getAttribute('data-from')).toBe('Bakyt');
    expect(await rows.first().getAttribute('data-to')).toBe('Aigerim');
    await rows.first().getByRole('button').click();
    const entries = patrol.getByTestId('patrol-timeline-entry');
    await expect.poll(() => entries.count()).toBe(5);
    const links = await entries.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, (a as HTMLAnchorElement).href]));
    expect(links.map(([title]) => title)).toEqual(PAGES);
    // Each link is a permalink: the revision seen and the comment's anchor.
    for (const [, href] of links) expect(href).toMatch(/index\.php\?title=Talk%3A[^&]+&oldid=\d+#c-Bakyt-/);
    const summaries = await patrol.getByTestId('patrol-user-summary').allInnerTexts();
    expect(summaries[1]).toContain('Bakyt (5)');
    await patrol.screenshot({ path: '.tmp/targeting-patrol.png', fullPage: true });
    await patrol.close();
  });

  it('the API timeline for Aigerim + Bakyt lists exactly the shared pages, who came first and the smallest gaps', async () => {
    const patrol = await browser.context.newPage();
    await patrol.goto(patrolUrl);
    await patrol.getByTestId('patrol-pair-row').first().getByRole('button').click();
    await expect.poll(() => patrol.getByTestId('patrol-api-users').inputValue()).toBe('Bakyt\nAigerim');
    await patrol.getByTestId('patrol-api-users').fill('Aigerim\nBakyt');
    await patrol.getByTestId('patrol-api-start').click();
    const rows = patrol.getByTestId('patrol-api-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(9);
    const table = await rows.evaluateAll((trs) => trs.map((tr) => {
      const d = (tr as HTMLElement).dataset;
      return [d.title, d.first, Number(d.gapMs) / 60_000, `${d.gapFrom}>${d.gapTo}`];
    }));
    expect(table).toEqual([
      ['Felt making', 'Aigerim', 21, 'Aigerim>Bakyt'],
      ['Talk:Felt making', 'Aigerim', 12, 'Aigerim>Bakyt'],
      ['Issyk-Kul Lake', 'Aigerim', 21, 'Aigerim>Bakyt'],
      ['Talk:Issyk-Kul Lake', 'Aigerim', 12, 'Aigerim>Bakyt'],
      ['Manas (epic)', 'Aigerim', 21, 'Aigerim>Bakyt'],
      ['Talk:Manas (epic)', 'Aigerim', 12, 'Aigerim>Bakyt'],
      ['Komuz', 'Aigerim', 21, 'Aigerim>Bakyt'],
      ['Talk:Komuz', 'Aigerim', 12, 'Aigerim>Bakyt'],
      ['Talk:Kalkan demo', 'Aigerim', 25, 'Aigerim>Bakyt'],
    ]);
    expect(await patrol.getByTestId('patrol-chart').locator('circle, rect, path').count()).toBeGreaterThanOrEqual(19);
    await patrol.screenshot({ path: '.tmp/targeting-api.png', fullPage: true });
    await patrol.close();
  });

  it('"add to report" makes a draft holding the pair\'s comments and opens the report form on it', async () => {
    const patrol = await browser.context.newPage();
    await patrol.goto(patrolUrl);
    await patrol.getByTestId('patrol-pair-row').first().getByRole('button').click();
    const formOpened = browser.context.waitForEvent('page', { predicate: (p: Page) => p.url().includes('/report.html?draft=') });
    await patrol.getByTestId('patrol-add-to-report').click();
    const form = await formOpened;
    const draftId = new URL(form.url()).searchParams.get('draft');
    await expect.poll(() => patrol.getByTestId('patrol-report-status').innerText()).toContain('5 comments');
    const drafts = await readStore<{ id: string; harm: unknown; evidence: Array<{ author: string; pageTitle: string; commentId: string; permalink: { url: string }; origin: unknown; sha256: string }> }>(browser.worker, 'drafts');
    const draft = drafts.find((d) => d.id === draftId);
    expect(draft?.harm).toEqual({ kind: 'incident', category: 'trolling_hounding' });
    expect(draft?.evidence.map((e) => e.pageTitle).sort()).toEqual([...PAGES].sort());
    expect(draft?.evidence.every((e) => e.author === 'Bakyt' && e.commentId.startsWith('c-Bakyt-') && e.sha256.length === 64)).toBe(true);
    // The history search found the revision that added each comment on the local wiki.
    expect(draft?.evidence.filter((e) => e.origin !== null)).toHaveLength(5);
    await form.close();
    await patrol.close();
  });

  it('with the threshold at 1, the page shows quiet indicators that open the pair view', async () => {
    const patrol = await browser.context.newPage();
    await patrol.goto(patrolUrl);
    await patrol.getByTestId('patrol-setting-threshold').fill('1');
    await patrol.getByTestId('patrol-settings-save').click();
    await expect.poll(() => patrol.getByTestId('patrol-settings-status').innerText()).toContain('Saved');
    const page = await browser.context.newPage();
    await page.goto(`${wikiUrl}/wiki/Talk:Kalkan_demo`);
    const indicators = page.locator('#kalkan-overlay .kalkan-layer-targeting .kalkan-targeting-indicator');
    await expect.poll(() => indicators.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const bakyt = page.locator('#kalkan-overlay .kalkan-targeting-indicator[data-from="Bakyt"][data-to="Aigerim"]');
    expect(await bakyt.getAttribute('aria-label')).toContain('has not assessed');
    await page.screenshot({ path: '.tmp/targeting-indicator.png' });
    const opened = browser.context.waitForEvent('page', { predicate: (p: Page) => p.url().includes('/patrol.html#') });
    await bakyt.click();
    const pairView = await opened;
    await expect.poll(() => pairView.getByTestId('patrol-timeline-entry').count()).toBe(5);
    expect(await pairView.getByTestId('patrol-pair-detail').locator('h2').innerText()).toBe('Bakyt → Aigerim');
    await pairView.close();
    await page.close();
    await patrol.close();
  });

  it('wiping the log leaves it empty', async () => {
    const patrol = await browser.context.newPage();
    patrol.on('dialog', (dialog) => void dialog.accept());
    await patrol.goto(patrolUrl);
    await expect.poll(() => patrol.getByTestId('patrol-pair-row').count()).toBeGreaterThan(0);
    await patrol.getByTestId('patrol-wipe').click();
    await expect.poll(() => patrol.getByTestId('patrol-notice').innerText()).toContain('deleted');
    expect(await readStore(browser.worker, 'interactions')).toEqual([]);
    await patrol.close();
  });
});
