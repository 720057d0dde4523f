import { z } from 'zod';
import { CapturedCommentSchema, MAX_CAPTURES_PER_REQUEST } from './draft';

/**
 * Reporting's part of the message protocol (composed in utils/messaging/protocol.ts).
 * - `report/add-evidence` comes from content scripts (unprivileged): comments the user chose to report, as the
 *   page showed them. The answer holds counts and the draft id only — never draft content.
 * - `report/send-now` comes from the report form and the reports page (extension origin): run the outbox now.
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

const Count = z.number().int().nonnegative();

export const ReportResponseSchemas = {
  'report/add-evidence': z.object({ draftId: z.uuid(), evidenceCount: Count, added: Count, duplicates: Count, overLimit: Count }),
  'report/send-now': z.object({ sent: Count, retrying: Count, failed: Count, nextWakeMs: z.number().nonnegative().nullable() }),
} as const;
