import browser from 'webextension-polyfill';
import { PageSummarySchema, type PageSummary } from '../../utils/messaging/protocol';
import { RequestError, type Handlers } from '../../utils/messaging/router';
import type { SenderInfo } from '../../utils/messaging/sender';
import { getProfile, PROFILE_KEY_PREFIX } from '../../utils/wiki-profile/cache';
import { learnProfile, wikiIdOf } from '../../utils/wiki-profile/learn';
import { addSite, listSites, removeSite } from './sites';

export interface HandlerContext {
  sender: SenderInfo;
}

/** Per-tab page summaries live in session storage: they outlive a sleeping service worker, not the browser. */
const SUMMARY_KEY_PREFIX = 'summary:';
/** Longest wait for one Action API answer while learning a wiki's profile. */
export const API_TIMEOUT_MS = 15_000;

async function fetchJson(url: string, signal?: AbortSignal): Promise<unknown> {
  const timeout = AbortSignal.timeout(API_TIMEOUT_MS);
  const response = await fetch(url, {
    credentials: 'omit',
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    headers: { 'Api-User-Agent': 'Kalkan/0.1 (browser extension; talk-page safety tools)' },
  });
  if (!response.ok) throw new RequestError('wiki-unreachable', `The wiki answered HTTP ${response.status}; try again later.`);
  return response.json();
}

function senderOrigin(sender: SenderInfo): string | null {
  try {
    return sender.url ? new URL(sender.url).origin : null;
  } catch {
    // A sender without a parseable URL cannot be matched to a wiki.
    return null;
  }
}

/** Handlers for some request types; each domain contributes its own map, composed in index.ts. */
export type HandlerMap<K extends keyof Handlers<HandlerContext>> = Pick<Handlers<HandlerContext>, K>;

export const coreHandlers: HandlerMap<'page/hello' | 'page/summary' | 'tab/summary' | 'sites/list' | 'sites/add' | 'sites/remove' | 'profile/forget'> = {
  'page/hello': async (request, { sender }) => {
    // A content script may only ask about the wiki it is running on.
    if (senderOrigin(sender) !== null && senderOrigin(sender) !== request.location.origin && sender.tab) {
      throw new RequestError('forbidden-sender', 'A page may only ask about its own wiki.');
    }
    const wikiId = wikiIdOf(request.location);
    const profile = await getProfile(browser.storage.local, wikiId, Date.now(), () =>
      learnProfile(fetchJson, request.location, Date.now()).catch((error: unknown) => {
        if (error instanceof RequestError) throw error;
        throw new RequestError('wiki-unreachable', error instanceof Error ? error.message : String(error));
      }),
    );
    return { profile };
  },
  'page/summary': async (request, { sender }) => {
    const tabId = sender.tab?.id;
    if (tabId !== undefined) await browser.storage.session.set({ [SUMMARY_KEY_PREFIX + tabId]: request.summary });
    return { recorded: true };
  },
  'tab/summary': async (request) => {
    const key = SUMMARY_KEY_PREFIX + request.tabId;
    const parsed = PageSummarySchema.safeParse((await browser.storage.session.get(key))[key]);
    const summary: PageSummary | null = parsed.success ? parsed.data : null;
    return { summary };
  },
  'sites/list': async () => ({ sites: await listSites() }),
  'sites/add': async (request) => ({ sites: await addSite(request.origin, Date.now()) }),
  'sites/remove': async (request) => ({ sites: await removeSite(request.origin) }),
  'profile/forget': async (request) => {
    const key = PROFILE_KEY_PREFIX + request.wikiId;
    const had = (await browser.storage.local.get(key))[key] !== undefined;
    await browser.storage.local.remove(key);
    return { forgotten: had };
  },
};

export async function forgetTab(tabId: number): Promise<void> {
  await browser.storage.session.remove(SUMMARY_KEY_PREFIX + tabId);
}
