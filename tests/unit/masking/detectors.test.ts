import { describe, expect, it } from 'vitest';
import { scanTextSync } from '../../../utils/masking/scan.ts';
import type { PiiType } from '../../../utils/masking/schema.ts';

/** Tables of must-match (type + exact substring) and must-not-match cases, per type and language. */
interface Case { lang: string; text: string; type: PiiType; want: string; regions?: string[] }
interface Negative { lang: string; text: string; type: PiiType; why: string }

const scan = (lang: string, text: string, regions: string[] = ['KG', 'RU']) => scanTextSync(text, { lang, regions }).findings;

const MUST_MATCH: Case[] = [
  // EMAIL
  { lang: 'en', text: 'mail me at ivan.petrov@gmail.com please', type: 'EMAIL', want: 'ivan.petrov@gmail.com' },
  { lang: 'ru', text: 'пишите: иван@почта.рф', type: 'EMAIL', want: 'иван@почта.рф' },
  { lang: 'ru', text: 'почта ivаn@mail.ru (with a Cyrillic а)', type: 'EMAIL', want: 'ivаn@mail.ru' },
  { lang: 'en', text: 'ivan [at] mail [dot] ru', type: 'EMAIL', want: 'ivan [at] mail [dot] ru' },
  // PHONE
  { lang: 'ky', text: 'Менин телефонум 0555 123 456, чалыңыз', type: 'PHONE', want: '0555 123 456' },
  { lang: 'ky', text: 'номерим +996 555 123 456', type: 'PHONE', want: '+996 555 123 456' },
  { lang: 'ru', text: 'звоните 8 (912) 345-67-89 вечером', type: 'PHONE', want: '8 (912) 345-67-89' },
  { lang: 'en', text: 'call me at (206) 555-0123.', type: 'PHONE', want: '(206) 555-0123', regions: ['US'] },
  { lang: 'en', text: 'my mobile is 07700 900123', type: 'PHONE', want: '07700 900123', regions: ['GB'] },
  { lang: 'de', text: 'Handy: 0151 23456789', type: 'PHONE', want: '0151 23456789', regions: ['DE'] },
  { lang: 'es', text: 'mi teléfono es 612 345 678', type: 'PHONE', want: '612 345 678', regions: ['ES'] },
  { lang: 'es', text: 'llamame al 011 4321-5678', type: 'PHONE', want: '011 4321-5678', regions: ['AR'] },
  { lang: 'ky', text: 'тел:\u00a00555\u00a0123\u00a0456', type: 'PHONE', want: '0555\u00a0123\u00a0456' },
  { lang: 'ar', text: 'هاتفي \u200e+966 50 123 4567\u200e', type: 'PHONE', want: '+966 50 123 4567' },
  { lang: 'ar', text: 'رقمي ٠٥٥٥ ١٢٣ ٤٥٦', type: 'PHONE', want: '٠٥٥٥ ١٢٣ ٤٥٦' },
  { lang: 'fa', text: 'شماره من ۰۵۵۵ ۱۲۳ ۴۵۶ است', type: 'PHONE', want: '۰۵۵۵ ۱۲۳ ۴۵۶' },
  // IP
  { lang: 'en', text: 'edited from 192.168.10.20 yesterday', type: 'IP', want: '192.168.10.20' },
  { lang: 'en', text: 'see Special:Contributions/2001:db8::1', type: 'IP', want: '2001:db8::1' },
  { lang: 'en', text: 'addr 6e40:4041:c617:e898:c11:40d2:c669:2eb4.', type: 'IP', want: '6e40:4041:c617:e898:c11:40d2:c669:2eb4' },
  // URL / HANDLE
  { lang: 'en', text: 'my profile: https://t.me/alice_b.', type: 'URL', want: 'https://t.me/alice_b' },
  { lang: 'ru', text: 'страница vk.com/id12345', type: 'URL', want: 'vk.com/id12345' },
  { lang: 'en', text: 'toot me @alice@mastodon.social', type: 'HANDLE', want: '@alice@mastodon.social' },
  { lang: 'ru', text: 'пишите в телегу @ivan_petrov', type: 'HANDLE', want: '@ivan_petrov' },
  { lang: 'en', text: 'Instagram: alice.b_1990', type: 'HANDLE', want: 'alice.b_1990' },
  { lang: 'en', text: 'my blog is https://example.org/~alice', type: 'URL', want: 'https://example.org/~alice' },
  // ADDRESS
  { lang: 'ru', text: 'Мой адрес: ул. Ленина, д. 5, кв. 12.', type: 'ADDRESS', want: 'ул. Ленина, д. 5, кв. 12' },
  { lang: 'ky', text: 'Чүй көчөсү 123 жашайм', type: 'ADDRESS', want: 'Чүй көчөсү 123' },
  { lang: 'en', text: 'I live at 221B Baker Street.', type: 'ADDRESS', want: '221B Baker Street' },
  { lang: 'es', text: 'vivo en Calle Mayor 5, Madrid', type: 'ADDRESS', want: 'Calle Mayor 5' },
  { lang: 'fr', text: "j'habite 12 rue de la Paix", type: 'ADDRESS', want: '12 rue de la Paix' },
  { lang: 'de', text: 'Ich wohne in der Hauptstraße 5', type: 'ADDRESS', want: 'Hauptstraße 5' },
  { lang: 'ar', text: 'أسكن في شارع الملك فهد 12', type: 'ADDRESS', want: 'شارع الملك فهد 12' },
  { lang: 'en', text: 'my zip code is 76400', type: 'ADDRESS', want: '76400' },
  // DATE_OF_BIRTH
  { lang: 'en', text: 'I was born on June 27, 2000.', type: 'DATE_OF_BIRTH', want: 'June 27, 2000' },
  { lang: 'ru', text: 'родился 12 марта 1995 года', type: 'DATE_OF_BIRTH', want: '12 марта 1995' },
  { lang: 'ky', text: 'Мен 12.05.1995 туулгам', type: 'DATE_OF_BIRTH', want: '12.05.1995' },
  { lang: 'es', text: 'Nací el 3 de mayo de 1990', type: 'DATE_OF_BIRTH', want: '3 de mayo de 1990' },
  { lang: 'en', text: 'DOB: 1990-05-03', type: 'DATE_OF_BIRTH', want: '1990-05-03' },
  // COORDINATES
  { lang: 'en', text: 'I live at 42.8746° N, 74.5698° E', type: 'COORDINATES', want: '42.8746° N, 74.5698° E' },
  { lang: 'ru', text: 'координаты 42.8746, 74.5698', type: 'COORDINATES', want: '42.8746, 74.5698' },
  { lang: 'en', text: 'at 42°52′N 74°36′E', type: 'COORDINATES', want: '42°52′N 74°36′E' },
  // PERSON (stated)
  { lang: 'en', text: 'Hi, my name is John Smith.', type: 'PERSON', want: 'John Smith' },
  { lang: 'ru', text: 'Меня зовут Иван Петров.', type: 'PERSON', want: 'Иван Петров' },
  { lang: 'ky', text: 'Менин атым Айгүл.', type: 'PERSON', want: 'Айгүл' },
  { lang: 'uk', text: 'Мене звати Олена', type: 'PERSON', want: 'Олена' },
  { lang: 'ar', text: 'اسمي أحمد، وأنا هنا', type: 'PERSON', want: 'أحمد' },
  { lang: 'tr', text: 'Benim adım Ayşe Yılmaz', type: 'PERSON', want: 'Ayşe Yılmaz' },
];

const MUST_NOT_MATCH: Negative[] = [
  { lang: 'en', text: 'logo@2x.png in the gallery', type: 'EMAIL', why: 'file name' },
  { lang: 'en', text: 'user@localhost', type: 'EMAIL', why: 'no TLD' },
  { lang: 'en', text: 'Fixed in 12:34, 15 January 2023 (UTC)', type: 'PHONE', why: 'signature timestamp' },
  { lang: 'en', text: 'Date: 1978-04-13 12:20:39', type: 'PHONE', why: 'date and time' },
  { lang: 'en', text: 'see ISBN 978-5-17-090345-1, p. 45', type: 'PHONE', why: 'ISBN' },
  { lang: 'en', text: '[[Special:Diff/1187654321]] and oldid=123456789', type: 'PHONE', why: 'revision ids' },
  { lang: 'en', text: 'revision 1187654321 broke it', type: 'PHONE', why: 'revision id with cue' },
  { lang: 'en', text: 'during 1941–1945 and 1990-2000', type: 'PHONE', why: 'year ranges' },
  { lang: 'en', text: 'timestamp 20230115123456', type: 'PHONE', why: 'MediaWiki timestamp' },
  { lang: 'ru', text: 'население 1 234 567 человек', type: 'PHONE', why: 'thousands grouping' },
  { lang: 'en', text: 'my credit card number is 4737003012136647', type: 'PHONE', why: 'card number' },
  { lang: 'en', text: 'my driver license number is 2270-66-1551', type: 'PHONE', why: 'licence number' },
  { lang: 'en', text: 'SSN 123-45-6789', type: 'PHONE', why: 'SSN shape' },
  { lang: 'en', text: 'pi is 3.14159265', type: 'PHONE', why: 'decimal' },
  { lang: 'ky', text: 'тел 0555 12З 456', type: 'PHONE', why: 'Cyrillic З in place of 3 is not a digit; the rest is too short' },
  { lang: 'en', text: 'upgrade to version 4.19.0.12 now', type: 'IP', why: 'version number' },
  { lang: 'en', text: 'v1.2.3.4 released', type: 'IP', why: 'version tag' },
  { lang: 'en', text: 'octets 256.1.1.1 and 01.02.03.04', type: 'IP', why: 'invalid octets' },
  { lang: 'en', text: 'at 12:34:56 the MAC 00:1A:2B:3C:4D:5E', type: 'IP', why: 'time and MAC' },
  { lang: 'en', text: 'IP 192.168.1.2.5', type: 'IP', why: 'five parts' },
  { lang: 'ru', text: 'адрес 192.168.о.1 (Cyrillic о)', type: 'IP', why: 'lookalike letter' },
  { lang: 'en', text: 'thanks @Example for the ping', type: 'HANDLE', why: 'bare @name without platform cue' },
  { lang: 'ru', text: 'ВКонтакте — крупнейшая сеть', type: 'HANDLE', why: 'copula dash in news text' },
  { lang: 'en', text: 'see https://en.wikipedia.org/wiki/Foo for sources', type: 'URL', why: 'ordinary source link' },
  { lang: 'en', text: 'the home page https://vk.com/ is down', type: 'URL', why: 'site root, no profile' },
  { lang: 'en', text: 'Baker Street is famous', type: 'ADDRESS', why: 'no house number' },
  { lang: 'ru', text: 'улица Ленина названа в честь', type: 'ADDRESS', why: 'no house number' },
  { lang: 'en', text: 'The treaty was signed on June 27, 2000.', type: 'DATE_OF_BIRTH', why: 'date without birth cue' },
  { lang: 'en', text: 'values 3.14159, 2.71828 are constants', type: 'COORDINATES', why: 'bare decimal pair without cue' },
  { lang: 'en', text: 'my name is not important', type: 'PERSON', why: 'lower-case words' },
  { lang: 'en', text: 'John Smith reverted the edit', type: 'PERSON', why: 'no general name recognition' },
];

describe('detectors: must match', () => {
  it.each(MUST_MATCH)('$type in $lang: $want', ({ lang, text, type, want, regions }) => {
    const found = scan(lang, text, regions);
    const hit = found.find((f) => f.type === type);
    expect(hit, JSON.stringify(found)).toBeDefined();
    expect(hit?.text).toBe(want);
    expect(text.slice(hit?.start ?? 0, hit?.end ?? 0)).toBe(want);
  });
});

describe('detectors: must not match', () => {
  it.each(MUST_NOT_MATCH)('no $type in $lang ($why)', ({ lang, text, type }) => {
    const found = scan(lang, text, ['US', 'KG']);
    expect(found.filter((f) => f.type === type)).toEqual([]);
  });
});

describe('finding shape', () => {
  it('reports UTF-16 offsets, end exclusive, a reason key and no English prose', () => {
    const text = '😀 mail: a.b@example.kg';
    const [f] = scan('en', text);
    expect(f?.start).toBe(9);
    expect(f?.end).toBe(text.length);
    expect(f?.reason.key).toMatch(/^kalkan-pii-reason-/);
    expect(f?.confidence).toBeGreaterThan(0.5);
  });
  it('a nearby cue raises phone confidence', () => {
    const plain = scan('en', 'ref 467 3395 here', ['US']).find((f) => f.type === 'PHONE');
    const cued = scan('en', 'call me on 467 3395', ['US']).find((f) => f.type === 'PHONE');
    expect(plain).toBeUndefined();
    expect(cued?.text).toBe('467 3395');
  });
});
