import { z } from 'zod';
import type { PageContext, Viewer } from './schema';

/**
 * Reads MediaWiki's inline page configuration (`RLCONF={…};` in a <script> of the page head) as TEXT. Kalkan
 * never runs page code and never reads page JavaScript objects: a gadget could have changed them.
 */

/** Longest RLCONF text we parse; real pages carry 2–20 KB. */
export const MAX_INLINE_CONFIG_CHARS = 512 * 1024;

export const InlineConfigSchema = z
  .object({
    wgPageName: z.string(),
    wgNamespaceNumber: z.number().int(),
    wgArticleId: z.number().int().optional(),
    wgRevisionId: z.number().int().optional(),
    wgCurRevisionId: z.number().int().optional(),
    wgAction: z.string().optional(),
    wgUserName: z.string().nullable().optional(),
    wgUserIsTemp: z.boolean().optional(),
    wgUserLanguage: z.string().optional(),
    wgPageContentLanguage: z.string().optional(),
    wgContentLanguage: z.string().optional(),
    wgArticlePath: z.string().optional(),
    wgScriptPath: z.string().optional(),
    wgServer: z.string().optional(),
    wgDefaultDateFormat: z.string().optional(),
    wgMonthNames: z.array(z.string()).optional(),
    wgDigitTransformTable: z.array(z.string()).optional(),
    wgRelevantPageName: z.string().optional(),
  })
  .passthrough();
export type InlineConfig = z.infer<typeof InlineConfigSchema>;

/** Finds `RLCONF=` in script text and returns the JSON object literal that follows, or null. */
export function extractRlconf(scriptText: string): unknown {
  const start = scriptText.indexOf('RLCONF=');
  if (start < 0) return null;
  const open = scriptText.indexOf('{', start);
  if (open < 0) return null;
  let depth = 0;
  let inString = false;
  const limit = Math.min(scriptText.length, open + MAX_INLINE_CONFIG_CHARS);
  for (let i = open; i < limit; i += 1) {
    const char = scriptText[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) {
        try {
          return JSON.parse(scriptText.slice(open, i + 1)) as unknown;
        } catch (error) {
          // MediaWiki writes RLCONF as JSON; anything else is not something we can trust.
          if (error instanceof SyntaxError) return null;
          throw error;
        }
      }
    }
  }
  return null;
}

/** Reads the inline configuration from a document's scripts (as text), validated. */
export function readInlineConfig(doc: Document): InlineConfig | null {
  for (const script of Array.from(doc.querySelectorAll('script:not([src])'))) {
    const text = script.textContent ?? '';
    if (!text.includes('RLCONF=')) continue;
    const parsed = InlineConfigSchema.safeParse(extractRlconf(text));
    if (parsed.success) return parsed.data;
  }
  return null;
}

export function viewerFrom(config: InlineConfig): Viewer {
  if (!config.wgUserName) return { kind: 'anonymous' };
  return config.wgUserIsTemp ? { kind: 'temporary', name: config.wgUserName } : { kind: 'registered', name: config.wgUserName };
}

export function pageContextFrom(config: InlineConfig, documentLanguage: string): PageContext {
  return {
    title: config.wgPageName.replace(/_/g, ' '),
    namespace: config.wgNamespaceNumber,
    pageId: config.wgArticleId && config.wgArticleId > 0 ? config.wgArticleId : null,
    revisionId: config.wgRevisionId && config.wgRevisionId > 0 ? config.wgRevisionId : (config.wgCurRevisionId ?? null) || null,
    action: config.wgAction ?? 'view',
    userLanguage: config.wgUserLanguage ?? (documentLanguage || 'en'),
    viewer: viewerFrom(config),
  };
}

/** Where api.php lives, from the page's own links (<link rel="EditURI">) or the inline config. */
export function locateWiki(doc: Document, config: InlineConfig | null): { origin: string; scriptPath: string } | null {
  const origin = doc.location?.origin;
  if (!origin || origin === 'null') return null;
  let scriptPath = config?.wgScriptPath;
  if (scriptPath === undefined) {
    const editUri = doc.querySelector('link[rel="EditURI"]')?.getAttribute('href') ?? '';
    const match = /^(?:https?:)?(?:\/\/[^/]+)?(.*)\/api\.php/.exec(editUri);
    scriptPath = match ? (match[1] ?? '') : undefined;
  }
  if (scriptPath === undefined) {
    const search = doc.querySelector('form#searchform, form[action$="index.php"]')?.getAttribute('action') ?? '';
    const match = /^(?:https?:)?(?:\/\/[^/]+)?(.*)\/index\.php/.exec(search);
    scriptPath = match ? (match[1] ?? '') : undefined;
  }
  if (scriptPath === undefined) return null;
  return { origin, scriptPath };
}
