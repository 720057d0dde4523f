import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDetector } from '../../../utils/detection/detector';
import { importRulePack, MAX_PACK_TEXT_CHARS, MAX_RULE_PACK_JSON_CHARS, MAX_RULES_PER_PACK, MAX_WORD_LIST_ENTRIES } from '../../../utils/detection/rule-pack';
import { builtinPacks } from '../../../utils/detection/rule-packs/index';
import { hostileText } from './arbitraries';

/**
 * Rule packs are the one detector input that comes from other people as a file (Settings → import). Oversize
 * packs are refused with an error that names the field; polluting keys change nothing; a valid odd pack never
 * makes the detector throw.
 */

/** Runs per property. */
const RUNS = 150;
/** Wall-clock bound for refusing one oversize pack (100,000-entry lists, 1 MB strings, 3 MB files). */
const REFUSAL_BOUND_MS = 5_000;

const minimal = {
  format: 'kalkan-rule-pack/1', lang: 'xx', name: 'test', source: 'test', license: 'MIT',
  rules: [{ id: 'xx.insult.test', category: 'insult', weight: 0.5, match: ['badword'] }],
};
const megabyte = 'x'.repeat(1_000_000);
const many = Array.from({ length: 100_000 }, (_, i) => `w${i}`);

describe('rule-pack import against oversize and hostile files', () => {
  const oversize: [name: string, pack: unknown, field: string][] = [
    ['100,000 identity terms', { ...minimal, identityTerms: many }, 'identityTerms'],
    ['100,000 negations', { ...minimal, negations: many }, 'negations'],
    ['100,000 second-person words', { ...minimal, secondPerson: many }, 'secondPerson'],
    ['100,000 first-person words', { ...minimal, firstPerson: many }, 'firstPerson'],
    ['a 1 MB word', { ...minimal, negations: [megabyte] }, 'negations.0'],
    ['a 1 MB name', { ...minimal, name: megabyte }, 'name'],
    ['a 1 MB licence', { ...minimal, license: megabyte }, 'license'],
    ['a 1 MB note', { ...minimal, rules: [{ ...minimal.rules[0], note: megabyte }] }, 'rules.0.note'],
    // 100,000 rules are ~8 MB of JSON: refused by the file-size check before parsing.
    ['100,000 rules', { ...minimal, rules: Array.from({ length: 100_000 }, (_, i) => ({ ...minimal.rules[0], id: `xx.insult.r${i}` })) }, '(file)'],
    ['MAX_RULES_PER_PACK + 1 rules', { ...minimal, rules: Array.from({ length: MAX_RULES_PER_PACK + 1 }, (_, i) => ({ ...minimal.rules[0], id: `xx.insult.r${i}` })) }, 'rules'],
    ['100,000 patterns in a rule', { ...minimal, rules: [{ ...minimal.rules[0], match: many }] }, 'rules.0.match'],
  ];
  it.each(oversize)('refuses %s with an error naming the field, within time', (_name, pack, field) => {
    const t0 = performance.now();
    const result = importRulePack(JSON.stringify(pack));
    expect(performance.now() - t0).toBeLessThan(REFUSAL_BOUND_MS);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.some((e) => e.startsWith(`${field}: `))).toBe(true);
  });

  it('refuses a file larger than MAX_RULE_PACK_JSON_CHARS before parsing it', () => {
    const result = importRulePack(`${JSON.stringify(minimal).slice(0, -1)},"pad":"${'x'.repeat(MAX_RULE_PACK_JSON_CHARS)}"}`);
    expect(result).toEqual({ ok: false, errors: [expect.stringMatching(/^\(file\): \d+ characters; a rule pack may have at most 2000000\. Split it/)] });
  });

  it('the limits still leave room for every shipped pack', () => {
    for (const pack of builtinPacks().values()) {
      for (const list of [pack.secondPerson, pack.firstPerson, pack.negations, pack.identityTerms]) expect(list.length).toBeLessThanOrEqual(MAX_WORD_LIST_ENTRIES);
      for (const text of [pack.name, pack.source, pack.license]) expect(text.length).toBeLessThanOrEqual(MAX_PACK_TEXT_CHARS);
    }
  });

  it.each(['__proto__', 'constructor', 'prototype'])('"%s" members everywhere in a pack change nothing', (key) => {
    const json = JSON.stringify(minimal).replace(/\{(?=")/g, `{"${key}":{"polluted":"yes","prototype":{"polluted":"yes"}},`);
    const result = importRulePack(json);
    expect(result.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (result.ok) {
      expect(Object.hasOwn(result.pack, key)).toBe(false);
      expect(Object.getPrototypeOf(result.pack)).toBe(Object.prototype);
      expect(Object.hasOwn(result.pack.rules[0] ?? {}, key)).toBe(false);
    }
  });

  it('any pack that validates, with odd-Unicode words, never makes the detector throw', () => {
    const word = hostileText(3).filter((w) => w.trim().length > 0 && w.length <= 40);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), fc.array(word, { maxLength: 5 }), hostileText(), (patterns, negations, text) => {
        const result = importRulePack(JSON.stringify({ ...minimal, lang: 'en', negations, rules: [{ ...minimal.rules[0], id: 'en.insult.fuzz', aimable: true, match: patterns }] }));
        if (!result.ok) return; // refused with reasons: fine
        const detector = createDetector({ extraPacks: [result.pack], model: null });
        const out = detector.detect(`${patterns.join(' ')} ${text}`, { lang: 'en' });
        for (const reason of out.reasons) expect(reason.span[1]).toBeLessThanOrEqual(patterns.join(' ').length + 1 + text.length);
      }),
      { numRuns: RUNS },
    );
  });
});
