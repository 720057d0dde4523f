import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NoticeboardDestination } from '../../../utils/reports/destinations';
import type { FetchFn } from '../../../utils/reports/history';
import { buildNoticeboardSection } from '../../../utils/reports/noticeboard';
import { withMarker, type NoticeboardPost } from '../../../utils/reports/noticeboard-post';
import type { Report } from '../../../utils/reports/schema';
import { KalkanDb } from '../../../utils/storage/db';
import { runOutboxPass } from '../../../utils/storage/delivery';
import { reopenFailedReport } from '../../../utils/storage/draft-edits';
import { OutboxRecordSchema } from '../../../utils/storage/records';
import { claimDueReports, EmergencyOnNoticeboardError, enqueueReport, getDraft, listReceipts, recoverStuckSends } from '../../../utils/storage/repository';
import { makeReport } from './fixtures';

/**
 * The noticeboard path through the real outbox (Dexie on fake-indexeddb) against a small stateful wiki: its
 * page text grows with every accepted edit, so "exactly one section" is counted on the page itself.
 */

const KEY = '0b7d4c1e-9a8f-4e3d-b2c1-a0f9e8d7c6b5';
const destination: NoticeboardDestination = {
  kind: 'noticeboard', id: 'nb', label: 'Local noticeboard', wikiId: 'http://localhost:8911/w', page: 'Project:Noticeboard', private: false,
  sectionTitleTemplate: 'Harassment by $1',
};

interface FakeWiki {
  fetchFn: FetchFn;
  text(): string;
  edits: number;
  /** Accept the next edit on the wiki but lose its answer (a timeout or a killed worker, seen from Kalkan). */
  loseNextAnswer: boolean;
  loggedIn: boolean;
  nextError: string | null;
}

function fakeWiki(): FakeWiki {
  let page = 'Intro\n';
  let revid = 10;
  const comments: Array<{ revid: number; comment: string; user: string }> = [];
  const wiki: FakeWiki = {
    edits: 0,
    loseNextAnswer: false,
    loggedIn: true,
    nextError: null,
    text: () => page,
    fetchFn: async (input, init) => {
      const method = init?.method ?? 'GET';
      const params = method === 'POST' ? new URLSearchParams(String(init?.body)) : new URL(String(input)).searchParams;
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
      if (params.get('meta') === 'tokens|userinfo') {
        const cookie = init?.credentials === 'include' && wiki.loggedIn;
        return json({ query: { tokens: { csrftoken: cookie ? 'abc+\\' : '+\\' }, userinfo: cookie ? { id: 3, name: 'Chloe' } : { id: 0, name: '127.0.0.1', anon: true } } });
      }
      if (params.get('rvprop') === 'content|ids') {
        return json({ query: { pages: [{ title: 'Kalkan Test Wiki:Noticeboard', revisions: [{ revid, slots: { main: { content: page } } }] }] } });
      }
      if (params.get('rvprop') === 'ids|comment|user') return json({ query: { pages: [{ revisions: [...comments].reverse() }] } });
      if (method === 'POST' && params.get('action') === 'edit') {
        if (wiki.nextError) return json({ error: { code: wiki.nextError, info: `the wiki says ${wiki.nextError}` } });
        if (params.get('assert') !== 'user' || params.get('token') !== 'abc+\\' || init?.credentials !== 'include') return json({ error: { code: 'assertuserfailed' } });
        wiki.edits += 1;
        revid += 1;
        page += `\n== ${params.get('sectiontitle') ?? ''} ==\n\n${(params.get('text') ?? '').replace('~~~~', '[[User:Chloe|Chloe]] 18:30, 1 December 2026 (UTC)')}`;
        comments.push({ revid, comment: params.get('summary') ?? '', user: 'Chloe' });
        if (wiki.loseNextAnswer) {
          wiki.loseNextAnswer = false;
          throw new TypeError('Failed to fetch');
        }
        return json({ edit: { result: 'Success', newrevid: revid, title: 'Kalkan Test Wiki:Noticeboard', newtimestamp: '2026-12-01T18:30:00Z' } });
      }
      throw new Error(`unexpected request ${params.toString()}`);
    },
  };
  return wiki;
}

function postOf(report: Report): NoticeboardPost {
  const section = buildNoticeboardSection(report, {
    sectionTitle: 'Harassment by $1', categoryLine: 'Category: $1', categoryLabels: {}, evidenceHeading: 'Evidence:',
    evidenceLine: '$1 on [[:$2]] at $3', diffLabel: 'diff', permalinkLabel: 'permalink', noDiffLabel: '-', talkLabel: 'talk', contribsLabel: 'contribs',
  }, { sectionTitleTemplate: destination.sectionTitleTemplate });
  return withMarker(section, KEY, 'new report');
}

const sections = (text: string) => (text.match(/^== Harassment by Example troll ==$/gm) ?? []).length;

let db: KalkanDb;
let counter = 0;
beforeEach(() => {
  counter += 1;
  db = new KalkanDb(`kalkan-nb-outbox-${process.pid}-${counter}`);
});
afterEach(() => db.close());

describe('noticeboard delivery through the outbox', () => {
  it('posts once, keeps a receipt with the new section’s permalink', async () => {
    const wiki = fakeWiki();
    const report = await makeReport();
    await enqueueReport(db, { report, destination, noticeboardPost: postOf(report), idempotencyKey: KEY, now: 1_000 });
    expect(await runOutboxPass(db, wiki.fetchFn, { now: () => 1_000 })).toMatchObject({ sent: 1 });
    expect(sections(wiki.text())).toBe(1);
    expect(wiki.text()).toContain(`<!-- kalkan-report: ${KEY} -->`);
    const [receipt] = await listReceipts(db);
    expect(receipt?.receipt).toMatchObject({ status: 'posted', revid: 11, foundBy: 'edit', permalink: expect.stringContaining('oldid=11#Harassment_by_Example_troll') });
  });

  it('the answer to the edit is lost: the retry finds the marker and records the delivery without a second section', async () => {
    const wiki = fakeWiki();
    wiki.loseNextAnswer = true;
    const report = await makeReport();
    await enqueueReport(db, { report, destination, noticeboardPost: postOf(report), idempotencyKey: KEY, now: 1_000 });
    expect(await runOutboxPass(db, wiki.fetchFn, { now: () => 1_000, random: () => 0 })).toMatchObject({ retrying: 1 });
    expect(await runOutboxPass(db, wiki.fetchFn, { now: () => 60_000 })).toMatchObject({ sent: 1 });
    expect(await runOutboxPass(db, wiki.fetchFn, { now: () => 120_000 })).toMatchObject({ sent: 0, retrying: 0 });
    expect(wiki.edits).toBe(1);
    expect(sections(wiki.text())).toBe(1);
    const [receipt] = await listReceipts(db);
    expect(receipt?.receipt).toMatchObject({ status: 'posted', revid: 11, foundBy: 'marker', postedAs: 'Chloe' });
  });

  it('the worker dies mid-send after the wiki saved the edit: recovery resends with the same key and finds the marker', async () => {
    const wiki = fakeWiki();
    const report = await makeReport();
    const post = postOf(report);
    await enqueueReport(db, { report, destination, noticeboardPost: post, idempotencyKey: KEY, now: 1_000 });
    const [claimed] = await claimDueReports(db, 1_000);
    expect(claimed?.state.status).toBe('sending');
    // The dying worker's request reached the wiki; nothing was written back.
    await wiki.fetchFn('http://localhost:8911/w/api.php', {
      method: 'POST', credentials: 'include',
      body: new URLSearchParams({ action: 'edit', sectiontitle: post.sectionTitle, text: post.text, summary: post.summary, assert: 'user', token: 'abc+\\' }).toString(),
    });
    expect(await recoverStuckSends(db, 2_000)).toBe(1);
    expect(await runOutboxPass(db, wiki.fetchFn, { now: () => 2_000 })).toMatchObject({ sent: 1 });
    expect(wiki.edits).toBe(1);
    expect(sections(wiki.text())).toBe(1);
  });

  it('logged out: fails at once with the reason, nothing posted, and the draft comes back as it was', async () => {
    const wiki = fakeWiki();
    wiki.loggedIn = false;
    const report = await makeReport();
    await enqueueReport(db, { report, destination, noticeboardPost: postOf(report), idempotencyKey: KEY, now: 1_000 });
    expect(await runOutboxPass(db, wiki.fetchFn, { now: () => 1_000 })).toMatchObject({ failed: 1 });
    const entry = OutboxRecordSchema.parse(await db.outbox.get(report.reportId));
    expect(entry.state).toMatchObject({ status: 'failed', reason: 'kalkan-report-error-not-logged-in', attempts: 1 });
    expect(wiki.edits).toBe(0);
    const draft = await reopenFailedReport(db, report.reportId, 3_000);
    expect(draft).toMatchObject({ id: report.reportId, description: report.description, destinationId: 'nb' });
    expect((await getDraft(db, report.reportId))?.evidence).toHaveLength(1);
  });

  it('a blocked account: permanent, with the wiki’s own words kept as detail', async () => {
    const wiki = fakeWiki();
    wiki.nextError = 'blocked';
    const report = await makeReport();
    await enqueueReport(db, { report, destination, noticeboardPost: postOf(report), idempotencyKey: KEY, now: 1_000 });
    await runOutboxPass(db, wiki.fetchFn, { now: () => 1_000 });
    const entry = OutboxRecordSchema.parse(await db.outbox.get(report.reportId));
    expect(entry.state).toMatchObject({ status: 'failed', reason: 'kalkan-report-error-blocked', detail: 'blocked: the wiki says blocked' });
  });

  it('an emergency is refused at the queue, and a noticeboard entry without its confirmed section does not validate', async () => {
    const report = await makeReport({ harm: { kind: 'emergency', type: 'self_harm' } });
    await expect(enqueueReport(db, { report, destination, noticeboardPost: postOf(report), idempotencyKey: KEY, now: 1_000 })).rejects.toBeInstanceOf(EmergencyOnNoticeboardError);
    expect(await db.outbox.count()).toBe(0);
    const ok = await makeReport();
    const record = { id: ok.reportId, report: ok, destination, idempotencyKey: KEY, createdAt: 1, state: { status: 'queued', attempts: 0, nextAttemptAt: 1, lastReason: null } };
    expect(OutboxRecordSchema.safeParse(record).success).toBe(false);
    expect(OutboxRecordSchema.safeParse({ ...record, noticeboardPost: postOf(ok) }).success).toBe(true);
  });
});
