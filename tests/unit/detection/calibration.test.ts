import { describe, expect, it } from 'vitest';
import { createDetector } from '../../../utils/detection/detector.ts';
import { HASH_BITS } from '../../../utils/detection/features.ts';
import { combinedLogit, loadModel, logit, sigmoid, type LoadedModel } from '../../../utils/detection/model.ts';
import shipped from '../../../utils/detection/model/weights.json';
import {
  MAX_LANGUAGE_THRESHOLD, MIN_LANGUAGE_THRESHOLD, RULE_GAIN_GRID, chooseCalibration, chooseThreshold, naiveBayesRatios,
  predict, trainLogistic, type Featurized,
} from '../../../utils/detection/training.ts';

describe('chooseThreshold', () => {
  it('cuts between two separable classes', () => {
    const t = chooseThreshold([0.2, 0.3, 0.35, 0.6, 0.7, 0.8], [0, 0, 0, 1, 1, 1]);
    expect(t).toBeGreaterThan(0.35);
    expect(t).toBeLessThan(0.6);
  });

  // Three toxic rows at 0.7; five toxic and six non-toxic rows share 0.3; five non-toxic rows at 0.1.
  const scores = [0.7, 0.7, 0.7, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.1, 0.1, 0.1, 0.1, 0.1];
  const labels = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  it('F1 with a precision floor keeps precision', () => {
    // Flagging the 0.3 rows: F1 16/22 = 0.73 beats 6/11 = 0.55, but precision is 8/14 = 0.57.
    expect(chooseThreshold(scores, labels, { kind: 'f1', minPrecision: 0 })).toBeLessThanOrEqual(0.3);
    expect(chooseThreshold(scores, labels, { kind: 'f1', minPrecision: 0.6 })).toBeGreaterThan(0.3);
  });

  it('a false-flag budget takes the most recall it allows', () => {
    // Ten non-toxic rows: one at 0.6, the rest low. Toxic rows at 0.9, 0.55 and 0.5.
    const s = [0.9, 0.55, 0.5, 0.6, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
    const y = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const strict = chooseThreshold(s, y, { kind: 'fpr', maxFalsePositiveRate: 0 });
    expect(strict).toBeGreaterThan(0.6);
    const loose = chooseThreshold(s, y, { kind: 'fpr', maxFalsePositiveRate: 0.1 });
    expect(loose).toBeLessThanOrEqual(0.5);
    expect(loose).toBeGreaterThan(0.1);
  });

  it('stays inside the allowed range', () => {
    const low = chooseThreshold([0.01, 0.02, 0.03, 0.04], [0, 0, 1, 1]);
    expect(low).toBeGreaterThanOrEqual(MIN_LANGUAGE_THRESHOLD);
    const high = chooseThreshold([0.95, 0.96, 0.97, 0.99], [0, 0, 1, 1]);
    expect(high).toBeLessThanOrEqual(MAX_LANGUAGE_THRESHOLD);
  });
});

describe('chooseCalibration', () => {
  it('takes a gain from the grid that lets rule evidence separate what the model cannot', () => {
    // The model says 0.4 for all; only the rules tell toxic (R = 0.6) from not (R = 0).
    const model = [0.4, 0.4, 0.4, 0.4];
    const rules = [0.6, 0.6, 0, 0];
    const c = chooseCalibration(model, rules, [1, 1, 0, 0]);
    expect(RULE_GAIN_GRID).toContain(c.gain);
    expect(sigmoid(combinedLogit(0.4, 0.6, c.gain))).toBeGreaterThanOrEqual(c.threshold);
    expect(sigmoid(combinedLogit(0.4, 0, c.gain))).toBeLessThan(c.threshold);
  });
});

describe('combinedLogit', () => {
  it('moves the language threshold to 0.5', () => {
    expect(combinedLogit(0.3, 0, 2, 0.3)).toBeCloseTo(0, 10);
    expect(combinedLogit(0.31, 0, 2, 0.3)).toBeGreaterThan(0);
    expect(combinedLogit(0.3, 0, 2)).toBeCloseTo(logit(0.3), 10);
  });
});

function row(slots: number[], label: 0 | 1): Featurized {
  return { slots: Int32Array.from(slots), value: 1 / Math.sqrt(slots.length), label };
}

describe('naive-Bayes scaled logistic regression', () => {
  const data: Featurized[] = [
    row([1, 2, 9], 1), row([1, 3, 9], 1), row([1, 9], 1),
    row([4, 5, 9], 0), row([4, 6, 9], 0), row([5, 9], 0), row([6, 9], 0),
  ];

  it('gives features of toxic rows a positive log-count ratio and shared ones about the prior', () => {
    const r = naiveBayesRatios(data, 1);
    expect(r[1]!).toBeGreaterThan(0);
    expect(r[4]!).toBeLessThan(0);
    expect(Math.abs(r[9]!)).toBeLessThan(Math.abs(r[1]!));
    expect(r.length).toBe(1 << HASH_BITS);
  });

  it('counts a feature once per row', () => {
    const once = naiveBayesRatios([row([7], 1), row([8], 0)], 1);
    const twice = naiveBayesRatios([row([7, 7, 7], 1), row([8], 0)], 1);
    expect(twice[7]).toBeCloseTo(once[7]!, 6);
  });

  it('learns a separable toy set and folds the ratios into the weights', () => {
    const m = trainLogistic(data, { epochs: 30, learningRate: 0.2, l2: 0, seed: 1, nbAlpha: 1 });
    expect(predict(m, row([1, 9], 1))).toBeGreaterThan(predict(m, row([4, 9], 0)));
    // Folded: an unused slot keeps weight 0 (0 · ratio), so scoring needs no ratio table.
    expect(m.weights[12345]).toBe(0);
  });
});

function constantModel(probability: number, threshold: Record<string, number>): LoadedModel {
  return {
    weights: new Int8Array(1 << HASH_BITS), scale: 1, bias: logit(probability), languages: new Set(['en', 'ru']),
    ruleGain: new Map(), threshold: new Map(Object.entries(threshold)),
  };
}

describe('per-language thresholds in the detector', () => {
  const text = 'Please add a source for the second paragraph.';
  it('flags at the language threshold, not at 0.5', () => {
    // The model says 0.4 for everything and no rule matches.
    expect(createDetector({ model: constantModel(0.4, {}) }).detect(text, { lang: 'en' }).flagged).toBe(false);
    const lowered = createDetector({ model: constantModel(0.4, { en: 0.35 }) });
    expect(lowered.detect(text, { lang: 'en' }).flagged).toBe(true);
    expect(lowered.detect(text, { lang: 'ru' }).flagged).toBe(false);
    const raised = createDetector({ model: constantModel(0.4, { en: 0.45 }) });
    expect(raised.detect(text, { lang: 'en' }).score).toBeLessThan(0.5);
  });

  it('leaves rules-only languages alone', () => {
    const d = createDetector({ model: constantModel(0.99, { fa: 0.2 }) });
    expect(d.detect('ممنون از ویرایش شما.', { lang: 'fa' }).score).toBe(0);
  });

  it('ships a gain and a threshold for every language with a learned model', () => {
    const m = loadModel(shipped);
    for (const lang of m.languages) {
      expect(RULE_GAIN_GRID).toContain(m.ruleGain?.get(lang));
      const t = m.threshold?.get(lang) ?? Number.NaN;
      expect(t).toBeGreaterThanOrEqual(MIN_LANGUAGE_THRESHOLD);
      expect(t).toBeLessThanOrEqual(MAX_LANGUAGE_THRESHOLD);
    }
  });
});
