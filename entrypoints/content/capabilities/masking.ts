import type { Capability } from '../../../utils/capabilities/registry';
import { request } from '../../../utils/messaging/client';
import { buildOwnIdentifierIndex, type OwnIdentifierIndex } from '../../../utils/masking/own-identifiers';
import { regionsFor } from '../../../utils/masking/regions';
import { MaskingController } from '../masking/controller';
import { FIELD_SELECTORS } from '../masking/fields';
import { watchUploadMetadata } from '../masking/upload-metadata';
import type { PageRun } from '../run';

/** Actions that open the wikitext editor. */
const EDIT_ACTIONS = new Set(['edit', 'submit']);
/** The upload form, where a file description is published too. */
const UPLOAD_FORM = '#mw-upload-form';

/** A page where the user is about to publish: the logged-out notice is shown before anything is typed. */
export function isEditPage(run: Pick<PageRun, 'page' | 'document'>): boolean {
  return EDIT_ACTIONS.has(run.page.action) || run.document.querySelector(UPLOAD_FORM) !== null;
}

async function loadOwn(run: PageRun): Promise<OwnIdentifierIndex | null> {
  try {
    const { own } = await request(run.send, { type: 'masking/own-hashes' });
    return own && own.entries.length > 0 ? buildOwnIdentifierIndex(own) : null;
  } catch (error) {
    // The pattern detectors still run; only the user's own listed details are not matched on this page.
    console.warn('[kalkan] your own details could not be loaded; reload the page to check for them too.', error);
    return null;
  }
}

/**
 * Account-masking helpers: identifying details in edit fields are counted as the user types and, decisively,
 * held at save with a dialog (mask, edit, publish anyway); logged-out editors are told what becomes public first.
 * It applies on every page: DiscussionTools opens its reply box on ordinary talk-page views.
 */
export const maskingCapability: Capability<PageRun> = {
  id: 'masking',
  appliesTo: (run) => isEditPage(run) || run.page.action === 'view',
  init: async (run, signal) => {
    // Photos chosen on the upload form are checked for their GPS position (independent of the text fields).
    if (run.document.querySelector(UPLOAD_FORM)) watchUploadMetadata({ doc: run.document, overlay: run.overlay, t: run.ui.t, signal });
    const hasStaticField = FIELD_SELECTORS.some(([, selector]) => run.document.querySelector(selector));
    const own = await loadOwn(run);
    if (signal.aborted) return;
    const controller = new MaskingController({
      doc: run.document,
      overlay: run.overlay,
      t: run.ui.t,
      scanOptions: { lang: run.profile.contentLanguage, regions: regionsFor(run.profile.contentLanguage, navigator.languages) },
      own,
      viewer: run.page.viewer,
      // A preview's text is the user's own unsaved draft, not the published page.
      baselineFromInitialText: run.page.action !== 'submit',
      warnOnLoad: isEditPage(run) && hasStaticField,
      signal,
    });
    controller.start();
  },
};
