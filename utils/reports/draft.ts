import { z } from 'zod';
import { buildPermalink } from './history';
import {
  MAX_EVIDENCE_ITEMS,
  MAX_SNAPSHOT_HTML_CHARS,
  MAX_SNAPSHOT_TEXT_CHARS,
  MAX_TITLE_CHARS,
  MAX_USERNAME_CHARS,
  PROTOCOL_VERSION,
  ReportSchema,
  type EvidenceItem,
  type Harm,
  type OriginRevision,
  type Report,
  type Reporter,
  type UnhashedEvidenceItem,
  type WikiRef,
} from './schema';

/**
 * From a click on a comment to a report: what the content script captures (it has the DOM), how the background
 * turns a capture into an evidence item, how items join a draft, and how a draft becomes a report. Pure: time,
 * the wiki's URLs and the adding revision are arguments.
 */

/** Comments one click may capture (a thread heading captures the whole thread, up to this many). */
export const MAX_CAPTURES_PER_REQUEST = MAX_EVIDENCE_ITEMS;

/**
 * One comment as the content script saw it. Everything here comes from the hostile page, so the background
 * checks it against the sender and the schema before it becomes evidence.
 */
export const CapturedCommentSchema = z.object({
  /** DiscussionTools-compatible id from the page model (c-…), or null. */
  commentId: z.string().min(1).max(MAX_TITLE_CHARS).nullable(),
  /** Fragment to link to: the DT comment id on DT wikis, else the thread heading's anchor; null when none. */
  anchor: z.string().min(1).max(MAX_TITLE_CHARS).nullable(),
  /** True when the wiki has DiscussionTools (its markers were on the page): Special:GoToComment then works. */
  discussionTools: z.boolean(),
  author: z.string().min(1).max(MAX_USERNAME_CHARS),
  timestamp: z.iso.datetime(),
  pageTitle: z.string().min(1).max(MAX_TITLE_CHARS),
  pageId: z.number().int().positive(),
  revisionId: z.number().int().positive(),
  text: z.string().max(MAX_SNAPSHOT_TEXT_CHARS),
  sanitisedHtml: z.string().max(MAX_SNAPSHOT_HTML_CHARS),
  capturedAt: z.iso.datetime(),
  /** The user reported a selected part of the comment rather than the whole of it. */
  partial: z.boolean(),
});
export type CapturedComment = z.infer<typeof CapturedCommentSchema>;

/** Cuts text to a limit without splitting a surrogate pair, marking the cut. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

export interface WikiUrls {
  /** e.g. "https://en.wikipedia.org/w/index.php" */
  indexPhpUrl: string;
  /** e.g. "https://en.wikipedia.org/wiki/$1" */
  articleUrlTemplate: string;
}

export function wikiUrls(origin: string, scriptPath: string, articlePath: string): WikiUrls {
  return { indexPhpUrl: `${origin}${scriptPath}/index.php`, articleUrlTemplate: `${origin}${articlePath}` };
}

export function buildUnhashedEvidence(captured: CapturedComment, urls: WikiUrls, origin: OriginRevision | null): UnhashedEvidenceItem {
  return {
    author: captured.author,
    timestamp: captured.timestamp,
    commentId: captured.commentId,
    pageTitle: captured.pageTitle,
    pageId: captured.pageId,
    revisionId: captured.revisionId,
    permalink: buildPermalink({
      indexPhpUrl: urls.indexPhpUrl,
      // GoToComment exists only where DiscussionTools is installed; elsewhere it would be a dead link.
      articleUrlTemplate: captured.discussionTools ? urls.articleUrlTemplate : undefined,
      title: captured.pageTitle,
      oldid: captured.revisionId,
      anchor: captured.anchor,
      commentId: captured.commentId,
    }),
    origin,
    snapshot: { text: captured.text, sanitisedHtml: captured.sanitisedHtml },
    capturedAt: captured.capturedAt,
  };
}

/** Two captures of the same comment in the same revision with the same snapshot are one piece of evidence. */
export function sameEvidence(a: EvidenceItem, b: EvidenceItem): boolean {
  return (
    a.pageId === b.pageId &&
    a.revisionId === b.revisionId &&
    a.author === b.author &&
    a.timestamp === b.timestamp &&
    a.snapshot.text === b.snapshot.text
  );
}

export interface MergeResult {
  evidence: EvidenceItem[];
  added: number;
  duplicates: number;
  /** Items left out because the report already holds MAX_EVIDENCE_ITEMS. */
  overLimit: number;
}

export function mergeEvidence(existing: readonly EvidenceItem[], incoming: readonly EvidenceItem[]): MergeResult {
  const evidence = [...existing];
  let added = 0;
  let duplicates = 0;
  let overLimit = 0;
  for (const item of incoming) {
    if (evidence.some((present) => sameEvidence(present, item))) duplicates += 1;
    else if (evidence.length >= MAX_EVIDENCE_ITEMS) overLimit += 1;
    else {
      evidence.push(item);
      added += 1;
    }
  }
  return { evidence, added, duplicates, overLimit };
}

/** What the report form edits; evidence is added by the background and removed item by item. */
export interface DraftFields {
  harm: Harm | null;
  description: string;
  reporter: Reporter | null;
  destinationId: string | null;
}

export interface DraftLike extends DraftFields {
  id: string;
  wiki: WikiRef;
  createdAt: number;
  evidence: EvidenceItem[];
}

/** Why a draft cannot be submitted yet; each is an i18n key the form shows beside the field. */
export type SubmitProblem =
  | 'kalkan-report-problem-harm'
  | 'kalkan-report-problem-evidence'
  | 'kalkan-report-problem-destination'
  | 'kalkan-report-problem-invalid'
  /** An emergency with a public noticeboard chosen (before the emergency): never posted publicly. */
  | 'kalkan-report-problem-emergency-public';

export type DraftToReport = { ok: true; report: Report } | { ok: false; problems: SubmitProblem[]; detail: string };

function reporterOrUndefined(reporter: Reporter | null): Reporter | undefined {
  if (!reporter) return undefined;
  const kept = Object.fromEntries(Object.entries(reporter).filter(([, value]) => value !== undefined && value !== ''));
  return Object.keys(kept).length ? (kept as Reporter) : undefined;
}

export function draftToReport(draft: DraftLike, now: number): DraftToReport {
  const problems: SubmitProblem[] = [];
  if (!draft.harm) problems.push('kalkan-report-problem-harm');
  if (draft.evidence.length === 0) problems.push('kalkan-report-problem-evidence');
  if (!draft.destinationId) problems.push('kalkan-report-problem-destination');
  if (problems.length || !draft.harm) return { ok: false, problems, detail: '' };
  const candidate = {
    protocolVersion: PROTOCOL_VERSION,
    reportId: draft.id,
    createdAt: new Date(draft.createdAt).toISOString(),
    submittedAt: new Date(now).toISOString(),
    wiki: draft.wiki,
    reporter: reporterOrUndefined(draft.reporter),
    harm: draft.harm,
    description: draft.description,
    evidence: draft.evidence,
  };
  const parsed = ReportSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      problems: ['kalkan-report-problem-invalid'],
      detail: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    };
  }
  return { ok: true, report: parsed.data };
}
