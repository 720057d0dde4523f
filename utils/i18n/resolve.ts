import { z } from 'zod';

/**
 * Which language Kalkan speaks on each surface. Pure: callers pass in what they know (the user's override, the
 * wiki's user and content languages, the browser's UI language) and the list of languages Kalkan ships.
 *
 * - An explicit override from the settings wins everywhere.
 * - In-page UI (badges, report controls, masking dialogs) follows the wiki's user language (wgUserLanguage; MediaWiki
 *   sets it to the content language for logged-out readers), then the wiki's content language.
 * - Extension pages about one wiki (report form, reports page, patroller view) follow that wiki's user language
 *   where known (recorded when a page of that wiki was last seen in this browser session).
 * - Other extension pages (options, popup) follow the browser's UI language.
 * Every surface then tries the browser's UI language, and finally English.
 */

/** BCP 47 / MediaWiki language codes as we accept them from pages, browsers and storage ("zh-hans", "pt_BR"). */
export const MAX_LANGUAGE_CODE_CHARS = 35;
export const LanguageCodeSchema = z
  .string()
  .max(MAX_LANGUAGE_CODE_CHARS)
  .regex(/^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$/, 'a language code such as "ky", "pt-br" or "zh-hans"');

export const FINAL_FALLBACK_LANGUAGE = 'en';

export type UiSurface = 'in-page' | 'wiki-page' | 'browser-page';

export interface LanguageInputs {
  surface: UiSurface;
  /** The "Interface language" setting; null is "Automatic". */
  override: string | null;
  wikiUserLanguage?: string | null;
  wikiContentLanguage?: string | null;
  browserLanguage?: string | null;
  /** Languages Kalkan has message files for (see shippedLanguages() in ./index). */
  shipped: readonly string[];
}

/**
 * Codes that do not reach a shipped language by dropping subtags: Chinese variants by script (Traditional is not
 * Simplified: without a zh-hant translation those readers get English), deprecated codes browsers still report,
 * and a subset of MediaWiki's own fallback chains ($fallback in languages/messages/Messages*.php) that end in a
 * language Kalkan ships — a Bashkir or Yiddish reader gets Russian or Hebrew rather than English.
 * A value of null stops the search for this candidate (the next candidate is tried).
 */
const ALIASES: Readonly<Record<string, string | null>> = {
  zh: 'zh-hans', 'zh-cn': 'zh-hans', 'zh-sg': 'zh-hans', 'zh-my': 'zh-hans', wuu: 'zh-hans',
  'zh-hant': 'zh-hant', 'zh-tw': 'zh-hant', 'zh-hk': 'zh-hant', 'zh-mo': 'zh-hant', yue: 'zh-hant', lzh: 'zh-hant',
  iw: 'he', yi: 'he',
  arz: 'ar', ary: 'ar',
  azb: 'fa', glk: 'fa', mzn: 'fa', lrc: 'fa',
  ba: 'ru', cv: 'ru', ce: 'ru', sah: 'ru', tt: 'ru', os: 'ru',
  rue: 'uk',
  bar: 'de', gsw: 'de', ksh: 'de', lb: 'de', nds: 'de', pfl: 'de', hsb: 'de', dsb: 'de',
  an: 'es', ast: 'es',
  gl: 'pt', mwl: 'pt',
  br: 'fr', frp: 'fr', ht: 'fr', oc: 'fr', wa: 'fr',
  gag: 'tr', lzz: 'tr',
  csb: 'pl', szl: 'pl',
};

function normalise(code: string): string {
  return code.trim().toLowerCase().replace(/_/g, '-');
}

/**
 * The shipped language a code stands for, or null: exact match, then the alias table, then the code with its
 * last subtag dropped (pt-br → pt, kk-cyrl → kk, ky-kg → ky), repeatedly. Chinese is decided by script before any
 * subtag is dropped, so zh-hant-tw never becomes zh-hans.
 */
export function matchShippedLanguage(code: string | null | undefined, shipped: readonly string[]): string | null {
  if (!code || !LanguageCodeSchema.safeParse(code).success) return null;
  const available = new Set(shipped.map(normalise));
  let current = normalise(code);
  if (/^zh-(.+-)?hant(-|$)/.test(current)) current = 'zh-hant';
  else if (/^zh-(.+-)?hans(-|$)/.test(current)) current = 'zh-hans';
  for (;;) {
    if (available.has(current)) return current;
    if (Object.hasOwn(ALIASES, current)) {
      const alias = ALIASES[current] ?? null;
      return alias !== null && available.has(alias) ? alias : null;
    }
    const cut = current.lastIndexOf('-');
    if (cut <= 0) return null;
    current = current.slice(0, cut);
  }
}

/** The candidates of a surface, most specific first (the override is handled before them). */
function candidates(inputs: LanguageInputs): Array<string | null | undefined> {
  switch (inputs.surface) {
    case 'in-page':
      return [inputs.wikiUserLanguage, inputs.wikiContentLanguage, inputs.browserLanguage];
    case 'wiki-page':
      return [inputs.wikiUserLanguage, inputs.browserLanguage];
    case 'browser-page':
      return [inputs.browserLanguage];
  }
}

export function resolveUiLanguage(inputs: LanguageInputs): string {
  for (const candidate of [inputs.override, ...candidates(inputs)]) {
    const match = matchShippedLanguage(candidate, inputs.shipped);
    if (match) return match;
  }
  return FINAL_FALLBACK_LANGUAGE;
}

/** Scripts written right to left, by language code (the first subtag); Intl.Locale#textInfo is not everywhere. */
const RTL_LANGUAGES = new Set(['ar', 'arz', 'ary', 'azb', 'ckb', 'dv', 'fa', 'glk', 'he', 'iw', 'ks', 'lrc', 'mzn', 'ps', 'sd', 'ug', 'ur', 'yi']);
/** Script subtags that override the language's usual direction (kk-arab, pa-arab; az-latn stays ltr). */
const RTL_SCRIPTS = new Set(['arab', 'hebr', 'thaa', 'syrc', 'nkoo', 'adlm', 'rohg']);
const LTR_SCRIPTS = new Set(['latn', 'cyrl']);

export function directionOf(code: string): 'ltr' | 'rtl' {
  const [language = '', ...subtags] = normalise(code).split('-');
  for (const subtag of subtags) {
    if (RTL_SCRIPTS.has(subtag)) return 'rtl';
    if (LTR_SCRIPTS.has(subtag)) return 'ltr';
  }
  return RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
}

/** The stored "Interface language" setting (utils/storage/records.ts). */
export const LanguageSettingSchema = z.object({
  /** null = Automatic (resolveUiLanguage picks per surface). */
  override: LanguageCodeSchema.nullable(),
});
export type LanguageSetting = z.infer<typeof LanguageSettingSchema>;
export const DEFAULT_LANGUAGE_SETTING: LanguageSetting = { override: null };
