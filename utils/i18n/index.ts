import Banana from 'banana-i18n';
import en from './messages/en.json';

/**
 * All user-visible text goes through here (MediaWiki/banana message format: PLURAL, GENDER, $1 parameters).
 * English is bundled; other languages are added as message files beside it.
 */
const bundles: Record<string, Record<string, unknown>> = { en };

export type Translate = (key: string, ...params: Array<string | number>) => string;

export function createTranslator(locale: string): Translate {
  const banana = new Banana(locale, { finalFallback: 'en' });
  for (const [code, messages] of Object.entries(bundles)) {
    const { '@metadata': _metadata, ...rest } = messages;
    banana.load(rest as Record<string, string>, code);
  }
  return (key, ...params) => banana.i18n(key, ...params);
}

export function directionOf(locale: string): 'ltr' | 'rtl' {
  return /^(ar|arz|ckb|dv|fa|he|ks|ps|sd|ug|ur|yi)(-|$)/.test(locale) ? 'rtl' : 'ltr';
}
