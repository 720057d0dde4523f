import { z } from 'zod';
import { DATE_MESSAGE_KEYS, learnDateFormat, localParts } from './date-format';
import { WikiProfileSchema, type WikiProfile } from './schema';

/**
 * Builds a WikiProfile from the wiki's own Action API answers (formatversion=2). Everything read is validated;
 * a wiki that answers in an unexpected shape gets a clear error, not a half-made profile.
 */

export const SiteinfoAnswerSchema = z.object({
  query: z.object({
    general: z.object({
      lang: z.string(),
      rtl: z.boolean().optional(),
      timezone: z.string(),
      server: z.string(),
      articlepath: z.string(),
      scriptpath: z.string(),
      wikiid: z.string().optional(),
    }),
    namespaces: z.record(z.string(), z.object({ id: z.number().int(), name: z.string(), canonical: z.string().optional() })),
    namespacealiases: z.array(z.object({ id: z.number().int(), alias: z.string() })),
    specialpagealiases: z.array(z.object({ realname: z.string(), aliases: z.array(z.string()) })),
  }),
});
export type SiteinfoAnswer = z.infer<typeof SiteinfoAnswerSchema>;

export const AllMessagesAnswerSchema = z.object({
  query: z.object({
    allmessages: z.array(z.object({ name: z.string(), content: z.string().optional(), missing: z.boolean().optional() })),
  }),
});
export type AllMessagesAnswer = z.infer<typeof AllMessagesAnswerSchema>;

/** action=parse&onlypst=1&text=~~~~~ with curtimestamp=1: the timestamp MediaWiki writes now, and when "now" was. */
export const TimestampSampleAnswerSchema = z.object({
  curtimestamp: z.string(),
  parse: z.object({ text: z.string() }),
});
export type TimestampSampleAnswer = z.infer<typeof TimestampSampleAnswerSchema>;

/** Daylight-saving partners, so a profile learned in winter still reads summer signatures. */
export const DST_PARTNERS: Readonly<Record<string, string>> = {
  CET: 'CEST', CEST: 'CET', EET: 'EEST', EEST: 'EET', WET: 'WEST', WEST: 'WET', GMT: 'BST', BST: 'GMT',
  EST: 'EDT', EDT: 'EST', CST: 'CDT', CDT: 'CST', MST: 'MDT', MDT: 'MST', PST: 'PDT', PDT: 'PST', IST: 'IDT', IDT: 'IST',
};

export const RTL_LANGUAGES = new Set(['ar', 'arc', 'arz', 'azb', 'bcc', 'bqi', 'ckb', 'dv', 'fa', 'glk', 'he', 'khw', 'ks', 'lrc', 'mzn', 'nqo', 'pnb', 'ps', 'sd', 'ug', 'ur', 'yi']);

export function apiParams(kind: 'siteinfo' | 'messages' | 'timestamp', contentLanguage = ''): Record<string, string> {
  const common = { format: 'json', formatversion: '2', maxage: '0', origin: '*' };
  switch (kind) {
    case 'siteinfo':
      return { ...common, action: 'query', meta: 'siteinfo', siprop: 'general|namespaces|namespacealiases|specialpagealiases' };
    case 'messages':
      return { ...common, action: 'query', meta: 'allmessages', ammessages: DATE_MESSAGE_KEYS.join('|'), amlang: contentLanguage };
    case 'timestamp':
      return { ...common, action: 'parse', text: '~~~~~', contentmodel: 'wikitext', onlypst: '1', curtimestamp: '1' };
  }
}

function lowerKey(name: string): string {
  return name.toLocaleLowerCase().replace(/ /g, '_');
}

export interface ProfileAnswers {
  siteinfo: unknown;
  messages: unknown;
  timestamp: unknown;
  /** Extra localised time-zone messages (timezone-<abbr>) fetched after the abbreviation was seen. */
  timezoneMessages?: unknown;
  wikiId: string;
  fetchedAt: number;
}

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

/** MediaWiki refuses more than this many values in one multi-value parameter (for non-bot users). */
export const API_MAX_VALUES = 50;

const ApiErrorSchema = z.object({ error: z.object({ code: z.string(), info: z.string().optional() }) });

function parseOrExplain<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const apiError = ApiErrorSchema.safeParse(value);
  if (apiError.success) {
    throw new ProfileError(`The wiki refused Kalkan's ${what} request (${apiError.data.error.code}: ${apiError.data.error.info ?? ''}).`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ProfileError(`The wiki's ${what} answer was not what Kalkan expects (${parsed.error.issues[0]?.message ?? 'unknown shape'}); is this a MediaWiki site?`);
  }
  return parsed.data;
}

export function profileFromApi(answers: ProfileAnswers): WikiProfile {
  const siteinfo = parseOrExplain(SiteinfoAnswerSchema, answers.siteinfo, 'siteinfo').query;
  const messages = parseOrExplain(AllMessagesAnswerSchema, answers.messages, 'allmessages').query.allmessages;
  const sample = parseOrExplain(TimestampSampleAnswerSchema, answers.timestamp, 'timestamp');
  const names: Record<string, string> = {};
  for (const message of messages) if (!message.missing && message.content !== undefined) names[message.name] = message.content;

  const general = siteinfo.general;
  const learned = learnDateFormat(sample.parse.text, localParts(new Date(sample.curtimestamp), general.timezone), names);

  const namespaceIds: Record<string, number> = {};
  const formattedNamespaces: Record<string, string> = {};
  for (const namespace of Object.values(siteinfo.namespaces)) {
    formattedNamespaces[String(namespace.id)] = namespace.name;
    namespaceIds[lowerKey(namespace.name)] = namespace.id;
    if (namespace.canonical) namespaceIds[lowerKey(namespace.canonical)] = namespace.id;
  }
  for (const alias of siteinfo.namespacealiases) namespaceIds[lowerKey(alias.alias)] = alias.id;
  const contributions = siteinfo.specialpagealiases.find((entry) => entry.realname === 'Contributions');
  const contributionNames = [...new Set([...(contributions?.aliases ?? []), 'Contributions'])];

  const timezoneAbbreviations: Record<string, string> = {};
  const extra = answers.timezoneMessages === undefined ? [] : parseOrExplain(AllMessagesAnswerSchema, answers.timezoneMessages, 'allmessages').query.allmessages;
  for (const message of [...messages, ...extra]) {
    if (!message.name.startsWith('timezone-') || message.missing || !message.content) continue;
    timezoneAbbreviations[message.content] = message.name.slice('timezone-'.length).toUpperCase();
  }
  if (learned.abbreviation && !(learned.abbreviation in timezoneAbbreviations)) {
    timezoneAbbreviations[learned.abbreviation] = learned.abbreviation;
  }
  for (const canonical of Object.values({ ...timezoneAbbreviations })) {
    const partner = DST_PARTNERS[canonical];
    if (partner && !Object.values(timezoneAbbreviations).includes(partner)) timezoneAbbreviations[partner] = partner;
  }

  return WikiProfileSchema.parse({
    schemaVersion: 1,
    wikiId: answers.wikiId,
    server: general.server.startsWith('//') ? `https:${general.server}` : general.server,
    articlePath: general.articlepath,
    scriptPath: general.scriptpath,
    contentLanguage: general.lang,
    dir: general.rtl === true || RTL_LANGUAGES.has(general.lang.split('-')[0] ?? '') ? 'rtl' : 'ltr',
    namespaceIds,
    formattedNamespaces,
    specialContributionsNames: contributionNames,
    localTimezone: general.timezone,
    dateLocales: [
      { code: general.lang, dateFormat: learned.dateFormat, digits: learned.digits, messages: names, timezoneAbbreviations },
    ],
    fetchedAt: answers.fetchedAt,
  });
}

/** The abbreviations whose localisation should be asked for once the sample's abbreviation is known. */
export function timezoneMessageKeys(sampleText: string): string[] {
  const match = /\(([A-Za-z]{2,5})\)\s*$/.exec(sampleText.trim());
  const abbreviation = match?.[1]?.toUpperCase();
  const partner = abbreviation ? DST_PARTNERS[abbreviation] : undefined;
  // UTC always: a localised UTC (ar: "ت ع م") cannot be recognised in the sample before it is known.
  return [...new Set(['UTC', abbreviation, partner].filter((abbr): abbr is string => Boolean(abbr)))].map((abbr) => `timezone-${abbr.toLowerCase()}`);
}
