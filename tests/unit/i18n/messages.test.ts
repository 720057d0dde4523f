import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTranslator, messageBundles, shippedLanguages } from '../../../utils/i18n';
import { chromeLocaleOf, placeholdersOf, pluralForms } from './message-syntax';

const repo = new URL('../../../', import.meta.url).pathname;
const root = join(repo, 'utils/i18n/messages');
const localesRoot = join(repo, 'public/_locales');

type Messages = Record<string, string>;

function read(domain: string, lang: string): Messages {
  const { '@metadata': _m, ...rest } = JSON.parse(readFileSync(join(root, domain, `${lang}.json`), 'utf8')) as Record<string, string>;
  return rest;
}

const domains = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory());
/** Languages with a message file in some domain: the list Kalkan ships comes from the files present. */
const languages = [...new Set(domains.flatMap((domain) => readdirSync(join(root, domain)).map((file) => file.replace(/\.json$/, ''))))]
  .filter((lang) => lang !== 'qqq')
  .sort();
const translations = languages.filter((lang) => lang !== 'en');
/** Every (domain, translation language) pair that has a file. */
const translationFiles = domains.flatMap((domain) =>
  translations.filter((lang) => existsSync(join(root, domain, `${lang}.json`))).map((lang) => [domain, lang] as const),
);
const english = (domain: string) => read(domain, 'en');

/** The languages the "Inclusion" issue promises; more may ship, none of these may go missing. */
const REQUIRED_LANGUAGES = ['en', 'ky', 'ru', 'uk', 'kk', 'ar', 'fa', 'he', 'es', 'fr', 'de', 'tr', 'zh-hans', 'pl', 'pt'];

describe('message files', () => {
  it.each(domains)('%s: every English key is documented in qqq.json, and nothing else is', (domain) => {
    const en = Object.keys(english(domain)).sort();
    const qqq = Object.keys(read(domain, 'qqq')).sort();
    expect(en.filter((key) => !qqq.includes(key)), 'keys without documentation in qqq.json').toEqual([]);
    expect(qqq.filter((key) => !en.includes(key)), 'keys documented in qqq.json but missing from en.json').toEqual([]);
  });
  it.each(domains)('%s: keys are prefixed kalkan-, and every value is a non-empty string', (domain) => {
    for (const [key, value] of Object.entries(english(domain))) {
      expect(key).toMatch(/^kalkan-[a-z0-9-]+$/);
      expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
    }
  });
  it('no key is defined by two domains', () => {
    const seen = new Map<string, string>();
    for (const domain of domains) {
      for (const key of Object.keys(english(domain))) {
        expect(seen.get(key), `${key} in ${domain} and ${seen.get(key)}`).toBeUndefined();
        seen.set(key, domain);
      }
    }
  });
  it('merges all domains into one English bundle and formats plurals', () => {
    expect(Object.keys(messageBundles().en ?? {}).length).toBeGreaterThan(5);
    const t = createTranslator('en');
    expect(t('kalkan-popup-comments', 1, 2)).toBe('1 signed comment in 2 threads');
  });
});

describe('shipped languages', () => {
  it('come from the files present and include every language the issue names', () => {
    expect(languages).toEqual(expect.arrayContaining(REQUIRED_LANGUAGES));
  });
  it('are what the extension offers at run time', () => {
    expect([...shippedLanguages()].sort()).toEqual(languages);
    expect(shippedLanguages()[0]).toBe('en');
  });
  it.each(languages)('%s: file names are language codes Intl understands', (lang) => {
    expect(Intl.getCanonicalLocales(lang)).toHaveLength(1);
  });
});

describe.each(translationFiles)('%s/%s.json', (domain, lang) => {
  const en = english(domain);
  const messages = read(domain, lang);
  const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  // Categories whole numbers reach (Russian "other" is only for fractions; Spanish "many" only for millions):
  // a translation needs at least these forms, and has no use for more than all of them.
  const integerCategories = new Set(Array.from({ length: 1001 }, (_, n) => new Intl.PluralRules(lang).select(n)));

  it('has no key that English lacks', () => {
    expect(Object.keys(messages).filter((key) => !(key in en))).toEqual([]);
  });
  it('uses the same $N parameters as English', () => {
    const wrong = Object.entries(messages)
      .filter(([key, value]) => key in en && placeholdersOf(value).join() !== placeholdersOf(en[key] ?? '').join())
      .map(([key, value]) => `${key}: ${placeholdersOf(value).join(' ') || 'none'} ≠ English ${placeholdersOf(en[key] ?? '').join(' ') || 'none'}`);
    expect(wrong).toEqual([]);
  });
  it(`has PLURAL forms that fit ${lang} (${[...integerCategories].length}–${categories.length} forms)`, () => {
    const wrong: string[] = [];
    for (const [key, value] of Object.entries(messages)) {
      for (const forms of pluralForms(value)) {
        if (forms.length < integerCategories.size || forms.length > categories.length) wrong.push(`${key}: ${forms.length} forms`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('English PLURAL forms', () => {
  it.each(domains)('%s: every PLURAL has the singular and the plural form', (domain) => {
    for (const [key, value] of Object.entries(english(domain))) {
      for (const forms of pluralForms(value)) expect(forms.length, key).toBe(2);
    }
  });
});

/**
 * Keys used only through a built name (`${prefix}${value}`): each prefix is checked to occur in a template
 * literal, so the list cannot go stale; every key under it counts as used.
 */
const DYNAMIC_KEY_PREFIXES = [
  'kalkan-popup-source-', // Popup: the page model's source (markers | parser | none)
  'kalkan-highlight-category-', // HighlightLayer.categoryKey: detector categories
  'kalkan-highlight-options-sensitivity-', // HighlightSettings: high | medium | low
  'kalkan-pii-type-', // masking: detector finding types
  'kalkan-pii-reason-own-', // masking: the kind of the user's own identifier
  'kalkan-masking-dialog-field-', // masking: which edit field
  'kalkan-options-own-kind-', // OwnIdentifiersSettings: identifier kinds
  'kalkan-report-harm-', // reporting: harm categories
  'kalkan-report-emergency-', // reporting: emergency types
  'kalkan-destinations-problem-', // DestinationsSettings: destination kinds
];
/** Phone reasons get "-cue" appended to their static key (utils/masking/detect-phone.ts). */
const SUFFIXED_KEYS = [/^kalkan-pii-reason-phone-[a-z]+-cue$/];
/** Not shown by code: documents the product name for translators (other messages spell it as is). */
const DOCUMENTATION_KEYS = ['kalkan-name'];

function sourceText(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (path !== root) walk(path);
      } else if (/\.(ts|tsx)$/.test(name)) files.push(path);
    }
  };
  for (const dir of ['entrypoints', 'components', 'utils']) walk(join(repo, dir));
  return files.map((file) => readFileSync(file, 'utf8')).join('\n');
}

describe('every message is used', () => {
  const source = sourceText();
  it.each(DYNAMIC_KEY_PREFIXES)('the dynamic prefix %s is built somewhere', (prefix) => {
    expect(source).toContain(`\`${prefix}\${`);
  });
  it.each(domains)('%s: no English key is unused', (domain) => {
    const unused = Object.keys(english(domain)).filter((key) =>
      !source.includes(key)
      && !DYNAMIC_KEY_PREFIXES.some((prefix) => key.startsWith(prefix))
      && !SUFFIXED_KEYS.some((pattern) => pattern.test(key) && source.includes(key.replace(/-cue$/, '')))
      && !DOCUMENTATION_KEYS.includes(key));
    expect(unused).toEqual([]);
  });
});

/** Manifest strings: public/_locales/<chrome locale>/messages.json (pt → pt_BR, zh-hans → zh_CN). */
function manifestMessages(locale: string): Record<string, { message: string; description?: string }> {
  return JSON.parse(readFileSync(join(localesRoot, locale, 'messages.json'), 'utf8')) as Record<string, { message: string; description?: string }>;
}

describe('manifest strings', () => {
  const en = manifestMessages('en');
  it.each(languages)('%s has a _locales folder', (lang) => {
    expect(existsSync(join(localesRoot, chromeLocaleOf(lang), 'messages.json'))).toBe(true);
  });
  it.each(readdirSync(localesRoot))('%s: only keys English has, each a non-empty message with English\'s placeholders', (locale) => {
    for (const [key, entry] of Object.entries(manifestMessages(locale))) {
      expect(en[key], `${locale}: ${key}`).toBeDefined();
      expect(entry.message.trim().length, `${locale}: ${key}`).toBeGreaterThan(0);
      expect(placeholdersOf(entry.message, /\$[A-Za-z0-9_]+\$/g)).toEqual(placeholdersOf(en[key]?.message ?? '', /\$[A-Za-z0-9_]+\$/g));
    }
  });
  it('the extension name fits Chrome\'s 75-character limit in every locale', () => {
    for (const locale of readdirSync(localesRoot)) expect([...manifestMessages(locale).extName?.message ?? ''].length, locale).toBeLessThanOrEqual(75);
  });
});

/**
 * Completeness: every shipped language has every key. Expected to fail while translations are being written
 * (the missing keys are listed); do not weaken it — a missing key shows English in the middle of another language.
 */
describe('completeness', () => {
  it.each(translations)('%s has every message', (lang) => {
    const missing = domains.flatMap((domain) => {
      const file = join(root, domain, `${lang}.json`);
      const messages = existsSync(file) ? read(domain, lang) : {};
      return Object.keys(english(domain)).filter((key) => !(key in messages)).map((key) => `${domain}: ${key}`);
    });
    expect(missing).toEqual([]);
  });
  it.each(translations)('%s has every manifest string', (lang) => {
    const locale = chromeLocaleOf(lang);
    const messages = existsSync(join(localesRoot, locale, 'messages.json')) ? manifestMessages(locale) : {};
    expect(Object.keys(manifestMessages('en')).filter((key) => !(key in messages))).toEqual([]);
  });
});
