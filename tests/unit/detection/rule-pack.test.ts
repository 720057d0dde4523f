import { describe, expect, it } from 'vitest';
import { exportRulePack, importRulePack, validateRulePack, type RulePack } from '../../../utils/detection/rule-pack.ts';
import { BUILTIN_LANGUAGES, builtinPacks } from '../../../utils/detection/rule-packs/index.ts';

const REQUIRED = ['en', 'ru', 'ky', 'uk', 'es', 'it', 'tr', 'fr', 'de', 'pl', 'ar', 'fa'];

const minimal = {
  format: 'kalkan-rule-pack/1', lang: 'xx', name: 'test', source: 'test', license: 'MIT',
  rules: [{ id: 'xx.insult.test', category: 'insult', weight: 0.5, match: ['badword'] }],
};

describe('rule packs', () => {
  it('ships a valid pack for every required language', () => {
    for (const lang of REQUIRED) expect(BUILTIN_LANGUAGES).toContain(lang);
    const packs = builtinPacks();
    for (const lang of REQUIRED) expect(packs.get(lang)?.rules.length ?? 0).toBeGreaterThan(3);
  });

  it('accepts a minimal user pack and fills defaults', () => {
    const r = validateRulePack(minimal);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.pack.rules[0]!.aimable).toBe(false);
  });

  const bad: Array<[string, unknown, string]> = [
    ['wrong format', { ...minimal, format: 'other' }, 'format'],
    ['bad id', { ...minimal, rules: [{ ...minimal.rules[0], id: 'Insult' }] }, 'rules.0.id'],
    ['weight above 1', { ...minimal, rules: [{ ...minimal.rules[0], weight: 2 }] }, 'rules.0.weight'],
    ['unknown category', { ...minimal, rules: [{ ...minimal.rules[0], category: 'rude' }] }, 'rules.0.category'],
    ['only wildcards', { ...minimal, rules: [{ ...minimal.rules[0], match: ['_ _?'] }] }, 'rules.0.match.0'],
    ['bare star', { ...minimal, rules: [{ ...minimal.rules[0], match: ['*'] }] }, 'rules.0.match.0'],
    ['duplicate ids', { ...minimal, rules: [minimal.rules[0], minimal.rules[0]] }, 'rules.1.id'],
  ];
  it.each(bad)('rejects %s with a message naming the field', (_name, data, path) => {
    const r = validateRulePack(data);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.some((e) => e.startsWith(path))).toBe(true);
  });

  it('imports JSON text and round-trips through export', () => {
    const r = importRulePack(JSON.stringify(minimal));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const again = importRulePack(exportRulePack(r.pack));
    expect(again.ok && again.pack).toEqual(r.pack);
  });

  it('explains invalid JSON', () => {
    const r = importRulePack('{not json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/not valid JSON/);
  });

  it('never lists an identity word as a rule word on its own', () => {
    for (const pack of builtinPacks().values()) {
      const identity = new Set(pack.identityTerms.map((t) => t.toLowerCase()));
      for (const rule of pack.rules as RulePack['rules']) {
        for (const m of rule.match) expect(identity.has(m.toLowerCase()), `${rule.id}: "${m}"`).toBe(false);
      }
    }
  });
});
