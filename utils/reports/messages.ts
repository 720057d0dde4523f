import { z } from 'zod';
import { NoticeboardDestinationSchema } from './destinations';
import { CapturedCommentSchema, MAX_CAPTURES_PER_REQUEST } from './draft';
import { NoticeboardCheckSchema } from './noticeboard-post';
import { MAX_EVIDENCE_ITEMS, MAX_USERNAME_CHARS } from './schema';

/**
 * Reporting's part of the message protocol (composed in utils/messaging/protocol.ts).
 * - `report/add-evidence` comes from content scripts (unprivileged): comments the user chose to report, as the
 *   page showed them. The answer holds counts and the draft id only — never draft content.
 * - `report/send-now` comes from the report form and the reports page (extension origin): run the outbox now.
 * - `report/noticeboard-check` comes from the report form (extension origin) before a PUBLIC posting: the
 *   background reads the noticeboard and the user's session on that wiki the same way the posting will.
 */

const LocationSchema = z.object({
  origin: z.string().url(),
  scriptPath: z.string().regex(/^(\/[^?#]*)?$/),
});

export const ReportAddEvidenceRequestSchema = z.object({
  type: z.literal('report/add-evidence'),
  location: LocationSchema,
  items: z.array(CapturedCommentSchema).min(1).max(MAX_CAPTURES_PER_REQUEST),
});
export const ReportSendNowRequestSchema = z.object({ type: z.literal('report/send-now') });
export const ReportNoticeboardCheckRequestSchema = z.object({
  type: z.literal('report/noticeboard-check'),
  destination: NoticeboardDestinationSchema,
  users: z.array(z.string().min(1).max(MAX_USERNAME_CHARS)).min(1).max(MAX_EVIDENCE_ITEMS),
});

const Count = z.number().int().nonnegative();

export const ReportResponseSchemas = {
  'report/add-evidence': z.object({ draftId: z.uuid(), evidenceCount: Count, added: Count, duplicates: Count, overLimit: Count }),
  'report/send-now': z.object({ sent: Count, retrying: Count, failed: Count, nextWakeMs: z.number().nonnegative().nullable() }),
  'report/noticeboard-check': NoticeboardCheckSchema,
} as const;
