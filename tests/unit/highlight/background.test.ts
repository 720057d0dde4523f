import { describe, expect, it, vi } from 'vitest';
import { createHighlightHandlers, MAX_USER_PACKS, PACKS_KEY, SETTINGS_KEY, type HighlightDeps } from '../../../entrypoints/background/highlight';
import type { SenderInfo } from '../../../utils/messaging/sender';

function memoryStore(initial: Record<string, unknown> = {}) {
  const data: Record<string, unknown> = { ...initial };
  return {
    data,
    get: async (key: string) => (key in data ? { [key]: data[key] } : {}),
    set: async (items: Record<string, unknown>) => { Object.assign(data, items); },
    remove: async (key: string) => { delete data[key]; },
    getAll: async () => ({ ...data }),
  };
}

function setup(initial: Record<string, unknown> = {}) {
  const local = memoryStore(initial);
  const session = memoryStore();
  const broadcast = vi.fn(async () => undefined);
  const deps: HighlightDeps = { local, session, broadcast };
  return { handlers: createHighlightHandlers(deps), local, session, broadcast };
}

const ctx = { sender: { id: 'ext', url: 'https://en.wikipedia.org/wiki/Talk:X', tab: { id: 7 } } as unknown as SenderInfo };
const item = (id: string, text: string, quoted: Array<[number, number]> = []) => ({ id, text, quoted });

describe('highlight background handlers', () => {
  it('scores comments with the settings of their wiki and returns only flagged ones', async () => {
    const { handlers } = setup();
    const { results } = await handlers['highlight/score']({
      type: 'highlight/score', wikiId: 'w', lang: 'en',
      items: [item('a', 'You are a stupid idiot, nobody wants you here.'), item('b', 'Thanks, I will wait a week before merging.')],
    }, ctx);
    expect(results.find((r) => r.id === 'a')?.result?.category).toBe('insult');
    // Unflagged comments are left out of the answer.
    expect(results.map((r) => r.id)).toEqual(['a']);
  });

  it('does not count insults inside quoted ranges', async () => {
    const { handlers } = setup();
    const text = 'He wrote you stupid idiot earlier; please keep discussions civil.';
    const quoted: [number, number] = [text.indexOf('you'), text.indexOf(' earlier')];
    const plain = await handlers['highlight/score']({ type: 'highlight/score', wikiId: 'w', lang: 'en', items: [item('a', text)] }, ctx);
    const withQuote = await handlers['highlight/score']({ type: 'highlight/score', wikiId: 'w', lang: 'en', items: [item('a', text, [quoted])] }, ctx);
    expect(plain.results[0]?.result).not.toBeNull();
    expect(withQuote.results).toEqual([]);
  });

  it('hides categories the user switched off, and everything when disabled', async () => {
    const { handlers } = setup();
    const insult = [item('a', 'You are a stupid idiot, nobody wants you here.')];
    await handlers['highlight/settings/set']({ type: 'highlight/settings/set', wikiId: 'w', settings: { enabled: true, threshold: 0.5, categories: ['threat'], blur: false } }, ctx);
    expect((await handlers['highlight/score']({ type: 'highlight/score', wikiId: 'w', lang: 'en', items: insult }, ctx)).results).toEqual([]);
    // Another wiki still uses the defaults.
    expect((await handlers['highlight/score']({ type: 'highlight/score', wikiId: 'other', lang: 'en', items: insult }, ctx)).results[0]?.result).not.toBeNull();
    await handlers['highlight/settings/set']({ type: 'highlight/settings/set', wikiId: null, settings: { enabled: false, threshold: 0.5, categories: ['insult'], blur: true } }, ctx);
    expect(await handlers['highlight/config']({ type: 'highlight/config', wikiId: 'other' }, ctx)).toEqual({ enabled: false, blur: true, threshold: 0.5 });
  });

  it('tells open tabs when settings change, and lists wikis Kalkan knows', async () => {
    const { handlers, broadcast, local } = setup({ 'profile:https://a.example/w': {}, other: 1 });
    const state = await handlers['highlight/settings/set']({ type: 'highlight/settings/set', wikiId: null, settings: { enabled: true, threshold: 0.7, categories: ['insult'], blur: false } }, ctx);
    expect(broadcast).toHaveBeenCalledTimes(1);
    expect(state.wikis).toEqual(['https://a.example/w']);
    expect((local.data[SETTINGS_KEY] as { defaults: { threshold: number } }).defaults.threshold).toBe(0.7);
  });

  it('imports a user rule pack (which then flags), exports it and the built-ins, and removes it', async () => {
    const { handlers, local } = setup();
    const pack = {
      format: 'kalkan-rule-pack/1', lang: 'en', name: 'Local words', source: 'test', license: 'CC0',
      rules: [{ id: 'en.insult.zorbl', category: 'insult', weight: 0.9, aimable: false, match: ['zorbl'] }],
    };
    const before = await handlers['highlight/score']({ type: 'highlight/score', wikiId: 'w', lang: 'en', items: [item('a', 'what a zorbl')] }, ctx);
    expect(before.results).toEqual([]);
    const imported = await handlers['highlight/packs/import']({ type: 'highlight/packs/import', json: JSON.stringify(pack) }, ctx);
    expect(imported.errors).toEqual([]);
    expect(imported.state.packs).toEqual([{ lang: 'en', name: 'Local words', source: 'test', license: 'CC0', rules: 1 }]);
    const after = await handlers['highlight/score']({ type: 'highlight/score', wikiId: 'w', lang: 'en', items: [item('a', 'what a zorbl')] }, ctx);
    expect(after.results[0]?.result?.reasons[0]?.ruleId).toBe('en.insult.zorbl');
    expect(JSON.parse((await handlers['highlight/packs/export']({ type: 'highlight/packs/export', source: 'user', lang: 'en', name: 'Local words' }, ctx)).json)).toMatchObject({ name: 'Local words' });
    expect(JSON.parse((await handlers['highlight/packs/export']({ type: 'highlight/packs/export', source: 'builtin', lang: 'ru' }, ctx)).json)).toMatchObject({ lang: 'ru' });
    const removed = await handlers['highlight/packs/remove']({ type: 'highlight/packs/remove', lang: 'en', name: 'Local words' }, ctx);
    expect(removed.packs).toEqual([]);
    expect(local.data[PACKS_KEY]).toEqual([]);
  });

  it('explains what is wrong with an invalid pack, and caps the number of packs', async () => {
    const { handlers } = setup({ [PACKS_KEY]: Array.from({ length: MAX_USER_PACKS }, (_, i) => ({
      format: 'kalkan-rule-pack/1', lang: 'en', name: `p${i}`, source: 's', license: 'l', rules: [],
    })) });
    const bad = await handlers['highlight/packs/import']({ type: 'highlight/packs/import', json: '{"format":"nope"}' }, ctx);
    expect(bad.errors.join(' ')).toMatch(/format/);
    const full = await handlers['highlight/packs/import']({ type: 'highlight/packs/import', json: JSON.stringify({ format: 'kalkan-rule-pack/1', lang: 'de', name: 'x', source: 's', license: 'l', rules: [] }) }, ctx);
    expect(full.errors[0]).toMatch(/at most/);
  });

  it('records the flagged count per tab for the popup', async () => {
    const { handlers } = setup();
    await handlers['highlight/flagged']({ type: 'highlight/flagged', wikiId: 'w', title: 'Talk:X', flagged: 2 }, ctx);
    expect((await handlers['highlight/tab-flagged']({ type: 'highlight/tab-flagged', tabId: 7 }, ctx)).record).toEqual({ wikiId: 'w', title: 'Talk:X', flagged: 2 });
    expect((await handlers['highlight/tab-flagged']({ type: 'highlight/tab-flagged', tabId: 8 }, ctx)).record).toBeNull();
  });
});
