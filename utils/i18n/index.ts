import Banana from 'banana-i18n';

/**
 * All user-visible text goes through here (MediaWiki/banana message format: PLURAL, GENDER, $1 parameters).
 * Messages live in utils/i18n/messages/<domain>/<lang>.json (one folder per feature, so features never edit
 * one shared file), with qqq.json documenting every key for translators. They are merged per language here.
 */
const modules = import.meta.glob<Record<string, unknown>>('./messages/*/*.json', { eager: true, import: 'default' });

let merged: Record<string, Record<string, string>> | null = null;

/** All messages per language (merged once: every translator and the options page's language list use them). */
export function messageBundles(): Record<string, Record<string, string>> {
  if (merged) return merged;
  const bundles: Record<string, Record<string, string>> = {};
  for (const [path, messages] of Object.entries(modules)) {
    const lang = /\/([a-z-]+)\.json$/.exec(path)?.[1];
    if (!lang || lang === 'qqq') continue;
    const bundle = (bundles[lang] ??= {});
    for (const [key, value] of Object.entries(messages)) {
      if (key !== '@metadata' && typeof value === 'string') bundle[key] = value;
    }
  }
  merged = bundles;
  return bundles;
}

export type Translate = (key: string, ...params: Array<string | number>) => string;

export function createTranslator(locale: string): Translate {
  const banana = new Banana(locale, { finalFallback: 'en' });
  for (const [code, messages] of Object.entries(messageBundles())) banana.load(messages, code);
  return (key, ...params) => banana.i18n(key, ...params);
}

/** Languages Kalkan ships: every language with at least one message file (English first, then by code). */
export function shippedLanguages(): string[] {
  return Object.keys(messageBundles()).sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
}

export { directionOf, resolveUiLanguage, matchShippedLanguage, type UiSurface, type LanguageInputs } from './resolve';
