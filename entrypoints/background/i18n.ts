import browser from 'webextension-polyfill';
import { WIKI_LANGUAGE_KEY_PREFIX } from '../../utils/i18n/requests';
import { RequestError } from '../../utils/messaging/router';
import type { SenderInfo } from '../../utils/messaging/sender';
import { KalkanDb } from '../../utils/storage/db';
import { getSetting } from '../../utils/storage/repository';
import type { HandlerMap } from './handlers';

/**
 * Interface language in the background: answers content scripts with the user's override (they cannot read the
 * database) and remembers each wiki's user language for the extension pages about that wiki.
 */

export interface I18nDeps {
  /** storage.session: extension-only, gone when the browser closes. */
  session: { set(items: Record<string, unknown>): Promise<void> };
  loadOverride(): Promise<string | null>;
}

function sameWiki(sender: SenderInfo, wikiId: string): boolean {
  // A content script may only speak for the wiki it runs on (wikiId is origin + script path).
  if (!sender.tab) return true;
  try {
    return sender.url !== undefined && new URL(sender.url).origin === new URL(wikiId).origin;
  } catch {
    // Unparseable URLs cannot be matched to the wiki: refuse.
    return false;
  }
}

export function createI18nHandlers(deps: I18nDeps): HandlerMap<'i18n/language'> {
  return {
    'i18n/language': async (request, { sender }) => {
      if (!sameWiki(sender, request.wikiId)) throw new RequestError('forbidden-sender', 'A page may only speak for its own wiki.');
      const [override] = await Promise.all([
        deps.loadOverride(),
        request.userLanguage ? deps.session.set({ [WIKI_LANGUAGE_KEY_PREFIX + request.wikiId]: request.userLanguage }) : null,
      ]);
      return { override };
    },
  };
}

let database: KalkanDb | undefined;

export const i18nHandlers = createI18nHandlers({
  session: { set: (items) => browser.storage.session.set(items) },
  loadOverride: async () => {
    database ??= new KalkanDb();
    return (await getSetting(database, 'language')).override;
  },
});
