import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getProfile, PROFILE_KEY_PREFIX, PROFILE_TTL_MS, readCachedProfile, type KeyValueStore } from '../../../utils/wiki-profile/cache';
import { learnProfile } from '../../../utils/wiki-profile/learn';

const answers = JSON.parse(readFileSync(new URL('../../fixtures/wiki-profile/mw139-ru-moscow.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** Answers each API request from the recorded fixture, by what it asks for. */
function recordedFetch(log: string[]) {
  return async (url: string) => {
    log.push(url);
    const params = new URL(url).searchParams;
    if (params.get('meta') === 'siteinfo') return answers.siteinfo;
    if (params.get('action') === 'parse') return answers.timestamp;
    if (params.get('ammessages')?.startsWith('timezone-')) return answers.timezoneMessages;
    return answers.messages;
  };
}

function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (key) => (data.has(key) ? { [key]: data.get(key) } : {}),
    set: async (items) => {
      for (const [key, value] of Object.entries(items)) data.set(key, value);
    },
    remove: async (key) => {
      data.delete(key);
    },
  };
}

describe('learnProfile', () => {
  it('asks the wiki api.php and builds a profile keyed by origin + script path', async () => {
    const log: string[] = [];
    const profile = await learnProfile(recordedFetch(log), { origin: 'https://ru.example.org', scriptPath: '/w' }, 5);
    expect(profile.wikiId).toBe('https://ru.example.org/w');
    expect(profile.dateLocales[0]?.dateFormat).toBe('H:i, j xg Y');
    expect(log.every((url) => url.startsWith('https://ru.example.org/w/api.php?'))).toBe(true);
    expect(log.length).toBe(4);
  });
});

describe('profile cache', () => {
  const location = { origin: 'https://ru.example.org', scriptPath: '/w' };
  it('learns once, then serves the cached profile until it expires', async () => {
    const store = memoryStore();
    const log: string[] = [];
    const learn = () => learnProfile(recordedFetch(log), location, 1000);
    await getProfile(store, 'https://ru.example.org/w', 1000, learn);
    await getProfile(store, 'https://ru.example.org/w', 2000, learn);
    expect(log.length).toBe(4);
    await getProfile(store, 'https://ru.example.org/w', 1000 + PROFILE_TTL_MS + 1, learn);
    expect(log.length).toBe(8);
  });

  it('falls back to a stale profile when the wiki cannot be reached', async () => {
    const store = memoryStore();
    const profile = await learnProfile(recordedFetch([]), location, 0);
    await store.set({ [PROFILE_KEY_PREFIX + profile.wikiId]: profile });
    const result = await getProfile(store, profile.wikiId, PROFILE_TTL_MS * 2, () => Promise.reject(new Error('offline')));
    expect(result.wikiId).toBe(profile.wikiId);
  });

  it('drops an invalid cached record and reports nothing cached', async () => {
    const store = memoryStore();
    await store.set({ [`${PROFILE_KEY_PREFIX}x`]: { schemaVersion: 99 } });
    expect(await readCachedProfile(store, 'x', 0)).toBeNull();
    expect(store.data.size).toBe(0);
  });

  it('propagates the error when nothing is cached and learning fails', async () => {
    await expect(getProfile(memoryStore(), 'y', 0, () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
  });
});
