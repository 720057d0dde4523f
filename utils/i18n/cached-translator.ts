import type { Translate } from './index';

/**
 * Translations kept per translator. The highlight layer is drawn again as badges are placed and on relayouts, each time translating the same few
 * messages (a category's name, the badge's label, the flagged count). banana-i18n parses the message on every
 * call (and builds Intl.PluralRules and Intl.NumberFormat for a plural): on the 1,070-comment archive that was
 * 60% of the layer's first render in a CPU profile. A translator's answer for a key and parameters never changes
 * (its language is fixed), so the layer keeps the answers.
 */

/** Answers kept per translator; past it the cache starts again (the popover's scores and weights vary). */
export const MAX_CACHED_TRANSLATIONS = 500;

export function cachedTranslator(t: Translate, max = MAX_CACHED_TRANSLATIONS): Translate {
  const cache = new Map<string, string>();
  return (key, ...params) => {
    // Parameters are strings and numbers: one JSON array names the call exactly ("1" and 1 stay apart).
    const id = params.length ? JSON.stringify([key, ...params]) : key;
    let text = cache.get(id);
    if (text === undefined) {
      if (cache.size >= max) cache.clear();
      text = t(key, ...params);
      cache.set(id, text);
    }
    return text;
  };
}
