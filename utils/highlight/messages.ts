import { z } from 'zod';
import { DetectionResultSchema } from '../detection/types';
import { MAX_COMMENT_TEXT_LENGTH } from '../page-model/limits';
import { HighlightSettingsSchema, StoredHighlightSettingsSchema } from './settings';

/**
 * Highlighting's messages, added to the one protocol in utils/messaging/protocol.ts. The content script sends
 * comment text to the background to be scored there: the detector (model + rule packs + the user's own packs)
 * runs off the page's main thread, and the user's settings and packs never enter the page's process.
 */

/**
 * Comments per score request. Sending costs the page's main thread by the character (MAX_REQUEST_CHARS bounds one
 * request) plus a little per request, and every answer is validated there: 400 sends the 1,070-comment archive in
 * 3 requests instead of 11 (docs/highlight.md).
 */
export const MAX_SCORE_ITEMS = 400;
/** Quoted ranges per comment accepted from the content script. */
export const MAX_QUOTED_RANGES = 1_000;
/** Largest rule pack file accepted for import (the biggest shipped pack is ~20 KB). */
export const MAX_PACK_JSON_LENGTH = 2 * 1024 * 1024;

const WikiIdSchema = z.string().min(1).max(500);
const RangeSchema = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);

export const ScoreItemSchema = z.object({
  id: z.string().min(1).max(1_000),
  text: z.string().max(MAX_COMMENT_TEXT_LENGTH),
  quoted: z.array(RangeSchema).max(MAX_QUOTED_RANGES),
});
export type ScoreItem = z.infer<typeof ScoreItemSchema>;

// --- content script → background (unprivileged: they reveal nothing stored) -------------------------------------

export const HighlightConfigRequestSchema = z.object({ type: z.literal('highlight/config'), wikiId: WikiIdSchema });
export const HighlightScoreRequestSchema = z.object({
  type: z.literal('highlight/score'),
  wikiId: WikiIdSchema,
  /** Content language of the wiki; the detector guesses from the script when it has no pack for it. */
  lang: z.string().min(1).max(35),
  items: z.array(ScoreItemSchema).max(MAX_SCORE_ITEMS),
});
export const HighlightFlaggedRequestSchema = z.object({
  type: z.literal('highlight/flagged'),
  wikiId: WikiIdSchema,
  title: z.string().max(1_000),
  /** Null when highlighting is off on this page. */
  flagged: z.number().int().nonnegative().nullable(),
});

// --- extension pages only ---------------------------------------------------------------------------------------

export const HighlightSettingsGetRequestSchema = z.object({ type: z.literal('highlight/settings/get') });
export const HighlightSettingsSetRequestSchema = z.object({
  type: z.literal('highlight/settings/set'),
  /** Null sets the defaults for every wiki. */
  wikiId: WikiIdSchema.nullable(),
  /** Null removes the wiki's override (it then follows the defaults). */
  settings: HighlightSettingsSchema.nullable(),
});
export const HighlightPacksImportRequestSchema = z.object({ type: z.literal('highlight/packs/import'), json: z.string().max(MAX_PACK_JSON_LENGTH) });
export const HighlightPacksExportRequestSchema = z.object({
  type: z.literal('highlight/packs/export'),
  source: z.enum(['builtin', 'user']),
  lang: z.string().min(1).max(35),
  name: z.string().optional(),
});
export const HighlightPacksRemoveRequestSchema = z.object({ type: z.literal('highlight/packs/remove'), lang: z.string().min(1), name: z.string().min(1) });
export const HighlightTabFlaggedRequestSchema = z.object({ type: z.literal('highlight/tab-flagged'), tabId: z.number().int().nonnegative() });

// --- responses --------------------------------------------------------------------------------------------------

export const PackSummarySchema = z.object({ lang: z.string(), name: z.string(), source: z.string(), license: z.string(), rules: z.number().int().nonnegative() });
export type PackSummary = z.infer<typeof PackSummarySchema>;

export const HighlightStateSchema = z.object({
  settings: StoredHighlightSettingsSchema,
  /** Wikis Kalkan has a profile for (candidates for a per-wiki override). */
  wikis: z.array(z.string()),
  packs: z.array(PackSummarySchema),
  builtinLanguages: z.array(z.string()),
});
export type HighlightState = z.infer<typeof HighlightStateSchema>;

export const FlaggedRecordSchema = z.object({ wikiId: z.string(), title: z.string(), flagged: z.number().int().nonnegative().nullable() });
export type FlaggedRecord = z.infer<typeof FlaggedRecordSchema>;

export const HighlightResponseSchemas = {
  'highlight/config': z.object({ enabled: z.boolean(), blur: z.boolean(), threshold: z.number() }),
  'highlight/score': z.object({
    results: z.array(z.object({ id: z.string(), result: DetectionResultSchema.nullable() })),
  }),
  'highlight/flagged': z.object({ recorded: z.literal(true) }),
  'highlight/settings/get': HighlightStateSchema,
  'highlight/settings/set': HighlightStateSchema,
  'highlight/packs/import': z.object({ errors: z.array(z.string()), state: HighlightStateSchema }),
  'highlight/packs/export': z.object({ json: z.string() }),
  'highlight/packs/remove': HighlightStateSchema,
  'highlight/tab-flagged': z.object({ record: FlaggedRecordSchema.nullable() }),
} as const;

// --- background → content script (pushed after a settings change) ----------------------------------------------

export const HighlightPushSchema = z.object({ type: z.literal('highlight/settings-changed') });
export type HighlightPush = z.infer<typeof HighlightPushSchema>;
