import { createTranslator, directionOf, type Translate } from './index';

/** Sets lang/dir on an extension page from the browser's UI language and returns its translator. */
export function setupPageLanguage(doc: Document, uiLanguage: string): Translate {
  const locale = uiLanguage || 'en';
  doc.documentElement.lang = locale;
  doc.documentElement.dir = directionOf(locale);
  return createTranslator(locale);
}
