import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticLog } from '../../../scripts/bench-targeting';
import { InteractionRecordSchema, isInteractionRecord } from '../../../utils/targeting/schema';
import { rec } from './helpers';

const good = rec('Bakyt', 'Aigerim', { flagged: true });

describe('isInteractionRecord (fast validate-on-read) never keeps what the schema refuses', () => {
  it('accepts well-formed records, as the schema does', () => {
    for (const r of [good, rec('A', 'B'), ...syntheticLog(500)]) {
      expect(isInteractionRecord(r)).toBe(true);
      expect(InteractionRecordSchema.safeParse(r).success).toBe(true);
    }
  });

  it.each([
    ['no object', null], ['a string', 'x'], ['empty user', { ...good, from: '' }], ['unknown kind', { ...good, kind: 'ping' }],
    ['negative time', { ...good, utcMs: -1 }], ['fractional time', { ...good, utcMs: 1.5 }], ['flag without flagged', { ...good, flag: { category: null, score: null } }],
    ['score above 1', { ...good, flag: { flagged: true, category: null, score: 2 } }], ['missing key', { ...good, key: undefined }],
    ['extra field', { ...good, extra: 1 }], ['string page id', { ...good, pageId: '3' }], ['long language', { ...good, contentLanguage: 'x'.repeat(33) }],
  ])('rejects %s', (_name, raw) => {
    expect(isInteractionRecord(raw)).toBe(false);
  });

  it('property: whatever the guard accepts, the schema accepts (random field replacements)', () => {
    const fields = Object.keys(good);
    fc.assert(fc.property(fc.constantFrom(...fields), fc.anything(), (field, value) => {
      const raw = { ...good, [field]: value };
      if (isInteractionRecord(raw)) expect(InteractionRecordSchema.safeParse(raw).success).toBe(true);
    }), { numRuns: 2_000 });
  });
});
