import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profileFromApi, ProfileError } from '../../../utils/wiki-profile/from-api';
import { WikiProfileSchema } from '../../../utils/wiki-profile/schema';

// Real answers recorded from local MediaWiki 1.39 installs by scripts/wiki/capture-profile-fixtures.ts.
function fixture(name: string) {
  return JSON.parse(readFileSync(new URL(`../../fixtures/wiki-profile/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

function profileOf(name: string) {
  const answers = fixture(name);
  return profileFromApi({
    siteinfo: answers.siteinfo,
    messages: answers.messages,
    timestamp: answers.timestamp,
    timezoneMessages: answers.timezoneMessages,
    wikiId: `http://localhost/${name}`,
    fetchedAt: 1,
  });
}

describe('profileFromApi on recorded MediaWiki answers', () => {
  const cases = [
    { name: 'mw139-en', lang: 'en', dir: 'ltr', format: 'H:i, j F Y', digits: null, tz: 'UTC', user: 'Участник', month: 'January' },
    { name: 'mw139-ru-moscow', lang: 'ru', dir: 'ltr', format: 'H:i, j xg Y', digits: null, tz: 'Europe/Moscow', user: 'Участник', month: 'январь' },
    { name: 'mw139-ar', lang: 'ar', dir: 'rtl', format: 'H:i، j F Y', digits: '٠', tz: 'UTC', user: 'مستخدم', month: 'يناير' },
    { name: 'mw139-de-berlin', lang: 'de', dir: 'ltr', format: 'H:i, j. M Y', digits: null, tz: 'Europe/Berlin', user: 'Benutzer', month: 'Januar' },
    { name: 'mw139-fa', lang: 'fa', dir: 'rtl', format: '\u200fj F Y، ساعت H:i', digits: '۰', tz: 'UTC', user: 'کاربر', month: 'ژانویه' },
  ] as const;

  it.each(cases)('$name: language, direction, date format, digits', (c) => {
    const profile = profileOf(c.name);
    expect(WikiProfileSchema.safeParse(profile).success).toBe(true);
    expect(profile.contentLanguage).toBe(c.lang);
    expect(profile.dir).toBe(c.dir);
    expect(profile.localTimezone).toBe(c.tz);
    const locale = profile.dateLocales[0];
    expect(locale?.dateFormat).toBe(c.format);
    expect(locale?.digits?.[0] ?? null).toBe(c.digits);
    expect(locale?.messages.january).toBe(c.month);
  });

  it.each(cases)('$name: namespaces by local name, canonical name and alias', (c) => {
    const profile = profileOf(c.name);
    expect(profile.namespaceIds.user).toBe(2);
    expect(profile.namespaceIds.user_talk).toBe(3);
    expect(profile.namespaceIds.special).toBe(-1);
    if (c.lang !== 'en') expect(profile.namespaceIds[c.user.toLocaleLowerCase()]).toBe(2);
    expect(profile.specialContributionsNames).toContain('Contributions');
    expect(profile.articlePath).toBe('/wiki/$1');
    expect(profile.scriptPath).toBe('/w');
  });

  it('maps localised time-zone abbreviations to canonical ones, with their daylight-saving partner', () => {
    expect(profileOf('mw139-ar').dateLocales[0]?.timezoneAbbreviations['ت ع م']).toBe('UTC');
    const berlin = profileOf('mw139-de-berlin').dateLocales[0]?.timezoneAbbreviations ?? {};
    expect(Object.values(berlin)).toEqual(expect.arrayContaining(['CET', 'CEST']));
    expect(profileOf('mw139-ru-moscow').dateLocales[0]?.timezoneAbbreviations.MSK).toBe('MSK');
  });

  it.each([
    ['not an object', 'nonsense'],
    ['missing general', { query: { namespaces: {} } }],
  ])('rejects a siteinfo answer that is %s with a clear error', (_label, siteinfo) => {
    const answers = fixture('mw139-en');
    expect(() => profileFromApi({ siteinfo, messages: answers.messages, timestamp: answers.timestamp, wikiId: 'x', fetchedAt: 1 })).toThrow(ProfileError);
  });
});
