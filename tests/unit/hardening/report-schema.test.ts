import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson, MAX_CANONICAL_DEPTH, verifyEvidence } from '../../../utils/reports/canonical';
import { DestinationsSettingSchema, destinationsFor, type DestinationsSetting } from '../../../utils/reports/destinations';
import { MAX_DESCRIPTION_CHARS, MAX_EVIDENCE_ITEMS, ReportSchema } from '../../../utils/reports/schema';
import { makeReport } from '../reports/fixtures';
import { ODD_UNICODE } from './arbitraries';

/** Runs per property. */
const RUNS = 300;
/** Wall-clock bound for refusing one oversize report (1 MB strings, 100,000-element arrays). */
const OVERSIZE_REFUSAL_BOUND_MS = 5_000;
/** Wall-clock bound for one canonical serialisation of a generated JSON value. */
const CANONICAL_BOUND_MS = 500;

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const PAYLOAD = { polluted: 'yes', toString: 'not a function', hasOwnProperty: 1 };

afterEach(() => {
  // If a test did pollute, clean up so the next tests are not judged on a broken Object.prototype.
  delete (Object.prototype as Record<string, unknown>).polluted;
});

function expectPrototypeClean(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
}

/** Walks a parsed value: only plain objects and arrays, no own polluting keys, nothing inherited but Object's. */
function expectNoSurprises(value: unknown, path = '$'): void {
  if (typeof value !== 'object' || value === null) return;
  const proto: unknown = Object.getPrototypeOf(value);
  expect(proto === Object.prototype || proto === Array.prototype, `${path} has an odd prototype`).toBe(true);
  for (const key of POLLUTING_KEYS) expect(Object.hasOwn(value, key), `${path}.${key}`).toBe(false);
  expect((value as Record<string, unknown>).polluted, `${path}.polluted`).toBeUndefined();
  for (const [key, member] of Object.entries(value)) expectNoSurprises(member, `${path}.${key}`);
}

/** A valid report as JSON text with polluting members spliced into every object (root, nested, array items). */
function pollutedJson(json: string, key: (typeof POLLUTING_KEYS)[number]): string {
  const member = key === 'constructor' ? { prototype: PAYLOAD } : PAYLOAD;
  return json.replace(/\{(?=")/g, `{${JSON.stringify(key)}:${JSON.stringify(member)},`);
}

describe('report schema against prototype pollution', () => {
  it.each(POLLUTING_KEYS)('"%s" in every object of a received report changes nothing', async (key) => {
    const text = pollutedJson(JSON.stringify(await makeReport()), key);
    expect(text.split(`"${key}"`).length - 1).toBeGreaterThanOrEqual(8); // the splice reached all 8 objects
    const raw: unknown = JSON.parse(text);
    const parsed = ReportSchema.safeParse(raw);
    expect(parsed.success).toBe(true);
    expectPrototypeClean();
    expectNoSurprises(parsed.data);
    // Still the same evidence: the hash verifies on the cleaned object.
    for (const item of parsed.data?.evidence ?? []) expect(await verifyEvidence(item)).toEqual({ ok: true });
  });

  it('a polluting key as a record key (settings perWiki) is dropped, and lookups never see inherited members', () => {
    const text = '{"global":[],"perWiki":{"__proto__":[{"kind":"email","id":"x","label":"x","address":"a@b.org"}],"https://x.org/w":[]}}';
    const parsed = DestinationsSettingSchema.parse(JSON.parse(text));
    expectPrototypeClean();
    expectNoSurprises(parsed);
    expect(Object.keys(parsed.perWiki)).toEqual(['https://x.org/w']);
  });

  // Regression (found by this file): destinationsFor read perWiki[wikiId] and DEFAULT_NOTICEBOARDS[wikiId] through
  // the prototype, so a wiki id such as "constructor" spread Object itself and threw "not iterable".
  const setting: DestinationsSetting = { global: [{ kind: 'email', id: 'g', label: 'Global', address: 'team@example.org' }], perWiki: {} };
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('destinationsFor(%s) gives only the global destinations', (wikiId) => {
    expect(destinationsFor(setting, wikiId)).toEqual(setting.global);
  });

  it('arbitrary JSON with polluting keys is refused with a validation error, never a throw or pollution', () => {
    const key = fc.oneof(fc.constantFrom(...POLLUTING_KEYS, 'polluted', 'evidence', 'wiki', 'harm'), fc.string({ maxLength: 8 }));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), tie('object'), fc.array(tie('value'), { maxLength: 4 })),
      object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        const raw: unknown = JSON.parse(JSON.stringify(value)); // through the text form, as a receiver gets it
        const parsed = ReportSchema.safeParse(raw);
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues.length).toBeGreaterThan(0);
        expectPrototypeClean();
      }),
      { numRuns: RUNS },
    );
  });
});

describe('report schema against oversize input', () => {
  const megabyte = 'x'.repeat(1_000_000);
  type Case = [name: string, mutate: (report: Awaited<ReturnType<typeof makeReport>>) => unknown, path: string];
  const cases: Case[] = [
    ['1 MB description', (r) => ({ ...r, description: megabyte }), 'description'],
    ['1 MB snapshot text', (r) => ({ ...r, evidence: [{ ...r.evidence[0], snapshot: { ...r.evidence[0]?.snapshot, text: megabyte } }] }), 'evidence.0.snapshot.text'],
    ['1 MB author name', (r) => ({ ...r, evidence: [{ ...r.evidence[0], author: megabyte }] }), 'evidence.0.author'],
    ['1 MB permalink URL', (r) => ({ ...r, evidence: [{ ...r.evidence[0], permalink: { ...r.evidence[0]?.permalink, url: `https://x.org/${megabyte}` } }] }), 'evidence.0.permalink.url'],
    ['100,000 evidence items', (r) => ({ ...r, evidence: Array.from({ length: 100_000 }, () => r.evidence[0]) }), 'evidence'],
    ['100,000 junk evidence items', (r) => ({ ...r, evidence: Array.from({ length: 100_000 }, (_, i) => i) }), 'evidence'],
  ];
  it.each(cases)('refuses %s with a too_big error naming the field, within time', async (_name, mutate, path) => {
    const input = mutate(await makeReport());
    const t0 = performance.now();
    const parsed = ReportSchema.safeParse(input);
    expect(performance.now() - t0).toBeLessThan(OVERSIZE_REFUSAL_BOUND_MS);
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues.find((i) => i.path.join('.') === path);
    expect(issue?.code).toBe('too_big');
    expect(issue?.message).toMatch(/Too big|at most|<=/i);
  });

  it('the limits named in the error are the documented ones', async () => {
    const report = await makeReport();
    const description = ReportSchema.safeParse({ ...report, description: 'x'.repeat(MAX_DESCRIPTION_CHARS + 1) });
    expect(description.error?.issues[0]?.message).toContain(String(MAX_DESCRIPTION_CHARS));
    const evidence = ReportSchema.safeParse({ ...report, evidence: Array.from({ length: MAX_EVIDENCE_ITEMS + 1 }, () => report.evidence[0]) });
    expect(evidence.error?.issues[0]?.message).toContain(String(MAX_EVIDENCE_ITEMS));
  });
});

describe('canonical JSON on hostile values', () => {
  const oddString = fc.oneof(fc.constantFrom(...ODD_UNICODE), fc.string({ unit: 'binary', maxLength: 12 }));
  const key = fc.oneof(fc.constantFrom(...POLLUTING_KEYS), oddString);
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), oddString,
      fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
  })).node;

  it('never throws except CanonicalJsonError; output is JSON that reads back as the NFC value; same value, same text', () => {
    fc.assert(
      fc.property(value, (input) => {
        const raw: unknown = JSON.parse(JSON.stringify(input)); // own "__proto__" members, as JSON.parse makes them
        let text: string;
        const t0 = performance.now();
        try {
          text = canonicalJson(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(CanonicalJsonError); // only NFC-duplicate keys can get here
          return;
        }
        expect(performance.now() - t0).toBeLessThan(CANONICAL_BOUND_MS);
        expectPrototypeClean();
        const back: unknown = JSON.parse(text);
        expect(canonicalJson(back)).toBe(text); // a fixed point: re-canonicalising changes nothing
        expect(canonicalJson(JSON.parse(JSON.stringify(raw)))).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses nesting past MAX_CANONICAL_DEPTH with CanonicalJsonError (no stack overflow at 100,000 levels)', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(CanonicalJsonError);
    let ok: unknown = 'leaf';
    for (let i = 0; i < MAX_CANONICAL_DEPTH; i++) ok = { a: ok };
    expect(() => canonicalJson(ok)).not.toThrow();
  });

  it('keeps "__proto__" as an ordinary member and does not pollute', () => {
    const raw: unknown = JSON.parse('{"b":1,"__proto__":{"polluted":"yes"},"a":[{"constructor":{"prototype":{"polluted":1}}}]}');
    expect(canonicalJson(raw)).toBe('{"__proto__":{"polluted":"yes"},"a":[{"constructor":{"prototype":{"polluted":1}}}],"b":1}');
    expectPrototypeClean();
  });

  it('lone surrogates are escaped, so the hash input is well-formed UTF-8', () => {
    expect(canonicalJson({ t: '\uD800x\uDFFF' })).toBe('{"t":"\\ud800x\\udfff"}');
  });
});
