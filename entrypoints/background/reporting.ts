import browser from 'webextension-polyfill';
import { z } from 'zod';
import { sealEvidence } from '../../utils/reports/canonical';
import { buildUnhashedEvidence, wikiUrls, type CapturedComment } from '../../utils/reports/draft';
import { DtCompareSession, findOriginForCapture } from '../../utils/reports/dt-compare';
import { HistorySearchError, type FetchFn } from '../../utils/reports/history';
import { checkNoticeboard } from '../../utils/reports/noticeboard-post';
import type { EvidenceItem, OriginRevision } from '../../utils/reports/schema';
import { KalkanDb } from '../../utils/storage/db';
import { runOutboxPass, type OutboxPassResult } from '../../utils/storage/delivery';
import { addEvidenceToDraft } from '../../utils/storage/draft-edits';
import { applyRetention, recoverStuckSends } from '../../utils/storage/repository';
import { RequestError } from '../../utils/messaging/router';
import { FormPongSchema, type FormPing } from '../../utils/messaging/report-form';
import type { SenderInfo } from '../../utils/messaging/sender';
import { readCachedProfile } from '../../utils/wiki-profile/cache';
import { wikiIdOf } from '../../utils/wiki-profile/learn';
import type { HandlerMap } from './handlers';

/**
 * Reporting in the background: evidence from a click on the wiki page becomes sealed items in a draft (Dexie,
 * extension origin), and the outbox is driven from here — at every service-worker start (recovering sends a
 * killed worker left behind), after each submit, and on alarms for retries and daily retention.
 */

export const OUTBOX_ALARM = 'kalkan-outbox';
export const RETENTION_ALARM = 'kalkan-retention';
export const RETENTION_PERIOD_MINUTES = 24 * 60;
/**
 * Browsers refuse alarms sooner than 30 s (Chrome) or round them up; shorter retry waits also get a timer in the
 * running worker. The alarm stays as the backstop if the worker is stopped before the timer fires.
 */
export const MIN_ALARM_DELAY_MS = 30_000;
/** Where the id of the draft that "Report" and "Add to report" append to is kept (extension storage). */
export const CURRENT_DRAFT_KEY = 'report:currentDraft';
/** Report form page, relative to the extension root. */
export const REPORT_PAGE = '/report.html';

let database: KalkanDb | undefined;
function db(): KalkanDb {
  database ??= new KalkanDb();
  return database;
}

/** History lookups are public and made without the user's cookies: they must not reveal who is reporting. */
const anonymousFetch: FetchFn = (input, init) => fetch(input, { ...init, credentials: 'omit' });

async function findOrigin(session: DtCompareSession, item: CapturedComment): Promise<OriginRevision | null> {
  try {
    const found = await findOriginForCapture({
      title: item.pageTitle,
      author: item.author,
      timestamp: item.timestamp,
      commentId: item.commentId,
      discussionTools: item.discussionTools,
      session,
    });
    // Where DiscussionTools could have confirmed the revision but did not, say why the history search's answer stands.
    if (item.discussionTools && found.status !== 'confirmed') console.info(`[kalkan] adding revision not confirmed (${found.status}): ${found.detail}`);
    return found.origin;
  } catch (error) {
    // The report is still worth filing without the diff (the permalink shows the comment); note why it is missing.
    if (error instanceof HistorySearchError || error instanceof TypeError || (error instanceof DOMException && error.name === 'TimeoutError')) {
      console.warn('[kalkan] could not find the revision that added the comment:', error.message);
      return null;
    }
    throw error;
  }
}

async function currentDraftId(): Promise<string | null> {
  const stored = (await browser.storage.local.get(CURRENT_DRAFT_KEY))[CURRENT_DRAFT_KEY];
  const parsed = z.uuid().safeParse(stored);
  return parsed.success ? parsed.data : null;
}

async function openReportForm(draftId: string): Promise<void> {
  try {
    const pong = FormPongSchema.safeParse(await browser.runtime.sendMessage({ type: 'report-form/ping', draftId } satisfies FormPing));
    if (pong.success) {
      await browser.tabs.update(pong.data.tabId, { active: true });
      await browser.windows.update(pong.data.windowId, { focused: true });
      return;
    }
  } catch (error) {
    // "Receiving end does not exist": no form is open, so one is opened below.
    console.debug('[kalkan] no open report form:', error);
  }
  await browser.tabs.create({ url: browser.runtime.getURL(`${REPORT_PAGE}?draft=${draftId}`) });
}

function senderOrigin(sender: SenderInfo): string | null {
  try {
    return sender.url ? new URL(sender.url).origin : null;
  } catch {
    // A sender without a parseable URL cannot be matched to a wiki.
    return null;
  }
}

// ---- outbox scheduling ----------------------------------------------------------------------------------------

let wakeTimer: ReturnType<typeof setTimeout> | undefined;
let passRunning: Promise<OutboxPassResult> | null = null;

async function schedule(nextWakeMs: number | null): Promise<void> {
  if (wakeTimer !== undefined) clearTimeout(wakeTimer);
  wakeTimer = undefined;
  if (nextWakeMs === null) {
    await browser.alarms.clear(OUTBOX_ALARM);
    return;
  }
  if (nextWakeMs < MIN_ALARM_DELAY_MS) wakeTimer = setTimeout(() => void runPass(), nextWakeMs);
  await browser.alarms.create(OUTBOX_ALARM, { when: Date.now() + Math.max(nextWakeMs, MIN_ALARM_DELAY_MS) });
}

/**
 * Deliveries. Private endpoints are called with `credentials: 'omit'` by the sender itself; noticeboard postings
 * ask for 'include' on the token, user check and edit only (the user's own session on that wiki — extension
 * requests to hosts Kalkan has permission for are same-site for the browser, so SameSite=Lax session cookies
 * are sent; see docs/reporting.md), and 'omit' on their public reads.
 */
const deliveryFetch: FetchFn = (input, init) => fetch(input, init);

/** One outbox pass at a time per worker (claims are transactional anyway; this only avoids idle passes). */
export function runPass(): Promise<OutboxPassResult> {
  passRunning ??= (async () => {
    try {
      const result = await runOutboxPass(db(), deliveryFetch);
      await schedule(result.nextWakeMs);
      return result;
    } finally {
      passRunning = null;
    }
  })();
  return passRunning;
}

/** Called once per service-worker start (index.ts). */
export function startReporting(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void runPass().catch((error: unknown) => console.error('[kalkan] outbox pass failed:', error));
    if (alarm.name === RETENTION_ALARM) void applyRetention(db(), Date.now()).catch((error: unknown) => console.error('[kalkan] retention failed:', error));
  });
  void (async () => {
    // A `sending` entry found now belongs to a worker (or browser) that died mid-send: resend with the same key.
    const recovered = await recoverStuckSends(db(), Date.now());
    if (recovered) console.info(`[kalkan] resuming ${recovered} interrupted report send(s)`);
    await applyRetention(db(), Date.now());
    await browser.alarms.create(RETENTION_ALARM, { periodInMinutes: RETENTION_PERIOD_MINUTES });
    await runPass();
  })().catch((error: unknown) => console.error('[kalkan] reporting start-up failed:', error));
}

// ---- handlers -------------------------------------------------------------------------------------------------

export const reportingHandlers: HandlerMap<'report/add-evidence' | 'report/send-now' | 'report/noticeboard-check'> = {
  'report/add-evidence': async (request, { sender }) => {
    // A page may only file evidence from its own wiki: the location is checked against the tab that sent it.
    if (senderOrigin(sender) !== request.location.origin) {
      throw new RequestError('forbidden-sender', 'A page may only report comments from its own wiki.');
    }
    const wikiId = wikiIdOf(request.location);
    const cached = await readCachedProfile(browser.storage.local, wikiId, Date.now());
    const profile = cached?.profile;
    const urls = wikiUrls(request.location.origin, request.location.scriptPath, profile?.articlePath ?? '/wiki/$1');
    const apiUrl = `${request.location.origin}${request.location.scriptPath}/api.php`;
    const items: EvidenceItem[] = [];
    // One session per capture: a thread's comments share compare answers and one request budget.
    const session = new DtCompareSession({ apiUrl, fetchFn: anonymousFetch });
    for (const captured of request.items) {
      const origin = await findOrigin(session, captured);
      items.push(await sealEvidence(buildUnhashedEvidence(captured, urls, origin)));
    }
    const result = await addEvidenceToDraft(db(), {
      currentDraftId: await currentDraftId(),
      wiki: { id: wikiId, server: request.location.origin, contentLanguage: profile?.contentLanguage ?? 'en' },
      items,
      now: Date.now(),
    });
    await browser.storage.local.set({ [CURRENT_DRAFT_KEY]: result.draft.id });
    await openReportForm(result.draft.id);
    return {
      draftId: result.draft.id,
      evidenceCount: result.draft.evidence.length,
      added: result.added,
      duplicates: result.duplicates,
      overLimit: result.overLimit,
    };
  },
  'report/send-now': async () => runPass(),
  // Here rather than in the form: the check then sees the wiki session exactly as the posting will.
  'report/noticeboard-check': async (request) => checkNoticeboard(deliveryFetch, request.destination, request.users),
};
