import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NoticeboardDestination } from '../../../utils/reports/destinations';
import type { FetchFn } from '../../../utils/reports/history';
import { buildNoticeboardSection, type NoticeboardMessages } from '../../../utils/reports/noticeboard';
import {
  checkNoticeboard,
  isAllowedWikiId,
  outcomeForApiError,
  postNoticeboardSection,
  reportMarker,
  sectionAnchor,
  summaryTag,
  withMarker,
  type NoticeboardPost,
} from '../../../utils/reports/noticeboard-post';
import type { SendOutcome } from '../../../utils/reports/outbox';
import type { Report } from '../../../utils/reports/schema';
import { makeReport } from './fixtures';

/**
 * Action API answers recorded from MediaWiki 1.39 (Debian package, the e2e wiki): a logged-in and a logged-out
 * session, the noticeboard before and after a Kalkan posting (marker inside), its history, and the edit answers
 * success, badtoken, assertuserfailed, protectedpage, ratelimited and missingtitle.
 */
function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/nb-${name}.json`, import.meta.url), 'utf8')) as unknown;
}

/** The key inside the recorded marker (tests/unit/reports/fixtures/nb-page-with-marker.json). */
const KEY = '6f1c2a7e-3b4d-4c5e-8f90-123456789abc';
const OTHER_KEY = '0b7d4c1e-9a8f-4e3d-b2c1-a0f9e8d7c6b5';

const destination: NoticeboardDestination = {
  kind: 'noticeboard',
  id: 'nb',
  label: 'Local noticeboard',
  wikiId: 'http://localhost:8911/w',
  page: 'Project:Noticeboard',
  private: false,
  sectionTitleTemplate: 'Harassment by $1',
};

const messages: NoticeboardMessages = {
  sectionTitle: 'Harassment by $1',
  categoryLine: "'''Category:''' $1",
  categoryLabels: { intimidation_aggression: 'Intimidation or aggression' },
  evidenceHeading: "'''Evidence:'''",
  evidenceLine: 'Comment by $1 on [[:$2]] at $3',
  diffLabel: 'diff',
  permalinkLabel: 'permalink',
  noDiffLabel: 'diff not found',
  talkLabel: 'talk',
  contribsLabel: 'contribs',
};

type Kind = 'page' | 'history' | 'session' | 'edit';
interface Call {
  kind: Kind;
  method: string;
  credentials: RequestCredentials | undefined;
  params: URLSearchParams;
}
type Answer = unknown | ((call: Call) => Response);

function kindOf(params: URLSearchParams, method: string): Kind {
  if (method === 'POST' && params.get('action') === 'edit') return 'edit';
  if (params.get('meta') === 'tokens|userinfo') return 'session';
  if (params.get('rvprop') === 'content|ids') return 'page';
  if (params.get('rvprop') === 'ids|comment|user') return 'history';
  throw new Error(`unexpected request ${params.toString()}`);
}

/** A scripted wiki: per request kind, a list of answers used in order (the last one repeats). */
function scriptedWiki(script: Partial<Record<Kind, Answer[]>>): { fetchFn: FetchFn; calls: Call[] } {
  const calls: Call[] = [];
  const used: Record<Kind, number> = { page: 0, history: 0, session: 0, edit: 0 };
  const fetchFn: FetchFn = async (input, init) => {
    const method = init?.method ?? 'GET';
    const params = method === 'POST' ? new URLSearchParams(String(init?.body)) : new URL(String(input)).searchParams;
    const call: Call = { kind: kindOf(params, method), method, credentials: init?.credentials, params };
    calls.push(call);
    const answers = script[call.kind];
    if (!answers?.length) throw new Error(`no scripted answer for ${call.kind}`);
    const answer = answers[Math.min(used[call.kind], answers.length - 1)];
    used[call.kind] += 1;
    if (typeof answer === 'function') return (answer as (call: Call) => Response)(call);
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetchFn, calls };
}

async function postFor(key: string, report?: Report): Promise<{ report: Report; post: NoticeboardPost }> {
  const built = report ?? (await makeReport({ evidence: (await makeReport()).evidence.map((item) => ({ ...item })) }));
  const section = buildNoticeboardSection(built, messages, { sectionTitleTemplate: destination.sectionTitleTemplate });
  return { report: built, post: withMarker(section, key, 'new report (posted with Kalkan)') };
}

async function attempt(fetchFn: FetchFn, key = KEY, report?: Report): Promise<SendOutcome> {
  const { report: built, post } = await postFor(key, report);
  return postNoticeboardSection(fetchFn, { destination, report: built, post, idempotencyKey: key }, { now: () => Date.parse('2026-12-01T18:30:00Z') });
}

describe('withMarker', () => {
  it('puts the marker first in the body and the tag at the end of a /* section */ summary', async () => {
    const { post } = await postFor(KEY);
    expect(post.text.split('\n')[0]).toBe(`<!-- kalkan-report: ${KEY} -->`);
    expect(post.text.endsWith('\n~~~~')).toBe(true);
    expect(post.sectionTitle).toBe('Harassment by Example troll');
    expect(post.summary).toBe('/* Harassment by Example troll */ new report (posted with Kalkan) (kalkan:6f1c2a7e)');
    expect(summaryTag(KEY)).toBe('kalkan:6f1c2a7e');
  });
  it.each(['--> [[Category:X]] <!--', 'short', 'a b c d e f g h', 'ключ-ключ-ключ'])('refuses a key that is unsafe in a comment: %s', (key) => {
    expect(() => withMarker({ title: 't', text: 'x' }, key, 's')).toThrow(/idempotency key/);
  });
});

describe('postNoticeboardSection (recorded answers)', () => {
  it('posts a new section: public read without cookies, token and edit with the session, assert=user, nocreate, token last', async () => {
    const { fetchFn, calls } = scriptedWiki({ page: [fixture('page')], session: [fixture('session')], edit: [fixture('edit-success')] });
    const outcome = await attempt(fetchFn);
    expect(outcome).toEqual({
      kind: 'sent',
      receipt: {
        status: 'posted',
        reportId: '6f1c2a7e-3b4d-4c5e-8f90-123456789abc',
        revid: 5,
        pageTitle: 'Kalkan Test Wiki:Noticeboard',
        sectionTitle: 'Harassment by Example troll',
        permalink: 'http://localhost:8911/w/index.php?title=Kalkan_Test_Wiki%3ANoticeboard&oldid=5#Harassment_by_Example_troll',
        diffUrl: 'http://localhost:8911/w/index.php?diff=prev&oldid=5',
        postedAs: 'Chloe',
        postedAt: '2026-12-01T18:26:42.000Z',
        foundBy: 'edit',
      },
    });
    expect(calls.map((call) => [call.kind, call.method, call.credentials])).toEqual([
      ['page', 'GET', 'omit'],
      ['session', 'GET', 'include'],
      ['edit', 'POST', 'include'],
    ]);
    const edit = calls[2]?.params;
    expect(edit?.get('title')).toBe('Kalkan Test Wiki:Noticeboard');
    expect(edit?.get('section')).toBe('new');
    expect(edit?.get('sectiontitle')).toBe('Harassment by Example troll');
    expect(edit?.get('assert')).toBe('user');
    expect(edit?.get('nocreate')).toBe('1');
    expect(edit?.get('token')).toBe('1be7e1820de0cb3f0107d2a1a0cfeaee6b0f1162+\\');
    expect([...(edit?.keys() ?? [])].at(-1)).toBe('token');
    expect(edit?.get('text')).toContain(reportMarker(KEY));
  });

  it('finds its marker on the page: treated as delivered, receipt from the tagged revision, nothing posted', async () => {
    const { fetchFn, calls } = scriptedWiki({ page: [fixture('page-with-marker')], history: [fixture('history')], session: [fixture('session')], edit: [fixture('edit-success')] });
    const outcome = await attempt(fetchFn);
    expect(outcome.kind).toBe('sent');
    if (outcome.kind !== 'sent' || outcome.receipt.status !== 'posted') throw new Error('expected a noticeboard receipt');
    expect(outcome.receipt.revid).toBe(5);
    expect(outcome.receipt.foundBy).toBe('marker');
    expect(outcome.receipt.postedAs).toBe('Chloe');
    expect(calls.map((call) => call.kind)).toEqual(['page', 'history']);
    expect(calls.every((call) => call.credentials === 'omit')).toBe(true);
  });

  it('marker on the page but no tagged revision in the history window: still delivered (the page revision), never reposted', async () => {
    const { fetchFn, calls } = scriptedWiki({ page: [fixture('page-with-marker')], history: [{ query: { pages: [{ revisions: [] }] } }] });
    const outcome = await attempt(fetchFn);
    if (outcome.kind !== 'sent' || outcome.receipt.status !== 'posted') throw new Error('expected a noticeboard receipt');
    expect(outcome.receipt).toMatchObject({ revid: 5, foundBy: 'marker-current', postedAs: null });
    expect(calls.some((call) => call.kind === 'edit')).toBe(false);
  });

  it('another report’s marker does not count; a second section of the same title gets the anchor _2', async () => {
    const report = await makeReport({ evidence: (await makeReport()).evidence.map((item) => ({ ...item, author: 'Bakyt' })) });
    const { fetchFn, calls } = scriptedWiki({ page: [fixture('page-with-marker')], session: [fixture('session')], edit: [fixture('edit-success')] });
    const outcome = await attempt(fetchFn, OTHER_KEY, report);
    if (outcome.kind !== 'sent' || outcome.receipt.status !== 'posted') throw new Error('expected a noticeboard receipt');
    expect(outcome.receipt.foundBy).toBe('edit');
    expect(outcome.receipt.permalink.endsWith('#Harassment_by_Bakyt_2')).toBe(true);
    expect(calls.filter((call) => call.kind === 'edit')).toHaveLength(1);
  });

  it('badtoken: fetches a fresh token once and posts again', async () => {
    const { fetchFn, calls } = scriptedWiki({ page: [fixture('page')], session: [fixture('session')], edit: [fixture('edit-badtoken'), fixture('edit-success')] });
    const outcome = await attempt(fetchFn);
    expect(outcome.kind).toBe('sent');
    expect(calls.map((call) => call.kind)).toEqual(['page', 'session', 'edit', 'session', 'edit']);
  });

  it('badtoken twice: a retry later, not a third post now', async () => {
    const { fetchFn, calls } = scriptedWiki({ page: [fixture('page')], session: [fixture('session')], edit: [fixture('edit-badtoken')] });
    expect(await attempt(fetchFn)).toEqual({ kind: 'retry', reason: 'kalkan-report-retry-session', httpStatus: null, retryAfterMs: null });
    expect(calls.filter((call) => call.kind === 'edit')).toHaveLength(2);
  });

  it('logged out before the edit (session check): refused, nothing posted', async () => {
    const { fetchFn, calls } = scriptedWiki({ page: [fixture('page')], session: [fixture('session-anon')], edit: [fixture('edit-success')] });
    expect(await attempt(fetchFn)).toEqual({ kind: 'permanent', reason: 'kalkan-report-error-not-logged-in', httpStatus: null });
    expect(calls.some((call) => call.kind === 'edit')).toBe(false);
  });

  const answers: Array<[name: string, fixtureName: string, expected: Partial<SendOutcome>]> = [
    ['session lost between token and edit (assertuserfailed)', 'edit-assertuserfailed', { kind: 'permanent', reason: 'kalkan-report-error-not-logged-in' }],
    ['protected page', 'edit-protected', { kind: 'permanent', reason: 'kalkan-report-error-protected' }],
    ['rate limited', 'edit-ratelimited', { kind: 'retry', reason: 'kalkan-report-retry-wiki-busy' }],
    ['page deleted meanwhile (missingtitle)', 'edit-missingtitle', { kind: 'permanent', reason: 'kalkan-report-error-page-missing' }],
  ];
  it.each(answers)('%s', async (_name, fixtureName, expected) => {
    const { fetchFn } = scriptedWiki({ page: [fixture('page')], session: [fixture('session')], edit: [fixture(fixtureName)] });
    const outcome = await attempt(fetchFn);
    expect(outcome).toMatchObject(expected);
    if (outcome.kind === 'permanent') expect(outcome.detail).toMatch(/^[a-z]+: /);
  });

  it('maxlag with Retry-After: waits as long as the wiki asks', async () => {
    const maxlag = () => new Response(JSON.stringify({ error: { code: 'maxlag', info: 'Waiting for 10.0.0.1: 7 seconds lagged.' } }), { status: 200, headers: { 'retry-after': '7' } });
    const { fetchFn } = scriptedWiki({ page: [fixture('page')], session: [fixture('session')], edit: [maxlag] });
    expect(await attempt(fetchFn)).toEqual({ kind: 'retry', reason: 'kalkan-report-retry-wiki-busy', httpStatus: null, retryAfterMs: 7_000 });
  });

  it('the noticeboard page does not exist: refused before any token is asked for', async () => {
    const { fetchFn, calls } = scriptedWiki({ page: [fixture('page-missing')] });
    expect(await attempt(fetchFn)).toMatchObject({ kind: 'permanent', reason: 'kalkan-report-error-page-missing' });
    expect(calls.map((call) => call.kind)).toEqual(['page']);
  });

  it('a lost answer to the edit: retry, and the next attempt finds the marker instead of posting again', async () => {
    const lost = () => {
      throw new TypeError('Failed to fetch');
    };
    const first = scriptedWiki({ page: [fixture('page')], session: [fixture('session')], edit: [lost] });
    expect(await attempt(first.fetchFn)).toMatchObject({ kind: 'retry', reason: 'kalkan-report-retry-network' });
    const second = scriptedWiki({ page: [fixture('page-with-marker')], history: [fixture('history')], edit: [fixture('edit-success')] });
    expect(await attempt(second.fetchFn)).toMatchObject({ kind: 'sent', receipt: { revid: 5, foundBy: 'marker' } });
    expect(second.calls.some((call) => call.kind === 'edit')).toBe(false);
  });

  it('never posts an emergency, and never to an http:// wiki other than this computer', async () => {
    const { fetchFn, calls } = scriptedWiki({});
    const emergency = await makeReport({ harm: { kind: 'emergency', type: 'threat_physical_harm' } });
    expect(await attempt(fetchFn, KEY, emergency)).toEqual({ kind: 'permanent', reason: 'kalkan-report-error-emergency-public', httpStatus: null });
    const { report, post } = await postFor(KEY);
    const insecure = { ...destination, wikiId: 'http://wiki.example.org/w' };
    expect(await postNoticeboardSection(fetchFn, { destination: insecure, report, post, idempotencyKey: KEY })).toMatchObject({ reason: 'kalkan-report-error-insecure-destination' });
    expect(calls).toEqual([]);
  });

  it('refuses a post whose text lost its marker (a lost answer could not be recognised later)', async () => {
    const { fetchFn, calls } = scriptedWiki({});
    const { report, post } = await postFor(KEY);
    const outcome = await postNoticeboardSection(fetchFn, { destination, report, post: { ...post, text: 'no marker ~~~~' }, idempotencyKey: KEY });
    expect(outcome).toMatchObject({ kind: 'permanent', reason: 'kalkan-report-error-invalid' });
    expect(calls).toEqual([]);
  });
});

describe('outcomeForApiError', () => {
  const table: Array<[code: string, kind: SendOutcome['kind'], reason: string]> = [
    ['assertuserfailed', 'permanent', 'kalkan-report-error-not-logged-in'],
    ['notloggedin', 'permanent', 'kalkan-report-error-not-logged-in'],
    ['protectedpage', 'permanent', 'kalkan-report-error-protected'],
    ['cascadeprotected', 'permanent', 'kalkan-report-error-protected'],
    ['permissiondenied', 'permanent', 'kalkan-report-error-permission-denied'],
    ['blocked', 'permanent', 'kalkan-report-error-blocked'],
    ['autoblocked', 'permanent', 'kalkan-report-error-blocked'],
    ['abusefilter-disallowed', 'permanent', 'kalkan-report-error-wiki-refused'],
    ['spamblacklist', 'permanent', 'kalkan-report-error-wiki-refused'],
    ['ratelimited', 'retry', 'kalkan-report-retry-wiki-busy'],
    ['maxlag', 'retry', 'kalkan-report-retry-wiki-busy'],
    ['readonly', 'retry', 'kalkan-report-retry-wiki-readonly'],
    ['internal_api_error_DBQueryError', 'retry', 'kalkan-report-retry-server'],
  ];
  it.each(table)('%s → %s %s', (code, kind, reason) => {
    expect(outcomeForApiError(code, 'info', null)).toMatchObject({ kind, reason });
  });
});

describe('checkNoticeboard (the confirmation step)', () => {
  it('logged in; a section about Bakyt already exists (linked); none about Example troll', async () => {
    const { fetchFn, calls } = scriptedWiki({ page: [fixture('page')], session: [fixture('session')] });
    expect(await checkNoticeboard(fetchFn, destination, ['Bakyt'])).toEqual({
      ok: true,
      pageTitle: 'Kalkan Test Wiki:Noticeboard',
      pageExists: true,
      existing: [{ heading: 'Conduct of [[User:Bakyt|Bakyt]]', url: 'http://localhost:8911/w/index.php?title=Kalkan_Test_Wiki%3ANoticeboard#Conduct_of_Bakyt' }],
      loggedIn: true,
      userName: 'Chloe',
      loginUrl: 'http://localhost:8911/w/index.php?title=Special%3AUserLogin&returnto=Kalkan_Test_Wiki%3ANoticeboard',
    });
    expect(await checkNoticeboard(fetchFn, destination, ['Example troll'])).toMatchObject({ ok: true, existing: [] });
    expect(calls.some((call) => call.kind === 'edit')).toBe(false);
  });
  it('logged out: says so and does not show the IP address back', async () => {
    const { fetchFn } = scriptedWiki({ page: [fixture('page')], session: [fixture('session-anon')] });
    expect(await checkNoticeboard(fetchFn, destination, ['Bakyt'])).toMatchObject({ ok: true, loggedIn: false, userName: null });
  });
  it('a missing page and an unreachable wiki', async () => {
    const missing = scriptedWiki({ page: [fixture('page-missing')], session: [fixture('session')] });
    expect(await checkNoticeboard(missing.fetchFn, destination, ['Bakyt'])).toMatchObject({ ok: true, pageExists: false });
    const down: FetchFn = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await checkNoticeboard(down, destination, ['Bakyt'])).toEqual({ ok: false, reason: 'kalkan-report-retry-network', detail: null });
  });
});

describe('addresses and anchors', () => {
  const wikiIds: Array<[string, boolean]> = [
    ['https://en.wikipedia.org/w', true],
    ['http://localhost:8911/w', true],
    ['https://wiki.example.org', true],
    ['http://wiki.example.org/w', false],
    ['https://en.wikipedia.org/w/api.php', false],
    ['https://en.wikipedia.org/w?x=1', false],
    ['https://user:pass@en.wikipedia.org/w', false],
    ['en.wikipedia.org/w', false],
  ];
  it.each(wikiIds)('wiki address %s allowed: %s', (wikiId, allowed) => {
    expect(isAllowedWikiId(wikiId)).toBe(allowed);
  });
  const anchors: Array<[string, string]> = [
    ['Harassment by Bakyt', 'Harassment_by_Bakyt'],
    ['Conduct of [[User:Bakyt|Bakyt]]', 'Conduct_of_Bakyt'],
    ["'''Urgent''': [[User:X]]", 'Urgent:_User:X'],
    ['Айгерим  и <span>Бакыт</span>', 'Айгерим_и_Бакыт'],
  ];
  it.each(anchors)('anchor of %s is %s', (heading, anchor) => {
    expect(sectionAnchor(heading)).toBe(anchor);
  });
});
