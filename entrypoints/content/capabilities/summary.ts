import type { Capability } from '../../../utils/capabilities/registry';
import { request } from '../../../utils/messaging/client';
import type { PageRun } from '../run';

/** Tells the background what the page model found, for the toolbar popup. */
async function report(run: PageRun): Promise<void> {
  const model = run.model;
  await request(run.send, {
    type: 'page/summary',
    summary: {
      wikiId: run.profile.wikiId,
      title: run.page.title,
      comments: model?.comments.length ?? 0,
      headings: model?.headings.filter((heading) => !heading.placeholderHeading).length ?? 0,
      source: model ? (model.comments.length ? model.source : 'none') : 'none',
      buildMs: model?.stats.buildMs ?? 0,
    },
  });
}

export const summaryCapability: Capability<PageRun> = {
  id: 'summary',
  appliesTo: () => true,
  init: (run) => report(run),
  update: (run) => report(run),
};
