import { createTranslator, directionOf, type Translate } from './index';

/**
 * Sets lang/dir on an extension page from its resolved interface language (see resolve.ts) and returns its
 * translator. Called again when the user changes the "Interface language" setting on the options page.
 */
export function setupPageLanguage(doc: Document, language: string): Translate {
  doc.documentElement.lang = language;
  doc.documentElement.dir = directionOf(language);
  return createTranslator(language);
}

/**
 * Direction of the wiki page's content (not of its interface): MediaWiki marks the content area with
 * mw-content-ltr / mw-content-rtl and dir in the content language (1.39 on #mw-content-text, newer versions on
 * its .mw-parser-output child), while <html dir> follows the user language — with ?uselang=ar on an English wiki
 * the two differ, and controls placed beside the text must follow the text. Nested templates carry their own
 * mw-content-ltr (e.g. an English notice on arwiki), so only these two levels are read.
 */
export function contentDirection(doc: Document, fallback: 'ltr' | 'rtl'): 'ltr' | 'rtl' {
  const root = doc.getElementById('mw-content-text');
  for (const element of [root, root?.querySelector(':scope > .mw-parser-output, :scope > [dir]')]) {
    if (!element) continue;
    if (element.classList.contains('mw-content-rtl')) return 'rtl';
    if (element.classList.contains('mw-content-ltr')) return 'ltr';
    const dir = element.getAttribute('dir');
    if (dir === 'rtl' || dir === 'ltr') return dir;
  }
  return fallback;
}
