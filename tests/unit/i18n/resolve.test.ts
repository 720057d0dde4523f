import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { contentDirection } from '../../../utils/i18n/dom';
import { languageChoices, ownLanguageName } from '../../../utils/i18n/names';
import { directionOf, LanguageSettingSchema, matchShippedLanguage, resolveUiLanguage, type LanguageInputs } from '../../../utils/i18n/resolve';
import { pageThemeOf } from '../../../entrypoints/content/overlay-theme';

/** The languages the issue names; the resolver only ever answers one of these (or en). */
const SHIPPED = ['en', 'ar', 'de', 'es', 'fa', 'fr', 'he', 'kk', 'ky', 'pl', 'pt', 'ru', 'tr', 'uk', 'zh-hans'];

describe('matchShippedLanguage', () => {
  it.each([
    ['en', 'en'], ['EN', 'en'], ['en-GB', 'en'], ['en_US', 'en'],
    ['pt-br', 'pt'], ['pt_BR', 'pt'], ['pt-PT', 'pt'],
    ['zh', 'zh-hans'], ['zh-cn', 'zh-hans'], ['zh-CN', 'zh-hans'], ['zh-hans', 'zh-hans'], ['zh-Hans-CN', 'zh-hans'], ['zh-sg', 'zh-hans'], ['zh-my', 'zh-hans'],
    ['kk', 'kk'], ['kk-cyrl', 'kk'], ['kk-latn', 'kk'], ['kk-kz', 'kk'],
    ['ky', 'ky'], ['ky-kg', 'ky'], ['ky-Cyrl-KG', 'ky'],
    ['de-formal', 'de'], ['de-at', 'de'], ['es-419', 'es'], ['fr-ca', 'fr'], ['ar-eg', 'ar'],
    ['iw', 'he'], ['yi', 'he'], ['arz', 'ar'], ['azb', 'fa'], ['ba', 'ru'], ['tt-cyrl', 'ru'], ['rue', 'uk'], ['gsw', 'de'], ['gl', 'pt'],
  ])('%s → %s', (code, expected) => {
    expect(matchShippedLanguage(code, SHIPPED)).toBe(expected);
  });

  it.each([
    // Traditional Chinese is not Simplified: without a zh-hant translation, the next candidate (finally English).
    'zh-tw', 'zh-hant', 'zh-Hant-TW', 'zh-hk', 'zh-mo', 'yue',
    'nl', 'sv', 'qqx', 'x', '', 'en-', '../en', 'constructor', 'toString', 'a'.repeat(40),
  ])('%s → no shipped language', (code) => {
    expect(matchShippedLanguage(code, SHIPPED)).toBeNull();
  });

  it('uses zh-hant once it ships, and never falls back from it to zh-hans', () => {
    expect(matchShippedLanguage('zh-tw', [...SHIPPED, 'zh-hant'])).toBe('zh-hant');
    expect(matchShippedLanguage('zh-hans', ['en', 'zh-hant'])).toBeNull();
  });
});

describe('resolveUiLanguage', () => {
  const base = { override: null, shipped: SHIPPED } as const;
  const cases: Array<[string, Omit<LanguageInputs, 'shipped'>, string]> = [
    ['override wins in the page', { ...base, surface: 'in-page', override: 'ky', wikiUserLanguage: 'ru', wikiContentLanguage: 'ru', browserLanguage: 'de' }, 'ky'],
    ['override wins on a wiki page', { ...base, surface: 'wiki-page', override: 'ar', wikiUserLanguage: 'en', browserLanguage: 'de' }, 'ar'],
    ['override wins on the options page', { ...base, surface: 'browser-page', override: 'fa', browserLanguage: 'de' }, 'fa'],
    ['override is mapped too', { ...base, surface: 'browser-page', override: 'pt-BR', browserLanguage: 'de' }, 'pt'],
    ['unshipped override is ignored', { ...base, surface: 'browser-page', override: 'nl', browserLanguage: 'de' }, 'de'],
    ['in-page: user language', { ...base, surface: 'in-page', wikiUserLanguage: 'uk', wikiContentLanguage: 'ru', browserLanguage: 'de' }, 'uk'],
    ['in-page: ?uselang=ar on an English wiki', { ...base, surface: 'in-page', wikiUserLanguage: 'ar', wikiContentLanguage: 'en', browserLanguage: 'en-US' }, 'ar'],
    ['in-page: unshipped user language → content language', { ...base, surface: 'in-page', wikiUserLanguage: 'nl', wikiContentLanguage: 'kk', browserLanguage: 'de' }, 'kk'],
    ['in-page: neither shipped → browser', { ...base, surface: 'in-page', wikiUserLanguage: 'nl', wikiContentLanguage: 'nl', browserLanguage: 'ky-KG' }, 'ky'],
    ['in-page: nothing shipped → en', { ...base, surface: 'in-page', wikiUserLanguage: 'nl', wikiContentLanguage: 'nl', browserLanguage: 'sv' }, 'en'],
    ['in-page: zh-tw user → content', { ...base, surface: 'in-page', wikiUserLanguage: 'zh-tw', wikiContentLanguage: 'zh', browserLanguage: 'en' }, 'zh-hans'],
    ['wiki page: its user language, not the browser', { ...base, surface: 'wiki-page', wikiUserLanguage: 'he', browserLanguage: 'en-US' }, 'he'],
    ['wiki page: ignores the content language', { ...base, surface: 'wiki-page', wikiContentLanguage: 'ru', browserLanguage: 'tr' }, 'tr'],
    ['wiki page: unknown user language → browser', { ...base, surface: 'wiki-page', wikiUserLanguage: null, browserLanguage: 'pl' }, 'pl'],
    ['browser page: browser language, not the wiki', { ...base, surface: 'browser-page', wikiUserLanguage: 'ar', browserLanguage: 'es-419' }, 'es'],
    ['browser page: zh-TW browser → en', { ...base, surface: 'browser-page', browserLanguage: 'zh-TW' }, 'en'],
    ['browser page: no browser language → en', { ...base, surface: 'browser-page', browserLanguage: '' }, 'en'],
  ];
  it.each(cases)('%s', (_name, inputs, expected) => {
    expect(resolveUiLanguage({ ...inputs, shipped: SHIPPED })).toBe(expected);
  });

  it('only answers shipped languages', () => {
    expect(resolveUiLanguage({ surface: 'in-page', override: null, wikiUserLanguage: 'ru', shipped: ['en'] })).toBe('en');
  });
});

describe('directionOf', () => {
  it.each([
    ['ar', 'rtl'], ['fa', 'rtl'], ['he', 'rtl'], ['iw', 'rtl'], ['ur', 'rtl'], ['ckb', 'rtl'], ['ar-EG', 'rtl'], ['kk-arab', 'rtl'],
    ['en', 'ltr'], ['ru', 'ltr'], ['ky', 'ltr'], ['kk', 'ltr'], ['kk-cyrl', 'ltr'], ['zh-hans', 'ltr'], ['tr', 'ltr'],
    ['arn', 'ltr'], ['har', 'ltr'], ['fa-latn', 'ltr'],
  ])('%s is %s', (code, dir) => {
    expect(directionOf(code)).toBe(dir);
  });
});

describe('contentDirection', () => {
  const doc = (html: string) => {
    const window = new Window();
    window.document.body.innerHTML = html;
    return window.document as unknown as Document;
  };
  it.each([
    // MediaWiki 1.39: the class is on #mw-content-text itself; <html dir> (the user language) does not matter.
    ['<div id="mw-content-text" class="mw-body-content mw-content-ltr" dir="ltr"><div class="mw-parser-output"><div class="mw-content-rtl">x</div></div></div>', 'rtl', 'ltr'],
    // Newer MediaWiki: on the parser output.
    ['<div id="mw-content-text" class="mw-body-content"><div class="mw-content-rtl mw-parser-output" lang="ar" dir="rtl">x</div></div>', 'ltr', 'rtl'],
    ['<div id="mw-content-text"><div class="mw-parser-output" dir="rtl">x</div></div>', 'ltr', 'rtl'],
    // A nested English notice on an RTL wiki is not the page's direction; nothing marked → the profile's.
    ['<div id="mw-content-text"><div class="mw-parser-output"><div class="mw-content-ltr" dir="ltr">notice</div></div></div>', 'rtl', 'rtl'],
    ['<p>no content area</p>', 'ltr', 'ltr'],
  ])('%s (fallback %s) → %s', (html, fallback, expected) => {
    expect(contentDirection(doc(html), fallback as 'ltr' | 'rtl')).toBe(expected);
  });
});

describe('the interface language setting', () => {
  it.each([[{ override: null }], [{ override: 'ky' }], [{ override: 'zh-hans' }], [{ override: 'pt_BR' }]])('accepts %j', (value) => {
    expect(LanguageSettingSchema.safeParse(value).success).toBe(true);
  });
  it.each([[{}], [{ override: '' }], [{ override: 'not a code' }], [{ override: '<b>' }], [{ override: 42 }], [{ override: 'x'.repeat(36) }]])('refuses %j', (value) => {
    expect(LanguageSettingSchema.safeParse(value).success).toBe(false);
  });
});

describe('language names', () => {
  it('names each language in itself', () => {
    expect(ownLanguageName('ky')).toBe('кыргызча');
    expect(ownLanguageName('ar')).toBe('العربية');
    expect(ownLanguageName('de')).toBe('Deutsch');
    expect(ownLanguageName('zh-hans')).toBe('简体中文');
    expect(languageChoices(['en', 'uk']).map((c) => c.name)).toEqual(['English', 'українська']);
  });
  it('falls back to the code for what nothing names', () => {
    expect(ownLanguageName('qqx')).toBe('qqx');
    expect(ownLanguageName('not a code')).toBe('not a code');
  });
});

describe('page theme', () => {
  it.each([
    [['client-js', 'skin-theme-clientpref-night'], 'night'],
    [['skin-theme-clientpref-os', 'vector-feature-x'], 'os'],
    [['skin-theme-clientpref-day'], 'day'],
    [['client-js'], 'day'],
    [['skin-theme-clientpref-nightly'], 'day'],
  ])('%j → %s', (classes, theme) => {
    expect(pageThemeOf(classes)).toBe(theme);
  });
});
