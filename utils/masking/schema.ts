import { z } from 'zod';

/**
 * The kinds of identifying detail Kalkan looks for before a user saves an edit (issue: account masking).
 * The CLI and the evaluation speak these exact names, so they are part of the public contract.
 */
export const PII_TYPES = [
  'EMAIL',
  'PHONE',
  'IP',
  'URL',
  'HANDLE',
  'ADDRESS',
  'DATE_OF_BIRTH',
  'COORDINATES',
  'PERSON',
] as const;
export const PiiTypeSchema = z.enum(PII_TYPES);
export type PiiType = z.infer<typeof PiiTypeSchema>;

/**
 * Why a span was flagged, as a message key plus parameters; the UI localises it (banana-i18n), so detectors never
 * produce English prose.
 */
export const MessageRefSchema = z.object({
  key: z.string().regex(/^kalkan-[a-z0-9-]+$/),
  params: z.array(z.string()),
});
export type MessageRef = z.infer<typeof MessageRefSchema>;

export const FindingSchema = z
  .object({
    type: PiiTypeSchema,
    /** UTF-16 offset of the first code unit. */
    start: z.number().int().nonnegative(),
    /** UTF-16 offset one past the last code unit (end exclusive). */
    end: z.number().int().positive(),
    confidence: z.number().min(0).max(1),
    reason: MessageRefSchema,
    /** The flagged substring, text.slice(start, end). */
    text: z.string().min(1),
  })
  .refine((f) => f.end > f.start, { message: 'end must be after start' });
export type Finding = z.infer<typeof FindingSchema>;

/** One line of the `pii` CLI's output. */
export const PiiSpanSchema = z.object({
  type: PiiTypeSchema,
  start: z.number().int().nonnegative(),
  end: z.number().int().positive(),
});
export type PiiSpan = z.infer<typeof PiiSpanSchema>;

/** Languages with cue lists in cues.ts; other languages fall back to all lists. */
export const CUE_LANGUAGES = ['en', 'ru', 'ky', 'uk', 'kk', 'es', 'fr', 'de', 'tr', 'ar', 'fa'] as const;
export const CueLanguageSchema = z.enum(CUE_LANGUAGES);
export type CueLanguage = z.infer<typeof CueLanguageSchema>;

/** ISO 3166-1 alpha-2 region code, used as a default-country hint for national phone formats. */
export const RegionSchema = z.string().regex(/^[A-Z]{2}$/, 'use a two-letter region code such as KG, RU, US');

export function makeFinding(
  text: string,
  type: PiiType,
  start: number,
  end: number,
  confidence: number,
  key: string,
  params: string[] = [],
): Finding {
  return {
    type,
    start,
    end,
    confidence: Math.max(0, Math.min(1, Math.round(confidence * 100) / 100)),
    reason: { key, params },
    text: text.slice(start, end),
  };
}
