import { describe, expect, it } from 'vitest';
import { loadModel, scoreTokens } from '../../../utils/detection/model.ts';
import shipped from '../../../utils/detection/model/weights.json';
import { tokenize } from '../../../utils/detection/normalize.ts';

/**
 * The detector asks scoreTokens for only the strongest MAX_MODEL_REASONS contributions (a partial selection, no
 * full sort): they must be exactly the head of the full, stably sorted list, ties in token order.
 */
describe('strongest model contributions', () => {
  const model = loadModel(shipped);
  const identity = new Set(['gay', 'muslim']);
  const cases: Array<[string, string]> = [
    // Repeated words give equal contributions: the tie order must follow the tokens, as the stable sort does.
    ['idiot idiot idiot idiot idiot', 'en'], ['you stupid idiot, shut up you moron. idiot idiot', 'en'],
    ['ты тупой дебил, дебил', 'ru'], ['eres un idiota estúpido', 'es'], ['ok', 'en'], ['', 'en'],
  ];
  it.each(cases)('%s', (text, lang) => {
    const tokens = tokenize(text, lang);
    const skip = new Uint8Array(tokens.length);
    const full = scoreTokens(model, tokens, lang, identity, skip);
    for (const limit of [0, 1, 2, 3, 10]) {
      const top = scoreTokens(model, tokens, lang, identity, skip, 0, limit);
      expect(top.probability).toBe(full.probability);
      expect(top.contributions, `limit ${limit}`).toEqual(full.contributions.slice(0, limit));
    }
  });

  it('has ties to order in the repeated-word case', () => {
    const tokens = tokenize('idiot idiot idiot idiot idiot', 'en');
    const full = scoreTokens(model, tokens, 'en', identity, new Uint8Array(tokens.length)).contributions;
    expect(full.length).toBeGreaterThan(3);
    expect(full[1]!.logit).toBe(full[2]!.logit);
    expect(full[1]!.token).toBeLessThan(full[2]!.token);
  });

  it('lists nothing below explainFrom', () => {
    const tokens = tokenize('thanks for the source', 'en');
    expect(scoreTokens(model, tokens, 'en', identity, new Uint8Array(tokens.length), 1, 3).contributions).toEqual([]);
  });
});
