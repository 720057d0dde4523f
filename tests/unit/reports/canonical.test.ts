import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError, MAX_CANONICAL_DEPTH, sealEvidence, sha256Hex, verifyEvidence } from '../../../utils/reports/canonical';
import { sealedItem, unsealedItem } from './fixtures';

describe('canonicalJson', () => {
  const cases: [name: string, input: unknown, expected: string][] = [
    ['sorts keys', { b: 1, a: 2 }, '{"a":2,"b":1}'],
    ['sorts nested keys, keeps array order', { z: [{ y: 1, x: 2 }, 3], a: null }, '{"a":null,"z":[{"x":2,"y":1},3]}'],
    ['drops undefined members', { a: undefined, b: true }, '{"b":true}'],
    ['NFC values: decomposed é becomes composed', { t: 'e\u0301' }, '{"t":"\u00e9"}'],
    ['NFC keys', { ['e\u0301']: 1 }, '{"\u00e9":1}'],
    ['sorts by UTF-16 code unit (uppercase before lowercase)', { a: 1, B: 2 }, '{"B":2,"a":1}'],
    ['escapes like JSON', { s: 'line\n"q"' }, '{"s":"line\\n\\"q\\""}'],
    ['no whitespace', [1, 2, { a: [] }], '[1,2,{"a":[]}]'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  it.each([[Number.NaN], [Infinity], [() => 1], [10n]])('refuses %s', (value) => {
    expect(() => canonicalJson({ value })).toThrow(CanonicalJsonError);
  });

  it('refuses keys that collide once normalised', () => {
    expect(() => canonicalJson({ '\u00e9': 1, 'e\u0301': 2 })).toThrow(/twice/);
  });

  it('refuses nesting past the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_CANONICAL_DEPTH + 1; i += 1) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(CanonicalJsonError);
  });

  it('is a fixed point and ignores key order (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalJson(value);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
        const shuffled = JSON.parse(JSON.stringify(value), (_key, member: unknown) =>
          member && typeof member === 'object' && !Array.isArray(member) ? Object.fromEntries(Object.entries(member).reverse()) : member,
        ) as unknown;
        expect(canonicalJson(shuffled)).toBe(once);
      }),
      { numRuns: 200 },
    );
  });

  it('hashes with SHA-256 (known vector)', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('evidence sealing', () => {
  it('verifies an untouched item', async () => {
    expect(await verifyEvidence(await sealedItem())).toEqual({ ok: true });
  });

  it('is independent of key order and Unicode normalisation', async () => {
    const a = await sealEvidence(unsealedItem({ author: 'Ame\u0301lie' }));
    const b = await sealEvidence(unsealedItem({ author: 'Am\u00e9lie' }));
    expect(a.sha256).toBe(b.sha256);
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(await verifyEvidence(reordered)).toEqual({ ok: true });
  });

  const tampers: [string, (item: Awaited<ReturnType<typeof sealedItem>>) => Awaited<ReturnType<typeof sealedItem>>][] = [
    ['snapshot text', (i) => ({ ...i, snapshot: { ...i.snapshot, text: `${i.snapshot.text}!` } })],
    ['snapshot html', (i) => ({ ...i, snapshot: { ...i.snapshot, sanitisedHtml: '<p>nothing</p>' } })],
    ['author', (i) => ({ ...i, author: 'Someone else' })],
    ['timestamp', (i) => ({ ...i, timestamp: '2024-03-05T14:08:00Z' })],
    ['diff', (i) => ({ ...i, origin: null })],
    ['a trailing space', (i) => ({ ...i, pageTitle: `${i.pageTitle} ` })],
  ];
  it.each(tampers)('detects a changed %s', async (_name, tamper) => {
    const verdict = await verifyEvidence(tamper(await sealedItem()));
    expect(verdict.ok).toBe(false);
  });
});
