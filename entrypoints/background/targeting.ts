import browser from 'webextension-polyfill';
import { RequestError } from '../../utils/messaging/router';
import type { SenderInfo } from '../../utils/messaging/sender';
import { KalkanDb } from '../../utils/storage/db';
import { applyInteractionRetention, recordInteractions } from '../../utils/storage/interactions';
import { getSetting } from '../../utils/storage/repository';
import { PATROL_PAGE, patrolPairHash } from '../../utils/targeting/messages';
import { wikiIdOf } from '../../utils/wiki-profile/learn';
import type { HandlerMap } from './handlers';

/**
 * The interaction log in the background: content scripts add what their page shows (who replied to or pinged
 * whom), deduplicated in the extension's database; retention runs at every worker start and daily.
 */

export const TARGETING_RETENTION_ALARM = 'kalkan-targeting-retention';
const DAY_MS = 24 * 60 * 60_000;

let database: KalkanDb | undefined;
function db(): KalkanDb {
  database ??= new KalkanDb();
  return database;
}

let lastRetentionAt = 0;

async function runRetention(now: number): Promise<void> {
  lastRetentionAt = now;
  const { retentionDays } = await getSetting(db(), 'targeting');
  const deleted = await applyInteractionRetention(db(), now, retentionDays);
  if (deleted) console.info(`[kalkan] interaction log: ${deleted} entries older than ${retentionDays} days deleted`);
}

/** Called once per service-worker start (index.ts). */
export function startTargeting(): void {
  const fail = (error: unknown) => console.error('[kalkan] interaction-log retention failed:', error);
  // The alarms API exists when the manifest asks for it (it does, for reporting); a worker that lives for days
  // without it still gets retention from the daily check in 'targeting/record'.
  if (typeof browser.alarms !== 'undefined') {
    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === TARGETING_RETENTION_ALARM) void runRetention(Date.now()).catch(fail);
    });
    void browser.alarms.create(TARGETING_RETENTION_ALARM, { periodInMinutes: 24 * 60 }).catch(fail);
  }
  void runRetention(Date.now()).catch(fail);
}

function senderOrigin(sender: SenderInfo): string | null {
  try {
    return sender.url ? new URL(sender.url).origin : null;
  } catch {
    // A sender without a parseable URL cannot be matched to a wiki.
    return null;
  }
}

export const targetingHandlers: HandlerMap<'targeting/record' | 'targeting/open-pair'> = {
  'targeting/record': async (request, { sender }) => {
    // A page may only add interactions of its own wiki: the location is checked against the sending tab.
    if (senderOrigin(sender) !== request.location.origin) {
      throw new RequestError('forbidden-sender', 'A page may only record interactions from its own wiki.');
    }
    const now = Date.now();
    if (now - lastRetentionAt > DAY_MS) await runRetention(now);
    const wiki = { wikiId: wikiIdOf(request.location), server: request.location.origin, scriptPath: request.location.scriptPath, contentLanguage: request.contentLanguage };
    const result = request.observations.length
      ? await recordInteractions(db(), wiki, request.page, request.observations, now)
      : { added: 0, updated: 0 };
    const { pageThreshold } = await getSetting(db(), 'targeting');
    return { ...result, pageThreshold };
  },
  'targeting/open-pair': async (request, { sender }) => {
    if (senderOrigin(sender) !== request.location.origin) {
      throw new RequestError('forbidden-sender', 'A page may only open the pair view for its own wiki.');
    }
    await browser.tabs.create({ url: browser.runtime.getURL(`${PATROL_PAGE}${patrolPairHash(wikiIdOf(request.location), request.from, request.to)}`) });
    return { opened: true as const };
  },
};
