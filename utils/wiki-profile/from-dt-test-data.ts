import { z } from 'zod';
import { WikiProfileSchema, type DateLocale, type WikiProfile } from './schema';

/**
 * Converts DiscussionTools' per-wiki test data (tests/data/<wiki>-config.json + <wiki>-data.json) into a
 * WikiProfile, so the same page-model parser runs on DT's fixtures and on live wikis.
 * Pure: takes already-parsed JSON values, never touches the file system.
 */

/** mw.config subset saved by DiscussionTools as tests/data/<wiki>-config.json. */
export const DtConfigSchema = z.object({
  wgContentLanguage: z.string().min(1),
  wgArticlePath: z.string().includes('$1'),
  wgNamespaceIds: z.record(z.string(), z.number().int()),
  wgFormattedNamespaces: z.record(z.string(), z.string()),
});
export type DtConfig = z.infer<typeof DtConfigSchema>;

/** ext.discussionTools parser data saved as tests/data/<wiki>-data.json; keyed by language variant. */
export const DtDataSchema = z.object({
  dateFormat: z.record(z.string(), z.string().min(1)),
  digits: z.record(z.string(), z.array(z.string()).length(10).nullable()),
  localTimezone: z.string().min(1),
  specialContributionsName: z.string().min(1),
  timezones: z.record(z.string(), z.record(z.string(), z.string())),
  contLangMessages: z.record(z.string(), z.record(z.string(), z.string())),
});
export type DtData = z.infer<typeof DtDataSchema>;

/** Languages written right-to-left (base codes; variants like "ku-arab" are matched by prefix below). */
export const RTL_LANGUAGES: ReadonlySet<string> = new Set([
  'ar', 'arc', 'arz', 'azb', 'bcc', 'bqi', 'ckb', 'dv', 'fa', 'glk', 'he', 'khw', 'ks', 'lrc', 'mzn', 'nqo',
  'pnb', 'ps', 'sd', 'skr', 'ug', 'ur', 'yi', 'ary', 'ku-arab', 'kk-arab', 'ks-arab', 'ug-arab',
]);

export function languageDir(code: string): 'ltr' | 'rtl' {
  const lower = code.toLowerCase();
  if (RTL_LANGUAGES.has(lower)) return 'rtl';
  if (lower.endsWith('-arab')) return 'rtl';
  const base = lower.split('-')[0] ?? lower;
  return RTL_LANGUAGES.has(base) ? 'rtl' : 'ltr';
}

const ASCII_DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function isAsciiDigits(digits: readonly string[]): boolean {
  return digits.every((d, i) => d === ASCII_DIGITS[i]);
}

/**
 * @param wikiId stable key for the profile, e.g. "enwiki" (DT's file prefix); there is no origin offline.
 * @throws Error naming the file that failed validation and what was wrong with it.
 */
export function profileFromDtTestData(wikiId: string, configJson: unknown, dataJson: unknown): WikiProfile {
  const config = DtConfigSchema.safeParse(configJson);
  if (!config.success) {
    throw new Error(`The DiscussionTools config file for "${wikiId}" is not in the expected shape ` +
      `(${z.prettifyError(config.error)}). Pass tests/data/<wiki>-config.json as --config.`);
  }
  const data = DtDataSchema.safeParse(dataJson);
  if (!data.success) {
    throw new Error(`The DiscussionTools data file for "${wikiId}" is not in the expected shape ` +
      `(${z.prettifyError(data.error)}). Pass tests/data/<wiki>-data.json as --data.`);
  }
  const d = data.data;
  const dateLocales: DateLocale[] = Object.keys(d.dateFormat).map((code) => {
    const digits = d.digits[code] ?? null;
    return {
      code,
      dateFormat: d.dateFormat[code] ?? '',
      digits: digits && !isAsciiDigits(digits) ? digits : null,
      messages: d.contLangMessages[code] ?? {},
      timezoneAbbreviations: d.timezones[code] ?? {},
    };
  });
  const namespaceIds: Record<string, number> = {};
  for (const [name, id] of Object.entries(config.data.wgNamespaceIds)) {
    namespaceIds[name.toLowerCase().replace(/ /g, '_')] = id;
  }
  const profile = {
    schemaVersion: 1 as const,
    wikiId,
    server: '',
    articlePath: config.data.wgArticlePath,
    scriptPath: '/w',
    contentLanguage: config.data.wgContentLanguage,
    dir: languageDir(config.data.wgContentLanguage),
    namespaceIds,
    formattedNamespaces: config.data.wgFormattedNamespaces,
    specialContributionsNames: [d.specialContributionsName],
    localTimezone: d.localTimezone,
    dateLocales,
    fetchedAt: 0,
  };
  const parsed = WikiProfileSchema.safeParse(profile);
  if (!parsed.success) {
    throw new Error(`The DiscussionTools files for "${wikiId}" produce an invalid wiki profile ` +
      `(${z.prettifyError(parsed.error)}).`);
  }
  return parsed.data;
}
