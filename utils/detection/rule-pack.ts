import { z } from 'zod';
import { CategorySchema } from './types.ts';

/**
 * Rule packs are data, one JSON file per language, so a wiki community can extend them without code.
 *
 * Pattern syntax (one entry of `match`): words separated by spaces, each word position being
 *   - a word: "idiot" (whole word, folded like comment text: case, accents, doubled letters do not matter)
 *   - a stem: "idiot*" (word starts with), "*loch" (ends with), "*fotz*" (contains)
 *   - alternatives: "kill|murder|shoot"
 *   - "_" any one word, "_?" an optional word
 *   - "@you" any second-person word of the pack, "@identity" any identity term of the pack
 * A rule whose `aimable` is true (insults) counts more when a second-person word precedes it in the same
 * sentence, and less after a first-person word (self-reference) or a negation.
 */

/** Most rules one pack may hold; keeps a bad import from slowing every comment down. */
export const MAX_RULES_PER_PACK = 500;
/** Most patterns one rule may hold. */
export const MAX_PATTERNS_PER_RULE = 400;
/** Longest pattern, in word positions. */
export const MAX_PATTERN_WORDS = 8;
/** Longest pattern text, in UTF-16 units. */
export const MAX_PATTERN_LENGTH = 200;
/**
 * Most entries in one word list (second person, first person, negations, identity terms): the shipped packs hold
 * at most 71. Imported packs come from other people; without a bound a shared file could hold millions.
 */
export const MAX_WORD_LIST_ENTRIES = 2_000;
/** Longest free text (name, source, licence, a rule's note), in UTF-16 units. */
export const MAX_PACK_TEXT_CHARS = 2_000;
/** Largest rule-pack file accepted by importRulePack, in UTF-16 units (the shipped packs are under 20,000). */
export const MAX_RULE_PACK_JSON_CHARS = 2_000_000;

const WordListSchema = z.array(z.string().min(1).max(MAX_PATTERN_LENGTH)).max(MAX_WORD_LIST_ENTRIES).default([]);
const PackTextSchema = z.string().min(1).max(MAX_PACK_TEXT_CHARS);

const PatternSchema = z.string().trim().min(1).max(MAX_PATTERN_LENGTH).refine(
  (p) => p.split(/\s+/).length <= MAX_PATTERN_WORDS,
  { message: `a pattern may have at most ${MAX_PATTERN_WORDS} words; split it into several patterns` },
).refine(
  (p) => p.split(/\s+/).some((w) => w !== '_' && w !== '_?'),
  { message: 'a pattern needs at least one real word besides "_" wildcards' },
).refine(
  (p) => p.split(/\s+/).every((w) => w.split('|').every((alt) => alt.replace(/\*/g, '').length > 0 || alt === '_' || alt === '_?')),
  { message: 'a word position cannot be only "*"; write at least one letter of the stem' },
);

export const RuleSchema = z.object({
  /** Stable id "<lang>.<category>.<name>", shown in reasons and used to switch a rule off. */
  id: z.string().regex(/^[a-z]{2,3}(-[a-z0-9]+)?\.[a-z_]+\.[a-z0-9_-]+$/, {
    message: 'rule id must look like "en.insult.idiot" (language, category, name; lower case)',
  }),
  category: CategorySchema,
  /** How much one match raises the score, 0..1 (0.5 alone reaches the default flag threshold). */
  weight: z.number().min(0).max(1),
  /** True for words that insult a person: aimed at the reader counts more, self-reference and negation less. */
  aimable: z.boolean().default(false),
  match: z.array(PatternSchema).min(1).max(MAX_PATTERNS_PER_RULE),
  /** Optional note for reviewers: where the list came from, what it deliberately leaves out. */
  note: z.string().max(MAX_PACK_TEXT_CHARS).optional(),
});
export type Rule = z.infer<typeof RuleSchema>;

export const RulePackSchema = z.object({
  format: z.literal('kalkan-rule-pack/1'),
  lang: z.string().regex(/^[a-z]{2,3}(-[a-z0-9]+)?$/, { message: 'lang must be a language code such as "en" or "pt-br"' }),
  name: PackTextSchema,
  /** Where the words come from and under which licence (hand-written packs say so). */
  source: PackTextSchema,
  license: PackTextSchema,
  /** Words that address the reader ("you", "ты", "eres"); an insult after one is aimed at the reader. */
  secondPerson: WordListSchema,
  /** Words that point at the writer ("I", "я"); "I am an idiot" is not an attack. */
  firstPerson: WordListSchema,
  /** Negations ("not", "не", "no"); "you are not an idiot" is not an attack. */
  negations: WordListSchema,
  /**
   * Identity words ("gay", "muslim", "black"). Never evidence on their own: the model sees one placeholder for
   * all of them and rules can only use them through "@identity" next to an abusive word.
   */
  identityTerms: WordListSchema,
  rules: z.array(RuleSchema).max(MAX_RULES_PER_PACK),
}).superRefine((pack, ctx) => {
  const seen = new Set<string>();
  pack.rules.forEach((rule, i) => {
    if (seen.has(rule.id)) {
      ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id "${rule.id}"; give each rule its own id` });
    }
    seen.add(rule.id);
  });
});
export type RulePack = z.infer<typeof RulePackSchema>;
export type RulePackInput = z.input<typeof RulePackSchema>;

export type RulePackValidation =
  | { ok: true; pack: RulePack }
  | { ok: false; errors: string[] };

/** Validates an already-parsed object as a rule pack; errors name the field and say what to change. */
export function validateRulePack(data: unknown): RulePackValidation {
  const parsed = RulePackSchema.safeParse(data);
  if (parsed.success) return { ok: true, pack: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(pack)'}: ${issue.message}`),
  };
}

/** Imports a user rule pack from JSON text (e.g. a file picked in the options page). */
export function importRulePack(json: string): RulePackValidation {
  if (json.length > MAX_RULE_PACK_JSON_CHARS) {
    return { ok: false, errors: [`(file): ${json.length} characters; a rule pack may have at most ${MAX_RULE_PACK_JSON_CHARS}. Split it into several packs`] };
  }
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { ok: false, errors: [`(file): not valid JSON (${error instanceof Error ? error.message : String(error)}); save the rule pack as a .json file`] };
  }
  return validateRulePack(data);
}

/** Exports a rule pack as stable, human-editable JSON text. */
export function exportRulePack(pack: RulePack): string {
  return `${JSON.stringify(RulePackSchema.parse(pack), null, 2)}\n`;
}
