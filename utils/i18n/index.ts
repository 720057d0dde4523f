import Banana from 'banana-i18n';

/**
 * All user-visible text goes through here (MediaWiki/banana message format: PLURAL, GENDER, $1 parameters).
 * Messages live in utils/i18n/messages/<domain>/<lang>.json (one folder per feature, so features never edit
 * one shared file), with qqq.json documenting every key for translators. They are merged per language here.
 */
const modules = import.meta.glob<Record<string, unknown>>('./messages/*/*.json', { eager: true, import: 'default' });

export function messageBundles(): Record<string, Record<string, string>> {
  const bundles: Record<string, Record<string, string>> = {};
  for (const [path, messages] of Object.entries(modules)) {
    const lang = /\/([a-z-]+)\.json$/.exec(path)?.[1];
    if (!lang || lang === 'qqq') continue;
    const bundle = (bundles[lang] ??= {});
    for (const [key, value] of Object.entries(messages)) {
      if (key !== '@metadata' && typeof value === 'string') bundle[key] = value;
    }
  }
  return bundles;
}

export type Translate = (key: string, ...params: Array<string | number>) => string;

export function createTranslator(locale: string): Translate {
  const banana = new Banana(locale, { finalFallback: 'en' });
  for (const [code, messages] of Object.entries(messageBundles())) banana.load(messages, code);
  return (key, ...params) => banana.i18n(key, ...params);
}

const RTL = /^(ar|arz|ckb|dv|fa|he|ks|ps|sd|ug|ur|yi)(-|$)/;

export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RTL.test(locale) ? 'rtl' : 'ltr';
}
