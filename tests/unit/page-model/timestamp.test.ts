import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData } from '../../support/shared-data';
import { createTimestampMatcher, timestampString, wallTimeToUtc } from '../../../utils/page-model/timestamp';
import { dtProfile, dtTestsDir } from './helpers';

function parse(wiki: string, variant: string, text: string): string | null {
  const profile = dtProfile(wiki);
  const locale = profile.dateLocales.find((l) => l.code === variant);
  if (!locale) throw new Error(`no locale ${variant}`);
  const m = createTimestampMatcher(locale, profile.localTimezone);
  const match = m.regexp.exec(text);
  if (!match) return null;
  const parsed = m.parse(match);
  return parsed ? new Date(parsed.utcMs).toISOString() : 'invalid';
}

describe.skipIf(!hasSharedData)('signature timestamps per language', () => {
  const mustMatch: [string, string, string, string][] = [
    ['enwiki', 'en', 'Foo 23:19, 22 January 2020 (UTC)', '2020-01-22T23:19:00.000Z'],
    ['enwiki', 'en', '23:19, 22\u00A0January 2020 (UTC)', '2020-01-22T23:19:00.000Z'],
    ['plwiki', 'pl', '08:23, 29 wrz 2018 (CEST)', '2018-09-29T06:23:00.000Z'],
    ['plwiki', 'pl', '12:00, 5 sty 2019 (CET)', '2019-01-05T11:00:00.000Z'],
    ['frwiki', 'fr', '5 mars 2006 à 16:54 (CET)', '2006-03-05T15:54:00.000Z'],
    ['arwiki', 'ar', '14:30، 5 مارس 2020 (ت\u00A0ع\u00A0م)', '2020-03-05T14:30:00.000Z'],
    ['arwiki', 'ar', '14:30، 5 مارس 2020 (ت ع م)', '2020-03-05T14:30:00.000Z'],
    ['ckbwiki', 'ckb', '\u200F١٤:٣٠، ٥ی ئازاری ٢٠٢٠ (UTC)', '2020-03-05T14:30:00.000Z'],
    ['srwiki', 'sr-ec', '14:30, 5. март 2020. (CET)', '2020-03-05T13:30:00.000Z'],
    ['srwiki', 'sr-el', '14:30, 5. mart 2020. (CET)', '2020-03-05T13:30:00.000Z'],
    ['huwiki', 'hu', '2023. január 13., 10:25 (CET)', '2023-01-13T09:25:00.000Z'],
    ['nlwiki', 'nl', '5 mrt 2020 14:30 (CET)', '2020-03-05T13:30:00.000Z'],
    ['nlwiki', 'nl', '5 mrt 2020 14:30\u200E (CET)', '2020-03-05T13:30:00.000Z'],
    ['frwiki', 'fr', '31 février 2006 à 16:54 (CET)', 'invalid'],
  ];
  it.each(mustMatch)('%s %s: %s', (wiki, variant, text, iso) => {
    expect(parse(wiki, variant, text)).toBe(iso);
  });

  const mustNotMatch: [string, string, string][] = [
    ['enwiki', 'en', '23:19, 22 January 2020'],
    ['enwiki', 'en', '23:19, 22 Janvier 2020 (UTC)'],
    ['enwiki', 'en', '3:19, 22 January 2020 (UTC)'],
    ['enwiki', 'en', '23:19, 22 January 2020 (CET)'],
    ['plwiki', 'pl', '08:23, 29 września 2018 (CEST)'],
    ['ckbwiki', 'ckb', '14:30، 5ی ئازاری 2020 (UTC)'],
    ['srwiki', 'sr-ec', '14:30, 5. mart 2020. (CET)'],
    ['huwiki', 'hu', '2023. január 13, 10:25 (CET)'],
  ];
  it.each(mustNotMatch)('%s %s does not match: %s', (wiki, variant, text) => {
    expect(parse(wiki, variant, text)).toBeNull();
  });

  it('resolves the autumn DST switch with the zone abbreviation (timestamp-parser-dst.json)', () => {
    const cases = JSON.parse(readFileSync(join(dtTestsDir(), 'cases', 'timestamp-parser-dst.json'), 'utf8')) as
      { sample: string; expectedUtc: string; timezone: string }[];
    for (const c of cases) {
      const m = /^(\d\d):(\d\d), (\d+) \w+ (\d{4}) \((\w+)\)$/.exec(c.sample);
      expect(m).not.toBeNull();
      const [, h, i, d, y, zone] = m as RegExpExecArray;
      const r = wallTimeToUtc({ year: Number(y), month: 9, day: Number(d), hour: Number(h), minute: Number(i) }, c.timezone, zone as string);
      expect(new Date(r?.utcMs ?? 0).toISOString().replace('.000Z', 'Z'), c.sample).toBe(c.expectedUtc);
    }
  });
});

describe('timestamp strings for ids', () => {
  it.each([
    [Date.UTC(2020, 0, 22, 23, 19), '2020-01-22T23:19:00.000Z'],
    [Date.UTC(2022, 6, 11, 23, 59), '2022-07-11T23:59:00.000Z'],
    [Date.UTC(2022, 6, 12, 0, 0), '20220712000000'],
    [Date.UTC(2023, 0, 13, 9, 25), '20230113092500'],
  ])('%d → %s', (ms, text) => {
    expect(timestampString(ms)).toBe(text);
  });
});
