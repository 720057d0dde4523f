import { describe, expect, it } from 'vitest';
import { forEachSliced } from '../../../utils/highlight/schedule';
import {
  DEFAULT_HIGHLIGHT_SETTINGS, HIGHLIGHT_CATEGORIES, readStoredSettings, sensitivityOf, settingsForWiki, withSettings,
} from '../../../utils/highlight/settings';

describe('forEachSliced', () => {
  it('cuts work into slices of the budget and yields between them', async () => {
    let clock = 0;
    const slices: Array<[number, number]> = [];
    let yields = 0;
    const seen: number[] = [];
    const done = await forEachSliced(Array.from({ length: 10 }, (_, i) => i), (item) => {
      seen.push(item);
      clock += 3; // each item costs 3 ms
    }, { budgetMs: 8, now: () => clock, yieldFn: async () => { yields += 1; }, onSlice: (a, b) => slices.push([a, b]) });
    expect(done).toBe(true);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // 3 items reach 9 ms ≥ 8: slices of 3, 3, 3, 1.
    expect(slices.map(([a, b]) => b - a)).toEqual([9, 9, 9, 3]);
    expect(yields).toBe(3);
  });

  it('always makes progress (a slow item still runs alone) and stops when cancelled', async () => {
    let clock = 0;
    let cancel = false;
    const seen: number[] = [];
    const done = await forEachSliced([1, 2, 3, 4], (item) => {
      seen.push(item);
      clock += 100;
      if (item === 2) cancel = true;
    }, { budgetMs: 8, now: () => clock, yieldFn: async () => undefined, cancelled: () => cancel });
    expect(done).toBe(false);
    expect(seen).toEqual([1, 2]);
  });
});

describe('highlight settings (validated and repaired on read)', () => {
  it('gives defaults for nothing or garbage', () => {
    expect(readStoredSettings(undefined).defaults).toEqual(DEFAULT_HIGHLIGHT_SETTINGS);
    expect(readStoredSettings('nonsense').defaults).toEqual(DEFAULT_HIGHLIGHT_SETTINGS);
  });

  it('repairs bad fields one by one and drops unknown categories', () => {
    const stored = readStoredSettings({
      version: 1,
      defaults: { enabled: false, threshold: 7, categories: ['insult', 'future_category', 'insult'], blur: 'yes' },
      wikis: { 'https://a.example/w': { enabled: true, threshold: 0.7, categories: ['threat'], blur: true }, bad: 5 },
    });
    expect(stored.defaults).toEqual({ enabled: false, threshold: DEFAULT_HIGHLIGHT_SETTINGS.threshold, categories: ['insult'], blur: false });
    expect(Object.keys(stored.wikis)).toEqual(['https://a.example/w']);
    expect(settingsForWiki(stored, 'https://a.example/w').threshold).toBe(0.7);
    expect(settingsForWiki(stored, 'https://other.example/w')).toEqual(stored.defaults);
  });

  it('sets and removes per-wiki overrides', () => {
    const base = readStoredSettings(undefined);
    const one = withSettings(base, 'w1', { ...DEFAULT_HIGHLIGHT_SETTINGS, blur: true });
    expect(settingsForWiki(one, 'w1').blur).toBe(true);
    expect(settingsForWiki(withSettings(one, 'w1', null), 'w1').blur).toBe(false);
    expect(withSettings(one, null, { ...DEFAULT_HIGHLIGHT_SETTINGS, enabled: false }).defaults.enabled).toBe(false);
  });

  it('names the nearest sensitivity step', () => {
    expect(sensitivityOf(0.35)).toBe('high');
    expect(sensitivityOf(0.52)).toBe('medium');
    expect(sensitivityOf(0.9)).toBe('low');
    expect(HIGHLIGHT_CATEGORIES).toContain('toxicity');
  });
});
