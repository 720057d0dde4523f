import browser from 'webextension-polyfill';
import { createDetector, type Detector } from '../../utils/detection/detector';
import { exportRulePack, importRulePack, validateRulePack, type RulePack } from '../../utils/detection/rule-pack';
import { BUILTIN_LANGUAGES, builtinPacks } from '../../utils/detection/rule-packs/index';
import type { DetectionResult } from '../../utils/detection/types';
import { FlaggedRecordSchema, type HighlightState, type PackSummary } from '../../utils/highlight/messages';
import { readStoredSettings, settingsForWiki, withSettings, type HighlightCategory, type StoredHighlightSettings } from '../../utils/highlight/settings';
import { RequestError } from '../../utils/messaging/router';
import { PROFILE_KEY_PREFIX, type KeyValueStore } from '../../utils/wiki-profile/cache';
import type { HandlerMap } from './handlers';

/**
 * Highlighting in the background: the detector runs here (off the wiki page's main thread, with the user's own
 * rule packs, which never reach the page's process), and the settings live in extension storage.
 */
export const SETTINGS_KEY = 'highlight:settings';
export const PACKS_KEY = 'highlight:packs';
const FLAGGED_KEY_PREFIX = 'flagged:';
/** User rule packs kept (each may hold up to 500 rules; every pack of the page's language is matched per comment). */
export const MAX_USER_PACKS = 20;

export interface HighlightDeps {
  local: KeyValueStore & { getAll(): Promise<Record<string, unknown>> };
  session: KeyValueStore;
  /** Tells open wiki tabs that the settings changed (they re-read them and re-score). */
  broadcast(): Promise<void>;
}

type HighlightTypes = 'highlight/config' | 'highlight/score' | 'highlight/flagged' | 'highlight/settings/get' | 'highlight/settings/set'
  | 'highlight/packs/import' | 'highlight/packs/export' | 'highlight/packs/remove' | 'highlight/tab-flagged';

function summary(pack: RulePack): PackSummary {
  return { lang: pack.lang, name: pack.name, source: pack.source, license: pack.license, rules: pack.rules.length };
}

export function createHighlightHandlers(deps: HighlightDeps): HandlerMap<HighlightTypes> {
  let detector: Detector | null = null;

  const readSettings = async (): Promise<StoredHighlightSettings> => readStoredSettings((await deps.local.get(SETTINGS_KEY))[SETTINGS_KEY]);

  /** User packs, each validated again on read; a pack that no longer validates is skipped and reported once. */
  const readPacks = async (): Promise<RulePack[]> => {
    const raw = (await deps.local.get(PACKS_KEY))[PACKS_KEY];
    const packs: RulePack[] = [];
    for (const item of Array.isArray(raw) ? raw : []) {
      const checked = validateRulePack(item);
      if (checked.ok) packs.push(checked.pack);
      else console.error('[kalkan] a stored rule pack is invalid and is not used; import it again:', checked.errors);
    }
    return packs;
  };

  const getDetector = async (): Promise<Detector> => {
    // Built once per background lifetime (loading the model takes ~50 ms), again only after the packs change.
    detector ??= createDetector({ extraPacks: await readPacks() });
    return detector;
  };

  const state = async (): Promise<HighlightState> => {
    const all = await deps.local.getAll();
    const wikis = Object.keys(all).filter((key) => key.startsWith(PROFILE_KEY_PREFIX)).map((key) => key.slice(PROFILE_KEY_PREFIX.length)).sort();
    return { settings: await readSettings(), wikis, packs: (await readPacks()).map(summary), builtinLanguages: BUILTIN_LANGUAGES };
  };

  const savePacks = async (packs: RulePack[]): Promise<void> => {
    await deps.local.set({ [PACKS_KEY]: packs });
    detector = null;
    await deps.broadcast();
  };

  return {
    'highlight/config': async (request) => {
      const settings = settingsForWiki(await readSettings(), request.wikiId);
      return { enabled: settings.enabled, blur: settings.blur, threshold: settings.threshold };
    },
    'highlight/score': async (request) => {
      const settings = settingsForWiki(await readSettings(), request.wikiId);
      // Only flagged comments are answered: the page's main thread validates every answer, and on a 1,000-comment
      // page a null per unflagged comment was most of that work. A comment left out was scored and not flagged.
      if (!settings.enabled) return { results: [] };
      const enabled = new Set<string>(settings.categories satisfies HighlightCategory[]);
      const detect = await getDetector();
      const results: Array<{ id: string; result: DetectionResult }> = [];
      for (const item of request.items) {
        const result = detect.detect(item.text, { lang: request.lang, quotedRanges: item.quoted, threshold: settings.threshold });
        // A comment is shown only when it is flagged AND its category is one the user wants to see.
        if (result.flagged && enabled.has(result.category)) results.push({ id: item.id, result });
      }
      return { results };
    },
    'highlight/flagged': async (request, { sender }) => {
      const tabId = sender.tab?.id;
      if (tabId !== undefined) {
        await deps.session.set({ [FLAGGED_KEY_PREFIX + tabId]: { wikiId: request.wikiId, title: request.title, flagged: request.flagged } });
      }
      return { recorded: true };
    },
    'highlight/tab-flagged': async (request) => {
      const key = FLAGGED_KEY_PREFIX + request.tabId;
      const parsed = FlaggedRecordSchema.safeParse((await deps.session.get(key))[key]);
      return { record: parsed.success ? parsed.data : null };
    },
    'highlight/settings/get': () => state(),
    'highlight/settings/set': async (request) => {
      await deps.local.set({ [SETTINGS_KEY]: withSettings(await readSettings(), request.wikiId, request.settings) });
      await deps.broadcast();
      return state();
    },
    'highlight/packs/import': async (request) => {
      const imported = importRulePack(request.json);
      if (!imported.ok) return { errors: imported.errors, state: await state() };
      const packs = (await readPacks()).filter((p) => !(p.lang === imported.pack.lang && p.name === imported.pack.name));
      if (packs.length >= MAX_USER_PACKS) {
        return { errors: [`(pack): Kalkan keeps at most ${MAX_USER_PACKS} rule packs; remove one before importing another.`], state: await state() };
      }
      await savePacks([...packs, imported.pack]);
      return { errors: [], state: await state() };
    },
    'highlight/packs/export': async (request) => {
      const pack = request.source === 'builtin'
        ? builtinPacks().get(request.lang)
        : (await readPacks()).find((p) => p.lang === request.lang && (request.name === undefined || p.name === request.name));
      if (!pack) throw new RequestError('invalid-message', `There is no ${request.source === 'builtin' ? 'built-in' : 'imported'} rule pack for "${request.lang}"; pick one from the list.`);
      return { json: exportRulePack(pack) };
    },
    'highlight/packs/remove': async (request) => {
      await savePacks((await readPacks()).filter((p) => !(p.lang === request.lang && p.name === request.name)));
      return state();
    },
  };
}

async function broadcastSettingsChanged(): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(tabs.map(async (tab) => {
    if (tab.id === undefined) return;
    try {
      await browser.tabs.sendMessage(tab.id, { type: 'highlight/settings-changed' });
    } catch (error) {
      // Most tabs have no Kalkan content script ("Receiving end does not exist"): nothing to tell them.
      if (!(error instanceof Error)) throw error;
    }
  }));
}

export const highlightHandlers = createHighlightHandlers({
  local: {
    get: (key) => browser.storage.local.get(key),
    set: (items) => browser.storage.local.set(items),
    remove: (key) => browser.storage.local.remove(key),
    getAll: () => browser.storage.local.get(null),
  },
  session: {
    get: (key) => browser.storage.session.get(key),
    set: (items) => browser.storage.session.set(items),
    remove: (key) => browser.storage.session.remove(key),
  },
  broadcast: broadcastSettingsChanged,
});
