import { WikiProfileSchema, type WikiProfile } from './schema';

/** How long a learned profile is trusted before it is learned again (namespaces and formats rarely change). */
export const PROFILE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const PROFILE_KEY_PREFIX = 'profile:';

/** The slice of browser.storage.local the cache needs (extension origin only). */
export interface KeyValueStore {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface CachedProfile {
  profile: WikiProfile;
  fresh: boolean;
}

/** Reads a cached profile, validated; an invalid record is removed (it is derived data, learned again). */
export async function readCachedProfile(store: KeyValueStore, wikiId: string, now: number): Promise<CachedProfile | null> {
  const key = PROFILE_KEY_PREFIX + wikiId;
  const raw = (await store.get(key))[key];
  if (raw === undefined) return null;
  const parsed = WikiProfileSchema.safeParse(raw);
  if (!parsed.success) {
    await store.remove(key);
    return null;
  }
  return { profile: parsed.data, fresh: now - parsed.data.fetchedAt < PROFILE_TTL_MS };
}

export async function writeCachedProfile(store: KeyValueStore, profile: WikiProfile): Promise<void> {
  await store.set({ [PROFILE_KEY_PREFIX + profile.wikiId]: profile });
}

/**
 * The profile for a wiki: cached when fresh; otherwise learned again, falling back to a stale copy when the wiki
 * cannot be reached (a stale profile parses pages far better than none).
 */
export async function getProfile(
  store: KeyValueStore,
  wikiId: string,
  now: number,
  learn: () => Promise<WikiProfile>,
): Promise<WikiProfile> {
  const cached = await readCachedProfile(store, wikiId, now);
  if (cached?.fresh) return cached.profile;
  try {
    const profile = await learn();
    await writeCachedProfile(store, profile);
    return profile;
  } catch (error) {
    if (cached) return cached.profile;
    throw error;
  }
}
