import { z } from 'zod';

/**
 * What the detector says about one comment. Kept as zod schemas so the CLI, the content script and stored
 * results share one definition and can parse what crosses a boundary.
 */

/** Rule categories. 'toxicity' is used only when the learned model alone carries the score. */
export const CATEGORIES = [
  'insult', 'identity_attack', 'threat', 'sexual_harassment', 'doxxing', 'profanity', 'dismissal', 'incitement',
] as const;
export const CategorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof CategorySchema>;

export const ResultCategorySchema = z.union([CategorySchema, z.literal('toxicity'), z.literal('none')]);
export type ResultCategory = z.infer<typeof ResultCategorySchema>;

export const ReasonSchema = z.object({
  /** Rule id ("en.insult.idiot") or "model" for the learned model. */
  ruleId: z.string(),
  kind: z.enum(['rule', 'model']),
  /** UTF-16 [start, end) into the ORIGINAL text passed to the detector. */
  span: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  /** Contribution to the score, 0..1 (after context: aimed at the reader, negated, self-directed). */
  weight: z.number().min(0).max(1),
  /** Short human-readable explanation, e.g. 'insult aimed at the reader: "idiot"'. */
  label: z.string(),
  category: ResultCategorySchema,
});
export type Reason = z.infer<typeof ReasonSchema>;

export const DetectionResultSchema = z.object({
  score: z.number().min(0).max(1),
  flagged: z.boolean(),
  category: ResultCategorySchema,
  reasons: z.array(ReasonSchema),
  /** False when the language has no trained model and the score comes from rules alone. */
  learned: z.boolean(),
});
export type DetectionResult = z.infer<typeof DetectionResultSchema>;
