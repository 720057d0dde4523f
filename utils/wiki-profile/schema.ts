import { z } from 'zod';

/**
 * What the page model needs to know about one wiki. Learned from the page's inline configuration and the
 * Action API (meta=siteinfo, meta=allmessages), cached per wiki in extension storage, and also convertible from
 * DiscussionTools' per-wiki test data (tests/data/*-config.json + *-data.json) so both paths feed one parser.
 */

/** One set of date conventions. Wikis with language variants (sr: sr-ec / sr-el) have several. */
export const DateLocaleSchema = z.object({
  /** Language or variant code, e.g. "en", "sr-ec". */
  code: z.string().min(1),
  /** PHP date() format of signatures, e.g. "H:i, j F Y" (MediaWiki's default user date preference). */
  dateFormat: z.string().min(1),
  /** The ten digits 0–9 as the wiki writes them; null when it writes ASCII digits. */
  digits: z.array(z.string().min(1)).length(10).nullable(),
  /**
   * MediaWiki interface messages for month and weekday names, keyed as MediaWiki keys them:
   * january … december, january-gen …, jan … dec, sunday … saturday, sun … sat.
   */
  messages: z.record(z.string(), z.string()),
  /** Localised time-zone abbreviation → canonical abbreviation (e.g. "ت ع م" → "UTC"). */
  timezoneAbbreviations: z.record(z.string(), z.string()),
});
export type DateLocale = z.infer<typeof DateLocaleSchema>;

export const WikiProfileSchema = z.object({
  schemaVersion: z.literal(1),
  /** Stable key for this wiki: origin + script path, e.g. "https://en.wikipedia.org/w". */
  wikiId: z.string().min(1),
  /** e.g. "https://en.wikipedia.org" (empty when unknown, as in offline test data). */
  server: z.string(),
  /** e.g. "/wiki/$1" */
  articlePath: z.string().includes('$1'),
  /** e.g. "/w" (directory of index.php / api.php); "" when the wiki lives at the root. */
  scriptPath: z.string(),
  contentLanguage: z.string().min(1),
  dir: z.enum(['ltr', 'rtl']),
  /** Lower-cased namespace names and aliases, spaces as underscores → namespace id (like wgNamespaceIds). */
  namespaceIds: z.record(z.string(), z.number().int()),
  /** Namespace id → localised display name (like wgFormattedNamespaces). */
  formattedNamespaces: z.record(z.string(), z.string()),
  /** Localised names and aliases of Special:Contributions, e.g. ["Contributions", "Contribs"]. */
  specialContributionsNames: z.array(z.string().min(1)).min(1),
  /** IANA zone of the wiki's default signature time, e.g. "UTC", "Europe/Warsaw". */
  localTimezone: z.string().min(1),
  dateLocales: z.array(DateLocaleSchema).min(1),
  /** Epoch ms when this profile was learned; the cache expires it. */
  fetchedAt: z.number().int().nonnegative(),
});
export type WikiProfile = z.infer<typeof WikiProfileSchema>;

/** Who is looking at the page: matters for what an edit will reveal (issue: account masking). */
export const ViewerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('registered'), name: z.string().min(1) }),
  z.object({ kind: z.literal('temporary'), name: z.string().min(1) }),
  z.object({ kind: z.literal('anonymous') }),
]);
export type Viewer = z.infer<typeof ViewerSchema>;

/** Facts about the current page view (not cached: they change with every page). */
export const PageContextSchema = z.object({
  title: z.string().min(1),
  namespace: z.number().int(),
  pageId: z.number().int().nonnegative().nullable(),
  revisionId: z.number().int().nonnegative().nullable(),
  /** "view", "edit", "submit", "history" … */
  action: z.string(),
  userLanguage: z.string().min(1),
  viewer: ViewerSchema,
});
export type PageContext = z.infer<typeof PageContextSchema>;
