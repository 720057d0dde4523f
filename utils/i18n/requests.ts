import { z } from 'zod';
import { LanguageCodeSchema } from './resolve';

/**
 * The interface-language message, added to the one protocol in utils/messaging/protocol.ts. A content script
 * cannot read the extension's database (it runs in the wiki's origin), so it asks the background for the
 * "Interface language" override; the same request tells the background the wiki's user language, which the
 * extension pages about that wiki (report form, reports page, patroller view) then follow.
 */

export const I18nLanguageRequestSchema = z.object({
  type: z.literal('i18n/language'),
  wikiId: z.string().min(1).max(500),
  /**
   * wgUserLanguage of the page (page-controlled: only ever used to pick one of the shipped languages); null when
   * the page's value is not a language code.
   */
  userLanguage: LanguageCodeSchema.nullable(),
});

export const I18nResponseSchemas = {
  'i18n/language': z.object({ override: LanguageCodeSchema.nullable() }),
} as const;

/** storage.session key of a wiki's user language (extension-only storage; gone when the browser closes). */
export const WIKI_LANGUAGE_KEY_PREFIX = 'wiki-language:';
