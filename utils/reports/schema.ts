import { z } from 'zod';

/**
 * The Kalkan report protocol, version 1: the body of `POST {base}/v1/reports`, the 201 receipt and the
 * problem+json error. One schema serves the extension (before sending), the reference receiver (on arrival) and
 * docs/report.schema.json (generated from it), so the three cannot drift apart.
 */

export const PROTOCOL_VERSION = 1;

/** Limits a receiver may rely on; the extension enforces them before a report is queued. */
export const MAX_DESCRIPTION_CHARS = 5_000;
export const MAX_EVIDENCE_ITEMS = 50;
export const MAX_SNAPSHOT_TEXT_CHARS = 20_000;
export const MAX_SNAPSHOT_HTML_CHARS = 60_000;
export const MAX_TITLE_CHARS = 512;
export const MAX_USERNAME_CHARS = 255;
export const MAX_URL_CHARS = 2_048;
/**
 * Whole request body; a receiver answers 413 above this. The per-item limits alone allow ~4 MB (measured: 50
 * items at the snapshot limits), so the size is also checked as a whole before a report is queued.
 */
export const MAX_REPORT_BYTES = 2_000_000;

/** Wikimedia's incident-reporting categories (Extension:ReportIncident). */
export const HARM_CATEGORIES = [
  'intimidation_aggression',
  'sexual_harassment',
  'doxxing',
  'trolling_hounding',
  'hate_speech_discrimination',
  'spam',
  'something_else',
] as const;
/** Emergencies go to a different venue (e.g. emergency@wikimedia.org), never to a public noticeboard. */
export const EMERGENCY_TYPES = ['threat_physical_harm', 'self_harm', 'public_harm'] as const;

export const HarmCategorySchema = z.enum(HARM_CATEGORIES);
export const EmergencyTypeSchema = z.enum(EMERGENCY_TYPES);

export const HarmSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('incident'), category: HarmCategorySchema }),
  z.object({ kind: z.literal('emergency'), type: EmergencyTypeSchema }),
]);
export type Harm = z.infer<typeof HarmSchema>;

const IsoTime = z.iso.datetime();
const HttpUrl = z.url({ protocol: /^https?$/ }).max(MAX_URL_CHARS);
const PositiveId = z.number().int().positive();
const UserName = z.string().min(1).max(MAX_USERNAME_CHARS);
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256 (64 characters)');

export const WikiRefSchema = z.object({
  /** Same key as the wiki profile: origin + script path, e.g. "https://en.wikipedia.org/w". */
  id: z.string().min(1).max(MAX_URL_CHARS),
  server: HttpUrl,
  contentLanguage: z.string().min(1).max(32),
});
export type WikiRef = z.infer<typeof WikiRefSchema>;

/** Only what the user chose to include; every field may be absent and the whole object may be. */
export const ReporterSchema = z.object({
  username: UserName.optional(),
  email: z.email().max(254).optional(),
  /** The user agrees to be contacted about this report. */
  contactOk: z.boolean().optional(),
});
export type Reporter = z.infer<typeof ReporterSchema>;

export const PermalinkSchema = z.object({
  /** index.php?title=…&oldid=…#anchor: stable even after the thread is archived. */
  url: HttpUrl,
  oldid: PositiveId,
  /** Fragment of the comment (DiscussionTools comment id or heading anchor), without "#". */
  anchor: z.string().max(MAX_TITLE_CHARS).nullable(),
  /** Special:GoToComment/<id> on wikis with DiscussionTools: follows the comment into archives. */
  goToCommentUrl: HttpUrl.nullable(),
});

export const ORIGIN_METHODS = ['dt-compare', 'history-search', 'unknown'] as const;
/** The revision that added the comment, and its diff: what an administrator checks first. */
export const OriginRevisionSchema = z.object({
  revid: PositiveId,
  /** 0 when the comment created the page. */
  parentid: z.number().int().nonnegative(),
  diffUrl: HttpUrl,
  foundBy: z.enum(ORIGIN_METHODS),
});
export type OriginRevision = z.infer<typeof OriginRevisionSchema>;

export const SnapshotSchema = z.object({
  text: z.string().max(MAX_SNAPSHOT_TEXT_CHARS),
  /** Output of sanitizeCommentHtml: allow-listed tags and attributes only. */
  sanitisedHtml: z.string().max(MAX_SNAPSHOT_HTML_CHARS),
});

export const EvidenceItemSchema = z.object({
  author: UserName,
  /** The comment's signature time, UTC. */
  timestamp: IsoTime,
  /** DiscussionTools comment id (c-…); null on wikis or comments without one. */
  commentId: z.string().max(MAX_TITLE_CHARS).nullable(),
  pageTitle: z.string().min(1).max(MAX_TITLE_CHARS),
  pageId: PositiveId,
  /** The revision of the page the user was looking at. */
  revisionId: PositiveId,
  permalink: PermalinkSchema,
  /** null when neither DiscussionTools nor the history search found it. */
  origin: OriginRevisionSchema.nullable(),
  snapshot: SnapshotSchema,
  capturedAt: IsoTime,
  /** SHA-256 of the canonical JSON of this item without `sha256` (see utils/reports/canonical.ts). */
  sha256: Sha256Hex,
});
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;
export type UnhashedEvidenceItem = Omit<EvidenceItem, 'sha256'>;

export const ReportSchema = z.object({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  reportId: z.uuid(),
  createdAt: IsoTime,
  submittedAt: IsoTime,
  wiki: WikiRefSchema,
  reporter: ReporterSchema.optional(),
  harm: HarmSchema,
  description: z.string().max(MAX_DESCRIPTION_CHARS),
  evidence: z.array(EvidenceItemSchema).min(1).max(MAX_EVIDENCE_ITEMS),
});
export type Report = z.infer<typeof ReportSchema>;

/** 201 body. The same Idempotency-Key with the same body always gets the same receipt. */
export const ReceiptSchema = z.object({
  receiptId: z.string().min(1).max(128),
  reportId: z.uuid(),
  receivedAt: IsoTime,
  evidenceCount: z.number().int().nonnegative(),
  status: z.literal('received'),
});
export type Receipt = z.infer<typeof ReceiptSchema>;

/** RFC 9457 problem details (application/problem+json), with the zod issues on 422. */
export const ProblemSchema = z.object({
  type: z.string().min(1),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export function isEmergency(harm: Harm): harm is Extract<Harm, { kind: 'emergency' }> {
  return harm.kind === 'emergency';
}

/** Bytes of the body sendReport will send (UTF-8 JSON). */
export function reportByteLength(report: Report): number {
  return new TextEncoder().encode(JSON.stringify(report)).length;
}

export class ReportTooLargeError extends Error {
  override name = 'ReportTooLargeError';
  /** i18n key, the same one the outbox uses for a 413. */
  readonly messageKey = 'kalkan-report-error-too-large';

  constructor(readonly bytes: number) {
    super(`The report is ${bytes} bytes; the limit is ${MAX_REPORT_BYTES}. Remove some evidence items or shorten them.`);
  }
}
