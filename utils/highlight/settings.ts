import { z } from 'zod';
import { CATEGORIES } from '../detection/types';

/**
 * Highlighting settings: a default for every wiki plus per-wiki overrides. Stored in extension storage only
 * (the background reads and writes them); parsed on every read, and a damaged field falls back to its default
 * instead of switching the feature off or failing the page (STYLE.md principle 10).
 */

/** Categories the user can switch on or off: the rule categories plus the learned model's 'toxicity'. */
export const HIGHLIGHT_CATEGORIES = [...CATEGORIES, 'toxicity'] as const;
export const HighlightCategorySchema = z.enum(HIGHLIGHT_CATEGORIES);
export type HighlightCategory = z.infer<typeof HighlightCategorySchema>;

/** Lowest and highest flag threshold the settings accept (below 0.2 nearly everything is flagged). */
export const MIN_THRESHOLD = 0.2;
export const MAX_THRESHOLD = 0.95;
/** The named sensitivity steps the options page offers (score at or above which a comment is flagged). */
export const SENSITIVITY_THRESHOLDS = { high: 0.35, medium: 0.5, low: 0.7 } as const;
export type Sensitivity = keyof typeof SENSITIVITY_THRESHOLDS;

export const DEFAULT_HIGHLIGHT_SETTINGS = {
  enabled: true,
  threshold: SENSITIVITY_THRESHOLDS.medium,
  categories: [...HIGHLIGHT_CATEGORIES],
  blur: false,
} satisfies { enabled: boolean; threshold: number; categories: HighlightCategory[]; blur: boolean };

export const HighlightSettingsSchema = z.object({
  enabled: z.boolean().catch(DEFAULT_HIGHLIGHT_SETTINGS.enabled),
  threshold: z.number().min(MIN_THRESHOLD).max(MAX_THRESHOLD).catch(DEFAULT_HIGHLIGHT_SETTINGS.threshold),
  // Unknown categories (from a newer version) are dropped; the rest is kept.
  categories: z.array(z.string()).transform((list) => [...new Set(list)].filter((c): c is HighlightCategory =>
    HighlightCategorySchema.safeParse(c).success)).catch([...DEFAULT_HIGHLIGHT_SETTINGS.categories]),
  /** Blur flagged comments until the reader clicks "show". */
  blur: z.boolean().catch(DEFAULT_HIGHLIGHT_SETTINGS.blur),
});
export type HighlightSettings = z.infer<typeof HighlightSettingsSchema>;

/** Most per-wiki overrides kept (each is a few dozen bytes; this is a guard against a runaway writer). */
export const MAX_WIKI_OVERRIDES = 500;

export const StoredHighlightSettingsSchema = z.object({
  version: z.literal(1).catch(1),
  defaults: HighlightSettingsSchema.catch({ ...DEFAULT_HIGHLIGHT_SETTINGS, categories: [...DEFAULT_HIGHLIGHT_SETTINGS.categories] }),
  wikis: z.record(z.string().min(1), z.unknown()).catch({}).transform((raw) => {
    const out: Record<string, HighlightSettings> = {};
    for (const [wikiId, value] of Object.entries(raw).slice(0, MAX_WIKI_OVERRIDES)) {
      const parsed = HighlightSettingsSchema.safeParse(value);
      // A record that is not even an object is dropped: the wiki then uses the defaults.
      if (parsed.success && typeof value === 'object' && value !== null) out[wikiId] = parsed.data;
    }
    return out;
  }),
});
export type StoredHighlightSettings = z.infer<typeof StoredHighlightSettingsSchema>;

export function defaultStoredSettings(): StoredHighlightSettings {
  return { version: 1, defaults: { ...DEFAULT_HIGHLIGHT_SETTINGS, categories: [...DEFAULT_HIGHLIGHT_SETTINGS.categories] }, wikis: {} };
}

/** Reads whatever storage held (nothing, an old shape, garbage) into valid settings. */
export function readStoredSettings(raw: unknown): StoredHighlightSettings {
  if (raw === undefined || raw === null || typeof raw !== 'object') return defaultStoredSettings();
  const parsed = StoredHighlightSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : defaultStoredSettings();
}

/** The settings that apply on one wiki. */
export function settingsForWiki(stored: StoredHighlightSettings, wikiId: string): HighlightSettings {
  return stored.wikis[wikiId] ?? stored.defaults;
}

/** Sets the defaults (wikiId null) or one wiki's override; `settings` null removes the override. */
export function withSettings(stored: StoredHighlightSettings, wikiId: string | null, settings: HighlightSettings | null): StoredHighlightSettings {
  if (wikiId === null) return { ...stored, defaults: settings ?? defaultStoredSettings().defaults };
  const wikis = { ...stored.wikis };
  if (settings) wikis[wikiId] = settings;
  else delete wikis[wikiId];
  return { ...stored, wikis };
}

/** The named step closest to a threshold (the options page shows steps, storage keeps the number). */
export function sensitivityOf(threshold: number): Sensitivity {
  let best: Sensitivity = 'medium';
  for (const [name, value] of Object.entries(SENSITIVITY_THRESHOLDS) as Array<[Sensitivity, number]>) {
    if (Math.abs(value - threshold) < Math.abs(SENSITIVITY_THRESHOLDS[best] - threshold)) best = name;
  }
  return best;
}
