import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../../utils/i18n';
import { cachedTranslator } from '../../../utils/i18n/cached-translator';

describe('cachedTranslator: the layer translates each message once', () => {
  it('gives the translator\'s own answers, asking it once per key and parameters', () => {
    const calls: string[] = [];
    const real = createTranslator('en');
    const t = cachedTranslator((key, ...params) => {
      calls.push(JSON.stringify([key, ...params]));
      return real(key, ...params);
    });
    const cases: Array<[string, Array<string | number>]> = [
      ['kalkan-highlight-popup-flagged', [1]],
      ['kalkan-highlight-popup-flagged', [3]],
      ['kalkan-highlight-category-insult', []],
      ['kalkan-highlight-badge-label', ['Insult']],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [key, params] of cases) expect(t(key, ...params)).toBe(real(key, ...params));
    }
    expect(calls).toHaveLength(cases.length);
    // The plural still follows the count: one and three are different answers.
    expect(t('kalkan-highlight-popup-flagged', 1)).not.toBe(t('kalkan-highlight-popup-flagged', 3));
  });

  it('keeps the string "1" and the number 1 apart, and starts again when full', () => {
    const calls: string[] = [];
    const t = cachedTranslator((key, ...params) => {
      calls.push(key);
      return `${key}:${params.map((p) => typeof p).join(',')}`;
    }, 2);
    expect(t('a', '1')).toBe('a:string');
    expect(t('a', 1)).toBe('a:number');
    expect(calls).toEqual(['a', 'a']);
    t('b');
    t('a', '1');
    expect(calls).toEqual(['a', 'a', 'b', 'a']);
  });
});
