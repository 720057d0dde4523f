import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData } from '../../support/shared-data';
import {
  createTimestampMatcher, parseCanonicalTimestampString, parseTimestampString, parseTimestampStringPlainly, timestampString,
  wallTimeToUtc,
} from '../../../utils/page-model/timestamp';
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

describe('parseTimestampString reads ids digit by digit with the same result as the regexp and Date.parse', () => {
  /** The plain reading: the quick path must agree with it on every input. */
  const reference = parseTimestampStringPlainly;
  it.each([
    ['2019-06-21T10:08:00.000Z', Date.UTC(2019, 5, 21, 10, 8)],
    ['2019-06-21T10:08:00Z', Date.UTC(2019, 5, 21, 10, 8)],
    ['20230113092500', Date.UTC(2023, 0, 13, 9, 25)],
    ['2019-02-30T00:00:00.000Z', Date.UTC(2019, 2, 2)],
    ['2019-01-01T24:00:00Z', Date.UTC(2019, 0, 2)],
    ['0099-01-01T00:00:00Z', Date.parse('0099-01-01T00:00:00Z')],
  ])('%s', (text, want) => {
    expect(parseTimestampString(text)).toBe(want);
  });
  it.each(['2019-13-01T00:00:00Z', '2019-01-32T00:00:00Z', '2019-01-01T24:01:00Z', '2019-01-01T23:60:00Z',
    '2019-06-21T10:08:00.000', '2019-06-21 10:08:00Z', '2019-06-21T10:08:00.00Z', '2019062110080', '2019O621100800', ''])(
    '%s is no timestamp', (text) => {
      expect(parseTimestampString(text)).toBeNull();
    });
  it('agrees with the plain reading on 20,000 random strings of both shapes', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = (chars: string) => chars[Math.floor(next() * chars.length)] as string;
    const digit = () => (next() < 0.97 ? pick('0123456789') : pick('-:TZ.xO٣'));
    const field = (n: number, hi: string) => pick(hi) + Array.from({ length: n - 1 }, digit).join('');
    const differing: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const iso = `${field(4, '0012')}-${field(2, '01')}-${field(2, '0123')}T${field(2, '012')}:${field(2, '0123456')}:${field(2, '0123456')}`;
      const text = i % 3 === 0 ? iso.replace(/[-:T]/g, '') : i % 3 === 1 ? `${iso}.${field(3, '0123456789')}Z` : `${iso}Z`;
      if (parseTimestampString(text) !== reference(text)) differing.push(text);
    }
    expect(differing).toEqual([]);
  });
});

describe('timestamp strings as timestampString writes them', () => {
  it.each([
    ['2019-06-21T10:08:00.000Z', Date.UTC(2019, 5, 21, 10, 8)],
    ['2022-07-11T23:59:59.999Z', Date.UTC(2022, 6, 12) - 1],
    ['20220712000000', Date.UTC(2022, 6, 12)],
    ['20240229120000', Date.UTC(2024, 1, 29, 12)],
    ['2000-02-29T00:00:00.000Z', Date.UTC(2000, 1, 29)],
  ])('%s is written so', (text, want) => {
    expect(parseCanonicalTimestampString(text)).toBe(want);
    expect(timestampString(want)).toBe(text);
  });
  it.each([
    '2019-06-21T10:08:00Z', // ISO without milliseconds
    '20190621100800', // compact before the switch
    '2023-01-13T09:25:00.000Z', // ISO after it
    '20230229120000', '1900-02-29T00:00:00.000Z', '2019-04-31T00:00:00.000Z', // days past the month's end
    '20230101240000', '20230101236000', '20231301000000', '0099-01-01T00:00:00.000Z', '2019-06-21T10:08:00.000', '',
  ])('%s is not', (text) => {
    expect(parseCanonicalTimestampString(text)).toBeNull();
  });
  it('is null exactly where writing the time read back gives other text (20,000 random strings)', () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = (chars: string) => chars[Math.floor(next() * chars.length)] as string;
    const digit = () => (next() < 0.98 ? pick('0123456789') : pick('-:TZ.x'));
    const field = (n: number, hi: string) => pick(hi) + Array.from({ length: n - 1 }, digit).join('');
    const wrong: string[] = [];
    let canonical = 0;
    for (let i = 0; i < 20_000; i++) {
      const iso = `${pick('12')}${field(3, '09')}-${field(2, '01')}-${field(2, '0123')}T${field(2, '012')}:${field(2, '0123456')}:${field(2, '0123456')}`;
      const text = i % 2 === 0 ? iso.replace(/[-:T]/g, '') : `${iso}.${field(3, '0123456789')}Z`;
      const read = parseCanonicalTimestampString(text);
      const plain = parseTimestampString(text);
      const written = plain === null || !Number.isFinite(plain) ? null : timestampString(plain);
      if (read !== null) canonical++;
      if (read !== null ? read !== plain || written !== text : written === text) wrong.push(text);
    }
    expect(wrong).toEqual([]);
    // The generator must reach both answers often enough for the check to mean something.
    expect(canonical).toBeGreaterThan(2_000);
    expect(canonical).toBeLessThan(18_000);
  });
});
