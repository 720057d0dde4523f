import { sealEvidence } from '../reports/canonical';
import { buildPermalink } from '../reports/history';
import { MAX_DESCRIPTION_CHARS, MAX_EVIDENCE_ITEMS, type EvidenceItem, type OriginRevision } from '../reports/schema';
import { DraftRecordSchema, type DraftRecord } from '../storage/records';
import type { TimelineEntry } from './rank';

/**
 * "Add to report" in the patroller view: a report draft (the shape utils/storage saves and the report form
 * opens) holding the comments of one pair's timeline as evidence. The log keeps no comment text, so snapshots
 * are empty; the permalink (revision + comment anchor) and, when found, the adding revision's diff are what
 * an administrator follows. Hounding is preselected as the harm; the user can change it in the form.
 */

export interface PairDraftInput {
  id: string;
  entries: readonly TimelineEntry[];
  now: number;
  /** Already localised (the report goes to people who read the user's language). */
  description: string;
  /** The revision that added each comment, by comment id, where the history search found it. */
  origins?: ReadonlyMap<string, OriginRevision | null>;
}

export interface PairDraftResult {
  draft: DraftRecord;
  /** Comments left out: over MAX_EVIDENCE_ITEMS, or seen without a page id or revision id. */
  skipped: number;
}

/** Flagged comments first (they matter most when the evidence limit cuts), then oldest first. */
export function evidenceOrder(entries: readonly TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort((a, b) => Number(b.flagged) - Number(a.flagged) || a.utcMs - b.utcMs);
}

export async function draftFromTimeline(input: PairDraftInput): Promise<PairDraftResult> {
  const first = input.entries[0];
  if (!first) throw new Error('There are no comments to add to a report: choose a pair with at least one comment.');
  const wiki = { id: first.record.wikiId, server: first.record.server, contentLanguage: first.record.contentLanguage };
  const capturedAt = new Date(input.now).toISOString();
  const evidence: EvidenceItem[] = [];
  let skipped = 0;
  for (const entry of evidenceOrder(input.entries)) {
    const r = entry.record;
    if (evidence.length >= MAX_EVIDENCE_ITEMS || !r.pageId || !r.revisionId || r.wikiId !== wiki.id) {
      skipped += 1;
      continue;
    }
    evidence.push(await sealEvidence({
      author: r.from,
      timestamp: new Date(r.utcMs).toISOString(),
      commentId: r.commentId,
      pageTitle: r.pageTitle,
      pageId: r.pageId,
      revisionId: r.revisionId,
      permalink: buildPermalink({ indexPhpUrl: `${r.server}${r.scriptPath}/index.php`, title: r.pageTitle, oldid: r.revisionId, anchor: r.commentId, commentId: r.commentId }),
      origin: input.origins?.get(r.commentId) ?? null,
      snapshot: { text: '', sanitisedHtml: '' },
      capturedAt,
    }));
  }
  const draft = DraftRecordSchema.parse({
    id: input.id,
    wikiId: wiki.id,
    wiki,
    createdAt: input.now,
    updatedAt: input.now,
    harm: { kind: 'incident', category: 'trolling_hounding' },
    description: input.description.slice(0, MAX_DESCRIPTION_CHARS),
    evidence,
    reporter: null,
    destinationId: null,
  });
  return { draft, skipped };
}
