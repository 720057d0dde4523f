import { z } from 'zod';

/**
 * Where a report can go. An endpoint is private (a Kalkan protocol receiver run by a trust-and-safety team);
 * a noticeboard is PUBLIC (anyone can read the section, and the reported user will); email opens the user's mail
 * program. Emergencies never go to a noticeboard: they have their own contact per wiki.
 */

export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** HTTPS only, except loopback (a receiver on the user's own machine, used in tests and demos). */
export function isAllowedEndpointUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false; // not a URL at all: the caller reports it as an insecure/invalid destination
  }
  if (url.username || url.password) return false; // credentials belong in the token, never in the URL
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

export const EndpointDestinationSchema = z.object({
  kind: z.literal('endpoint'),
  id: z.string().min(1),
  label: z.string().min(1).max(200),
  baseUrl: z.string().refine(isAllowedEndpointUrl, 'must be an https:// URL (http:// only for 127.0.0.1, localhost, [::1])'),
  token: z.string().min(1).max(4096).optional(),
  private: z.literal(true),
});
export const NoticeboardDestinationSchema = z.object({
  kind: z.literal('noticeboard'),
  id: z.string().min(1),
  label: z.string().min(1).max(200),
  wikiId: z.string().min(1),
  /** Page title on that wiki, e.g. "Wikipedia:Administrators' noticeboard/Incidents". */
  page: z.string().min(1),
  private: z.literal(false),
  /** "$1" is replaced by the reported user name(s). */
  sectionTitleTemplate: z.string().min(1).max(250),
});
export const EmailDestinationSchema = z.object({
  kind: z.literal('email'),
  id: z.string().min(1),
  label: z.string().min(1).max(200),
  address: z.email(),
});
export const DestinationSchema = z.discriminatedUnion('kind', [
  EndpointDestinationSchema,
  NoticeboardDestinationSchema,
  EmailDestinationSchema,
]);
export type EndpointDestination = z.infer<typeof EndpointDestinationSchema>;
export type NoticeboardDestination = z.infer<typeof NoticeboardDestinationSchema>;
export type EmailDestination = z.infer<typeof EmailDestinationSchema>;
export type Destination = z.infer<typeof DestinationSchema>;

/** Stored in settings under "destinations": global ones apply to every wiki, perWiki ones to that wiki only. */
export const DestinationsSettingSchema = z.object({
  global: z.array(DestinationSchema),
  perWiki: z.record(z.string(), z.array(DestinationSchema)),
});
export type DestinationsSetting = z.infer<typeof DestinationsSettingSchema>;

/**
 * Only venues that are well known and stable; a wiki not listed gets none rather than a guess (the user adds one).
 * Keys are wiki ids (origin + script path), as in the wiki profile.
 */
export const DEFAULT_NOTICEBOARDS: Readonly<Record<string, NoticeboardDestination>> = {
  'https://en.wikipedia.org/w': {
    kind: 'noticeboard',
    id: 'default:enwiki-ani',
    label: "English Wikipedia — Administrators' noticeboard/Incidents (public)",
    wikiId: 'https://en.wikipedia.org/w',
    page: "Wikipedia:Administrators' noticeboard/Incidents",
    private: false,
    sectionTitleTemplate: 'Conduct of $1',
  },
  'https://commons.wikimedia.org/w': {
    kind: 'noticeboard',
    id: 'default:commons-anu',
    label: "Wikimedia Commons — Administrators' noticeboard/User problems (public)",
    wikiId: 'https://commons.wikimedia.org/w',
    page: "Commons:Administrators' noticeboard/User problems",
    private: false,
    sectionTitleTemplate: '$1',
  },
  'https://www.wikidata.org/w': {
    kind: 'noticeboard',
    id: 'default:wikidata-an',
    label: "Wikidata — Administrators' noticeboard (public)",
    wikiId: 'https://www.wikidata.org/w',
    page: "Wikidata:Administrators' noticeboard",
    private: false,
    sectionTitleTemplate: 'Conduct of $1',
  },
};

export const WIKIMEDIA_EMERGENCY_ADDRESS = 'emergency@wikimedia.org';

/** Hosts served by the Wikimedia Foundation, whose emergency team takes threats of harm on all its wikis. */
const WIKIMEDIA_DOMAINS = [
  'wikipedia.org', 'wikimedia.org', 'wiktionary.org', 'wikibooks.org', 'wikinews.org', 'wikiquote.org',
  'wikisource.org', 'wikiversity.org', 'wikivoyage.org', 'wikidata.org', 'mediawiki.org', 'wikifunctions.org',
];

export function isWikimediaHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return WIKIMEDIA_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

export function emergencyContactFor(wikiServer: string): EmailDestination | null {
  let host: string;
  try {
    host = new URL(wikiServer).hostname;
  } catch {
    return null; // an unreadable server URL has no known contact; the UI points to local emergency services
  }
  if (!isWikimediaHost(host)) return null;
  return {
    kind: 'email',
    id: 'default:wikimedia-emergency',
    label: 'Wikimedia Foundation emergency team',
    address: WIKIMEDIA_EMERGENCY_ADDRESS,
  };
}

/** Destinations offered for a wiki: its own, then global, then the default noticeboard if the user has none. */
export function destinationsFor(setting: DestinationsSetting, wikiId: string): Destination[] {
  // Own keys only: a wiki id such as "constructor" must not read Object's members through the prototype.
  const own = Object.hasOwn(setting.perWiki, wikiId) ? (setting.perWiki[wikiId] ?? []) : [];
  const chosen = [...own, ...setting.global];
  const fallback = Object.hasOwn(DEFAULT_NOTICEBOARDS, wikiId) ? DEFAULT_NOTICEBOARDS[wikiId] : undefined;
  if (fallback && !chosen.some((destination) => destination.kind === 'noticeboard')) chosen.push(fallback);
  return chosen;
}
