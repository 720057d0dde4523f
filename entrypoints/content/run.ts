import browser from 'webextension-polyfill';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { CapabilityRegistry } from '../../utils/capabilities/registry';
import { request, type Transport } from '../../utils/messaging/client';
import { buildPageModel, type PageModel } from '../../utils/page-model/model';
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

  const setup = createParserSetup(profile);
  const buildModel = (): PageModel | null => {
    if (!discussionPage(page) && !document.querySelector('[data-mw-comment-start]')) return null;
    const started = performance.now();
    const model = buildPageModel(document, profile, page.title, { setup });
    // Visible in the page's performance timeline, so benchmarks can attribute main-thread time to Kalkan.
    performance.measure(MODEL_MEASURE, { start: started, end: performance.now() });
    return model;
  };
  const run: PageRun = { document, page, profile, model: buildModel(), send, overlay: createOverlay(document, ctx.signal), generation: 1 };

  const registry = new CapabilityRegistry<PageRun>((failure) =>
    console.error(`[kalkan] capability "${failure.id}" failed during ${failure.phase}:`, failure.error),
  );
  for (const capability of CAPABILITIES) registry.register(capability);

  // Watch before starting capabilities: a slow capability start must not leave the model stale.
  if (run.model) {
    watchPage(run.model.root, () => {
      run.model = buildModel();
      run.generation += 1;
      void registry.update(run, ctx.signal);
      run.overlay.requestRelayout();
    }, { signal: ctx.signal });
  }
  await registry.start(run, ctx.signal);
}
