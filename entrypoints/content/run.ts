import browser from 'webextension-polyfill';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { CapabilityRegistry } from '../../utils/capabilities/registry';
import { createTranslator, directionOf, resolveUiLanguage, shippedLanguages, type Translate } from '../../utils/i18n';
import { contentDirection } from '../../utils/i18n/dom';
import { LanguageCodeSchema } from '../../utils/i18n/resolve';
import { request, type Transport } from '../../utils/messaging/client';
import { LiveBuild } from '../../utils/page-model/live';
import { buildPageModelAsync, threadContainer, type PageModel } from '../../utils/page-model/model';
import { watchPage } from '../../utils/page-model/observer';
import { createParserSetup } from '../../utils/page-model/parser';
import { locateWiki, pageContextFrom, readInlineConfig } from '../../utils/wiki-profile/inline-config';
import type { PageContext, WikiProfile } from '../../utils/wiki-profile/schema';
import { CAPABILITIES } from './capabilities';
import { createOverlay, type Overlay } from './overlay';

/** Everything a capability may read about the current page run. */
export interface PageRun {
  document: Document;
  page: PageContext;
  profile: WikiProfile;
  /** Null where no talk-page model applies (e.g. an article, or an edit form). */
  model: PageModel | null;
  send: Transport;
  /** The one in-page shadow-root surface for controls, badges and highlights. */
  overlay: Overlay;
  /** Number of times the model was (re)built; capabilities use it to skip stale work. */
  generation: number;
  /** Kalkan's interface language on this page (resolveUiLanguage, surface 'in-page'): every capability's text. */
  ui: UiLanguage;
  /** Direction of the page's content, for placing controls beside its text (may differ from ui.dir). */
  contentDir: 'ltr' | 'rtl';
}

export interface UiLanguage {
  code: string;
  dir: 'ltr' | 'rtl';
  t: Translate;
}

/** The in-page interface language: the override (asked from the background), else the wiki's languages. */
async function uiLanguageOf(page: PageContext, profile: WikiProfile): Promise<UiLanguage> {
  let override: string | null = null;
  try {
    const userLanguage = LanguageCodeSchema.safeParse(page.userLanguage).success ? page.userLanguage : null;
    ({ override } = await request(send, { type: 'i18n/language', wikiId: profile.wikiId, userLanguage }));
  } catch (error) {
    // Without the setting the page still gets Kalkan in the wiki's language.
    console.warn('[kalkan] could not read the interface language setting; using the wiki\'s language:', error);
  }
  const code = resolveUiLanguage({
    surface: 'in-page', override, wikiUserLanguage: page.userLanguage, wikiContentLanguage: profile.contentLanguage,
    browserLanguage: browser.i18n.getUILanguage(), shipped: shippedLanguages(),
  });
  return { code, dir: directionOf(code), t: createTranslator(code) };
}

/** Pages whose content is discussion: talk namespaces (odd ids) and project pages such as village pumps. */
export const DISCUSSION_NAMESPACES_EXTRA = new Set([4]);

export function discussionPage(page: PageContext): boolean {
  return page.action === 'view' && (page.namespace % 2 === 1 || DISCUSSION_NAMESPACES_EXTRA.has(page.namespace));
}

/** Name of the performance measure around each model build (read by the Chromium benchmark). */
export const MODEL_MEASURE = 'kalkan:model-build';

const send: Transport = (message) => browser.runtime.sendMessage(message);

export async function runKalkan(ctx: ContentScriptContext): Promise<void> {
  const config = readInlineConfig(document);
  if (!config) return; // Not a MediaWiki page: stay silent.
  const location = locateWiki(document, config);
  if (!location) return;
  const page = pageContextFrom(config, document.documentElement.lang);
  const { profile } = await request(send, { type: 'page/hello', location, page });
  if (ctx.signal.aborted) return;
  const ui = await uiLanguageOf(page, profile);
  if (ctx.signal.aborted) return;

  const setup = createParserSetup(profile);
  const modelled = discussionPage(page) || document.querySelector('[data-mw-comment-start]') !== null;
  const root = modelled ? threadContainer(document) : null;
  const buildModel = async (): Promise<PageModel | null> => {
    if (!root) return null;
    const started = performance.now();
    // In short slices: the 1,311-comment archive would otherwise block the page for one long task.
    const model = await buildPageModelAsync(root, profile, page.title, { setup, signal: ctx.signal });
    // Visible in the page's performance timeline, so benchmarks can attribute main-thread time to Kalkan; e2e
    // builds only, as the page could read it to learn that this reader runs Kalkan (tests/unit/hardening/probe.test.ts).
    const { busyMs, slices, longestSliceMs, comments } = model.stats;
    if (__KALKAN_E2E__) performance.measure(MODEL_MEASURE, { start: started, end: performance.now(), detail: { busyMs, slices, longestSliceMs, comments } });
    return model;
  };

  const registry = new CapabilityRegistry<PageRun>((failure) =>
    console.error(`[kalkan] capability "${failure.id}" failed during ${failure.phase}:`, failure.error),
  );
  for (const capability of CAPABILITIES) registry.register(capability);
  const live = new LiveBuild(buildModel, ctx.signal, (error) => {
    console.error('[kalkan] could not read the changed page; reload it to bring Kalkan up to date:', error);
  });
  // Watch before the first build and before starting capabilities: neither may leave the model stale.
  if (root) watchPage(root, () => live.changed(), { signal: ctx.signal });

  let model: PageModel | null;
  try {
    model = await live.first();
  } catch (error) {
    if (ctx.signal.aborted) return; // the content script was stopped mid-build (extension reloaded)
    throw error;
  }
  if (ctx.signal.aborted) return;
  const run: PageRun = {
    document, page, profile, model, send, generation: 1, ui, contentDir: contentDirection(document, profile.dir),
    overlay: createOverlay(document, ctx.signal, { lang: ui.code, dir: ui.dir }),
  };
  live.listen((rebuilt) => {
    run.model = rebuilt;
    run.generation += 1;
    void registry.update(run, ctx.signal);
    run.overlay.requestRelayout();
  });
  await registry.start(run, ctx.signal);
}
