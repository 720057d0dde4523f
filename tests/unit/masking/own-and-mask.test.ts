import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, maskText, PLACEHOLDER_KEYS } from '../../../utils/masking/mask.ts';
import {
  buildOwnIdentifierIndex, createOwnIdentifiers, findOwnIdentifiers, StoredOwnIdentifiersSchema,
} from '../../../utils/masking/own-identifiers.ts';
import { rescanChangedSync, scanText, scanTextSync } from '../../../utils/masking/scan.ts';
import type { Finding, PiiType } from '../../../utils/masking/schema.ts';

const SALT = 'AAECAwQFBgcICQoLDA0ODw==';
const LIST = [
  { kind: 'name' as const, value: 'Айгүл Асанова' },
  { kind: 'nickname' as const, value: 'Aigul_K' },
  { kind: 'city' as const, value: 'Bishkek' },
  { kind: 'employer' as const, value: 'Kyrgyz Telecom' },
  { kind: 'phone' as const, value: '+996 555 123 456' },
  { kind: 'email' as const, value: 'Aigul@Example.KG' },
];

describe('own identifiers', () => {
  it('stores only hashes, in the documented schema', async () => {
    const stored = await createOwnIdentifiers(LIST, { regions: ['KG'], salt: SALT });
    expect(StoredOwnIdentifiersSchema.parse(stored)).toEqual(stored);
    const json = JSON.stringify(stored);
    for (const { value } of LIST) expect(json.toLowerCase()).not.toContain(value.toLowerCase().split(' ')[0]);
    expect(stored.entries.map((e) => e.tokens)).toEqual([2, 2, 1, 2, 1, 1]);
  });

  it('finds every inflection-free occurrence and nothing else', async () => {
    const index = buildOwnIdentifierIndex(await createOwnIdentifiers(LIST, { regions: ['KG'], salt: SALT }));
    const text = 'АЙГҮЛ АСАНОВА wrote; айгүл\u00a0асанова again; Айгүл alone; Асанова alone; aigul k; ' +
      'from BISHKEK, works at kyrgyz  telecom; call 0555 123 456 or +996555123456; aigul@example.kg; ' +
      'Aigul_K said; Bishkekte; Айгүлдүн китеби';
    const { findings } = await findOwnIdentifiers(text, index, { regions: ['KG'] });
    const got = findings.map((f) => `${f.type}:${f.text}`).sort();
    expect(got).toEqual([
      'ADDRESS:BISHKEK', 'ADDRESS:kyrgyz  telecom', 'EMAIL:aigul@example.kg',
      'PERSON:Aigul_K', 'PERSON:aigul k', 'PERSON:АЙГҮЛ АСАНОВА', 'PERSON:айгүл\u00a0асанова',
      'PHONE:+996555123456', 'PHONE:0555 123 456',
    ].sort());
  });

  it('normalises diacritics and Arabic-script letter forms', async () => {
    const stored = await createOwnIdentifiers(
      [{ kind: 'name', value: 'José Müller' }, { kind: 'name', value: 'علي كريمي' }], { regions: [], salt: SALT });
    const index = buildOwnIdentifierIndex(stored);
    const { findings } = await findOwnIdentifiers('jose muller and JOSÉ MÜLLER, علی کریمی', index, { regions: [] });
    expect(findings.map((f) => f.text)).toEqual(['jose muller', 'JOSÉ MÜLLER', 'علی کریمی']);
  });

  it('the salt matters: another salt matches nothing', async () => {
    const a = await createOwnIdentifiers(LIST, { regions: ['KG'], salt: SALT });
    const b = await createOwnIdentifiers(LIST, { regions: ['KG'], salt: 'ZmZmZmZmZmZmZmZmZmZmZg==' });
    expect(a.entries.map((e) => e.hash)).not.toEqual(b.entries.map((e) => e.hash));
    const wrong = buildOwnIdentifierIndex({ salt: 'ZmZmZmZmZmZmZmZmZmZmZg==', entries: a.entries });
    const { findings } = await findOwnIdentifiers('Айгүл Асанова, Bishkek', wrong, { regions: ['KG'] });
    expect(findings).toEqual([]);
  });

  it('rejects bad stored data and bad input with actionable messages', async () => {
    expect(() => buildOwnIdentifierIndex({ salt: 'x', entries: [] })).toThrow();
    await expect(createOwnIdentifiers([{ kind: 'phone', value: 'abc' }], { regions: [] })).rejects.toThrow(/phone/);
    await expect(createOwnIdentifiers([{ kind: 'name', value: '!!!' }], { regions: [] })).rejects.toThrow(/letters/);
  });

  it('scanText merges own identifiers with pattern findings', async () => {
    const own = buildOwnIdentifierIndex(await createOwnIdentifiers(LIST, { regions: ['KG'], salt: SALT }));
    const { findings } = await scanText('I am Aigul_K from Bishkek, IP 10.1.2.3', { lang: 'en', regions: ['KG'], own });
    expect(findings.map((f) => f.type)).toEqual(['PERSON', 'ADDRESS', 'IP']);
  });
});

const placeholder = (t: PiiType): string => `[${PLACEHOLDER_KEYS[t]}]`;
const finding = (type: PiiType, start: number, end: number, confidence: number, text: string): Finding => ({
  type, start, end, confidence, reason: { key: 'kalkan-pii-reason-test', params: [] }, text: text.slice(start, end),
});

describe('maskText', () => {
  it('replaces findings, returns edits from the end, and the edits reproduce the output', () => {
    const text = 'call 0555 123 456 or mail a@b.kg now';
    const { findings } = scanTextSync(text, { lang: 'en', regions: ['KG'] });
    const masked = maskText(text, findings, placeholder);
    expect(masked.text).toBe('call [kalkan-mask-phone] or mail [kalkan-mask-email] now');
    expect(masked.edits.map((e) => e.start)).toEqual([26, 5]);
    expect(applyEdits(text, masked.edits)).toBe(masked.text);
    expect(masked.edits[1]?.original).toBe('0555 123 456');
  });

  it('merges overlapping findings; the most confident type names the placeholder', () => {
    const text = 'abcdefghij';
    const out = maskText(text, [finding('PHONE', 1, 5, 0.6, text), finding('EMAIL', 3, 8, 0.9, text),
      finding('IP', 8, 9, 0.9, text)], placeholder);
    expect(out.text).toBe('a[kalkan-mask-email][kalkan-mask-ip]j');
    expect(out.edits).toHaveLength(2);
  });

  it('is idempotent: masking the masked text again changes nothing', () => {
    const text = 'Меня зовут Иван Петров, тел. 8 (912) 345-67-89, ул. Ленина, д. 5';
    const once = maskText(text, scanTextSync(text, { lang: 'ru', regions: ['RU'] }).findings, placeholder).text;
    const twice = maskText(once, scanTextSync(once, { lang: 'ru', regions: ['RU'] }).findings, placeholder).text;
    expect(twice).toBe(once);
  });

  it('refuses findings from another version of the text', () => {
    expect(() => maskText('short', [finding('PHONE', 2, 50, 0.9, 'x'.repeat(60))], placeholder)).toThrow(/Scan the text again/);
  });
});

describe('incremental rescan', () => {
  it('gives the same findings as a full scan after an edit', () => {
    const opts = { lang: 'en', regions: ['US'] };
    const filler = 'Lorem ipsum dolor sit amet, the source says so. '.repeat(40);
    const prev = `${filler}call me at (206) 555-0123 ${filler}mail x@y.org ${filler}`;
    const prevFindings = scanTextSync(prev, opts).findings;
    for (const [at, insert] of [[filler.length + 25, '4'], [10, 'IP 10.0.0.7 '], [prev.length, ' my phone 212 555 0199']] as const) {
      const next = prev.slice(0, at) + insert + prev.slice(at);
      const inc = rescanChangedSync(prev, prevFindings, next, opts).findings;
      expect(inc.map((f) => [f.type, f.start, f.end])).toEqual(scanTextSync(next, opts).findings.map((f) => [f.type, f.start, f.end]));
    }
  });
});

describe('properties (fast-check)', () => {
  const alphabet = fc.constantFrom(...'0123456789 +-().@:/aZяЖ\u00a0\u200e٣۴@#\n.,'.split(''), 'ул.', 'phone ', 'born ',
    'my name is ', 'Street', 'telegram ', '°', 'x@y.kg');
  const textArb = fc.array(alphabet, { maxLength: 120 }).map((a) => a.join(''));

  it('never throws, stays fast, returns valid non-overlapping spans', () => {
    // The first scan compiles the per-language cue patterns and loads phone metadata; time only warm scans.
    scanTextSync('warm up: my phone 0555 123 456, ул. Ленина 5', { lang: 'ky', regions: ['KG'] });
    fc.assert(fc.property(textArb, (text) => {
      const t0 = performance.now();
      const { findings } = scanTextSync(text, { lang: 'ky', regions: ['KG'] });
      expect(performance.now() - t0).toBeLessThan(200);
      let last = -1;
      for (const f of findings) {
        expect(f.start).toBeGreaterThanOrEqual(0);
        expect(f.end).toBeLessThanOrEqual(text.length);
        expect(f.start).toBeGreaterThanOrEqual(last);
        expect(text.slice(f.start, f.end)).toBe(f.text);
        last = f.end;
      }
    }), { numRuns: 300 });
  });

  it('masked output contains none of the masked substrings at their places', () => {
    fc.assert(fc.property(textArb, (text) => {
      const { findings } = scanTextSync(text, { lang: 'en', regions: ['US'] });
      const out = maskText(text, findings, () => '\u0000');
      expect(out.text.split('\u0000').length - 1).toBe(out.edits.length);
      for (const e of out.edits) expect(e.original).toBe(text.slice(e.start, e.end));
      const rescanned = scanTextSync(out.text, { lang: 'en', regions: ['US'] }).findings;
      for (const f of rescanned) expect(f.text.includes('\u0000')).toBe(false);
    }), { numRuns: 200 });
  });
});
