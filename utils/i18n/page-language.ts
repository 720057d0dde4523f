import type { KalkanDb } from '../storage/db';
import { getSetting } from '../storage/repository';
import { LanguageCodeSchema, resolveUiLanguage } from './resolve';
import { shippedLanguages } from './index';
import { WIKI_LANGUAGE_KEY_PREFIX } from './requests';

/** The browser APIs an extension page's language needs (passed in: utils/ does not import the extension API). */
export interface PageLanguageApi {
  i18n: { getUILanguage(): string };
  storage: { session: { get(key: string): Promise<Record<string, unknown>> } };
}

/** A wiki's user language as last recorded by the background (see entrypoints/background/i18n.ts), or null. */
export async function recordedWikiLanguage(api: PageLanguageApi, wikiId: string): Promise<string | null> {
  const key = WIKI_LANGUAGE_KEY_PREFIX + wikiId;
  try {
    const parsed = LanguageCodeSchema.safeParse((await api.storage.session.get(key))[key]);
    return parsed.success ? parsed.data : null;
  } catch (error) {
    // Session storage missing (an old browser): the page follows the browser's language instead.
    console.warn('[kalkan] could not read the wiki language:', error);
    return null;
  }
}

/**
 * The interface language of an extension page: the override, else (for a page about one wiki) that wiki's user
 * language, else the browser's. `wikiId` null means the page is not about one wiki.
 */
export async function extensionPageLanguage(api: PageLanguageApi, db: KalkanDb, wikiId: string | null): Promise<string> {
  const [{ override }, wikiUserLanguage] = await Promise.all([
    getSetting(db, 'language').catch((error: unknown) => {
      // The database could not be read: Automatic is the safe answer, and the page still opens.
      console.warn('[kalkan] could not read the interface language setting:', error);
      return { override: null };
    }),
    wikiId ? recordedWikiLanguage(api, wikiId) : Promise.resolve(null),
  ]);
  return resolveUiLanguage({
    surface: wikiId ? 'wiki-page' : 'browser-page',
    override,
    wikiUserLanguage,
    browserLanguage: api.i18n.getUILanguage(),
    shipped: shippedLanguages(),
  });
}
