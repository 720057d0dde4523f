import { describe, expect, it } from 'vitest';
import { HASH_BITS } from '../../../utils/detection/features.ts';
import { loadModel, ModelFileSchema } from '../../../utils/detection/model.ts';
import shipped from '../../../utils/detection/model/weights.json';
import { maskMatches } from '../../../utils/detection/rules.ts';
import { quantize, rocAuc } from '../../../utils/detection/training.ts';

describe('shipped model', () => {
  it('parses, has the full hash space and names its languages', () => {
    expect(ModelFileSchema.safeParse(shipped).success).toBe(true);
    const m = loadModel(shipped);
    expect(m.weights.length).toBe(1 << HASH_BITS);
    for (const l of ['en', 'es', 'it', 'tr', 'ru']) expect(m.languages.has(l)).toBe(true);
  });

  it('stays compact', () => {
    expect(JSON.stringify(shipped).length).toBeLessThan(1_500_000);
  });

  it('rejects a broken file with advice', () => {
    expect(() => loadModel({ ...shipped, weights: 'AAAA' })).toThrow(/train-detector/);
    expect(() => loadModel({})).toThrow(/rebuild/);
  });
});

describe('training helpers', () => {
  it('computes ROC-AUC with ties', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBeCloseTo(0.5);
  });
  it('quantises to int8 keeping the largest weight', () => {
    const { bytes, scale } = quantize({ weights: Float32Array.from([0.5, -1, 0.25]), bias: 0 });
    expect([...bytes]).toEqual([64, -127, 32]);
    expect(scale).toBeCloseTo(1 / 127);
  });
});

describe('masked words', () => {
  const match: Array<[string, string, boolean]> = [
    ['f*ck', 'fuck', false], ['id*t', 'idiot', false], ['f*cking', 'fuck', true], ['b*tch', 'bitch', false],
  ];
  const noMatch: Array<[string, string, boolean]> = [
    ['f*ck', 'fag', true], ['f*ck', 'folk', false], ['id*t', 'idiotic', false],
  ];
  it.each(match)('%s spells %s', (t, w, stem) => { expect(maskMatches(t, w, stem)).toBe(true); });
  it.each(noMatch)('%s does not spell %s', (t, w, stem) => { expect(maskMatches(t, w, stem)).toBe(false); });
});
