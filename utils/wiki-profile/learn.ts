import { apiParams, profileFromApi, SiteinfoAnswerSchema, timezoneMessageKeys, TimestampSampleAnswerSchema } from './from-api';
import type { WikiProfile } from './schema';

/** Fetches JSON from a URL; the background passes a fetch bound to its own (extension) origin. */
export type FetchJson = (url: string, signal?: AbortSignal) => Promise<unknown>;

export interface WikiLocationLike {
  origin: string;
  scriptPath: string;
}

export function wikiIdOf(location: WikiLocationLike): string {
  return `${location.origin}${location.scriptPath}`;
}

export function apiUrl(location: WikiLocationLike, params: Record<string, string>): string {
  return `${location.origin}${location.scriptPath}/api.php?${new URLSearchParams(params)}`;
}

/** Learns a wiki's profile with three or four small API requests (siteinfo, messages, a timestamp sample). */
export async function learnProfile(fetchJson: FetchJson, location: WikiLocationLike, now: number, signal?: AbortSignal): Promise<WikiProfile> {
  const [siteinfo, timestamp] = await Promise.all([
    fetchJson(apiUrl(location, apiParams('siteinfo')), signal),
    fetchJson(apiUrl(location, apiParams('timestamp')), signal),
  ]);
  const lang = SiteinfoAnswerSchema.safeParse(siteinfo).data?.query.general.lang ?? 'en';
  const messages = await fetchJson(apiUrl(location, apiParams('messages', lang)), signal);
  const sampleText = TimestampSampleAnswerSchema.safeParse(timestamp).data?.parse.text ?? '';
  const tzKeys = timezoneMessageKeys(sampleText);
  const timezoneMessages = await fetchJson(apiUrl(location, { ...apiParams('messages', lang), ammessages: tzKeys.join('|') }), signal);
  return profileFromApi({ siteinfo, messages, timestamp, timezoneMessages, wikiId: wikiIdOf(location), fetchedAt: now });
}
