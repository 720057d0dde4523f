import { z } from 'zod';
import {
  HighlightConfigRequestSchema, HighlightFlaggedRequestSchema, HighlightPacksExportRequestSchema, HighlightPacksImportRequestSchema,
  HighlightPacksRemoveRequestSchema, HighlightResponseSchemas, HighlightScoreRequestSchema, HighlightSettingsGetRequestSchema,
  HighlightSettingsSetRequestSchema, HighlightTabFlaggedRequestSchema,
} from '../highlight/messages';
import {
  MaskingOwnClearRequestSchema, MaskingOwnGetRequestSchema, MaskingOwnHashesRequestSchema, MaskingOwnSetRequestSchema,
  MaskingResponseSchemas,
} from '../masking/messages';
import { I18nLanguageRequestSchema, I18nResponseSchemas } from '../i18n/requests';
import { ReportAddEvidenceRequestSchema, ReportNoticeboardCheckRequestSchema, ReportResponseSchemas, ReportSendNowRequestSchema } from '../reports/messages';
import { TargetingOpenPairRequestSchema, TargetingRecordRequestSchema, TargetingResponseSchemas } from '../targeting/messages';
import { PageContextSchema, WikiProfileSchema } from '../wiki-profile/schema';

/**
 * Kalkan's one message protocol. Two directions into the background:
 * - from content scripts (which run beside the hostile wiki page): a short allow-list of unprivileged requests;
 * - from extension pages (options, popup, drafts, report form — extension origin): everything, including the
 *   privileged requests that read or change private data.
 * Which list applies is decided from the sender (see sender.ts), never from the payload.
 */

/** Where the wiki lives, as the content script sees it on the page. */
export const WikiLocationSchema = z.object({
  origin: z.string().url(),
  /** Directory of api.php, e.g. "/w"; "" at the root. */
  scriptPath: z.string().regex(/^(\/[^?#]*)?$/),
});
export type WikiLocation = z.infer<typeof WikiLocationSchema>;

export const PageSummarySchema = z.object({
  wikiId: z.string(),
  title: z.string(),
  comments: z.number().int().nonnegative(),
  headings: z.number().int().nonnegative(),
  source: z.enum(['markers', 'parser', 'none']),
  buildMs: z.number().nonnegative(),
  /** Comments the highlighting flagged on the page; absent when highlighting is off or has not finished. */
  flagged: z.number().int().nonnegative().optional(),
});
export type PageSummary = z.infer<typeof PageSummarySchema>;

// --- requests a content script may send -------------------------------------------------------------------------

export const ContentRequestSchema = z.discriminatedUnion('type', [
  /** First contact from a page: the background answers with the wiki's profile (cached or learned). */
  z.object({
    type: z.literal('page/hello'),
    location: WikiLocationSchema,
    page: PageContextSchema,
    /** Inline configuration read from the page's markup as text, to seed the profile before the API answers. */
    inline: z.record(z.string(), z.unknown()).optional(),
  }),
  /** What the page model found, for the toolbar badge and popup. */
  z.object({ type: z.literal('page/summary'), summary: PageSummarySchema }),
  /** Highlighting: settings that shape the page view, scoring comment text off the main thread, the flagged count. */
  HighlightConfigRequestSchema, HighlightScoreRequestSchema, HighlightFlaggedRequestSchema,
  /** Masking: the user's own identifiers as salted hashes (no clear text). */
  MaskingOwnHashesRequestSchema,
  /** Targeting: public reply/ping facts for the interaction log; open the patroller view on a pair. */
  TargetingRecordRequestSchema, TargetingOpenPairRequestSchema,
  /** Reporting: comments the user chose to report; the background seals them and files them in a draft. */
  ReportAddEvidenceRequestSchema,
  /** Interface language: the user's override (a setting), in exchange for the wiki's user language. */
  I18nLanguageRequestSchema,
]);
export type ContentRequest = z.infer<typeof ContentRequestSchema>;

// --- requests only extension pages may send ---------------------------------------------------------------------

export const SiteOriginSchema = z
  .string()
  .url()
  .refine((value) => /^https?:\/\/[^/]+$/.test(value), 'a site is an origin such as https://wiki.example.org');

export const PrivilegedRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sites/list') }),
  /** The options page has already been granted the host permission (it must ask within the user's click). */
  z.object({ type: z.literal('sites/add'), origin: SiteOriginSchema }),
  z.object({ type: z.literal('sites/remove'), origin: SiteOriginSchema }),
  z.object({ type: z.literal('tab/summary'), tabId: z.number().int().nonnegative() }),
  z.object({ type: z.literal('profile/forget'), wikiId: z.string().min(1) }),
  HighlightSettingsGetRequestSchema, HighlightSettingsSetRequestSchema, HighlightPacksImportRequestSchema,
  HighlightPacksExportRequestSchema, HighlightPacksRemoveRequestSchema, HighlightTabFlaggedRequestSchema,
  MaskingOwnGetRequestSchema, MaskingOwnSetRequestSchema, MaskingOwnClearRequestSchema,
  /** The report form queued a report: run the outbox now (and schedule retries). */
  ReportSendNowRequestSchema,
  /** Before a PUBLIC noticeboard posting: the user's session on that wiki and existing sections on the page. */
  ReportNoticeboardCheckRequestSchema,
]);
export type PrivilegedRequest = z.infer<typeof PrivilegedRequestSchema>;

/** Extension pages may send anything; listed once so both lists stay in one place. */
export const ExtensionPageRequestSchema = z.union([ContentRequestSchema, PrivilegedRequestSchema]);
export type ExtensionPageRequest = z.infer<typeof ExtensionPageRequestSchema>;
export type AnyRequest = ExtensionPageRequest;

export const CONTENT_SCRIPT_ALLOWED_TYPES: ReadonlySet<string> = new Set(
  ContentRequestSchema.options.map((option) => option.shape.type.value),
);

// --- responses --------------------------------------------------------------------------------------------------

export const SiteSchema = z.object({ origin: SiteOriginSchema, addedAt: z.number().int() });
export type Site = z.infer<typeof SiteSchema>;

export const ResponseDataSchemas = {
  'page/hello': z.object({ profile: WikiProfileSchema }),
  'page/summary': z.object({ recorded: z.literal(true) }),
  'sites/list': z.object({ sites: z.array(SiteSchema) }),
  'sites/add': z.object({ sites: z.array(SiteSchema) }),
  'sites/remove': z.object({ sites: z.array(SiteSchema) }),
  'tab/summary': z.object({ summary: PageSummarySchema.nullable() }),
  'profile/forget': z.object({ forgotten: z.boolean() }),
  ...HighlightResponseSchemas,
  ...MaskingResponseSchemas,
  ...TargetingResponseSchemas,
  ...ReportResponseSchemas,
  ...I18nResponseSchemas,
} as const satisfies Record<AnyRequest['type'], z.ZodType>;

export type ResponseData<T extends AnyRequest['type']> = z.infer<(typeof ResponseDataSchemas)[T]>;

export const ErrorCodeSchema = z.enum([
  'invalid-message',
  'forbidden-sender',
  'not-permitted',
  'wiki-unreachable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorResponseSchema = z.object({
  ok: z.literal(false),
  error: z.object({ code: ErrorCodeSchema, message: z.string() }),
});

export function responseSchemaFor<T extends AnyRequest['type']>(type: T) {
  return z.union([
    z.object({ ok: z.literal(true), data: ResponseDataSchemas[type] }),
    ErrorResponseSchema,
  ]);
}
export type Response<T extends AnyRequest['type']> =
  | { ok: true; data: ResponseData<T> }
  | z.infer<typeof ErrorResponseSchema>;
