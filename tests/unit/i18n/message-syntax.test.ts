import { describe, expect, it } from 'vitest';
import { chromeLocaleOf, placeholdersOf, pluralForms } from './message-syntax';

describe('message syntax helpers (used by messages.test.ts)', () => {
  it.each([
    ['Remove $1', ['$1']],
    ['$2 of $1, again $1', ['$1', '$2']],
    ['no parameters, $ sign alone', []],
    ['{{PLURAL:$3|one|many}} by $1', ['$1', '$3']],
  ])('placeholders of %j', (text, expected) => {
    expect(placeholdersOf(text)).toEqual(expected);
  });

  it.each([
    ['plain text', []],
    ['{{PLURAL:$1|$1 comment|$1 comments}}', [['$1 comment', '$1 comments']]],
    ['{{PLURAL:$1|один|$1 комментария|$1 комментариев}} в {{PLURAL:$2|ветке|ветках}}', [['один', '$1 комментария', '$1 комментариев'], ['ветке', 'ветках']]],
    ['{{PLURAL:$1|0=nothing|one|$1 items}}', [['one', '$1 items']]],
    ['{{PLURAL:$1|[[Link|one]]|{{GENDER:$2|his|her}} $1}}', [['[[Link|one]]', '{{GENDER:$2|his|her}} $1']]],
    ['{{PLURAL:$1|a {{PLURAL:$2|x|y}}|b}}', [['a {{PLURAL:$2|x|y}}', 'b'], ['x', 'y']]],
    ['{{plural:$1|一条}}', [['一条']]],
  ])('PLURAL forms of %j', (text, expected) => {
    expect(pluralForms(text)).toEqual(expected);
  });

  it.each([['en', 'en'], ['pt', 'pt_BR'], ['zh-hans', 'zh_CN'], ['ky', 'ky'], ['es-419', 'es_419']])('%s → _locales/%s', (lang, locale) => {
    expect(chromeLocaleOf(lang)).toBe(locale);
  });
});
