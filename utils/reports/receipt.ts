import { z } from 'zod';
import { MAX_TITLE_CHARS, MAX_URL_CHARS, MAX_USERNAME_CHARS, ReceiptSchema } from './schema';

/**
 * What proves a delivery. A private endpoint answers with its protocol receipt (status "received"); a public
 * noticeboard has no receiver, so the proof is the wiki's own revision of the edit that added the section
 * (status "posted"). One discriminated union, so stored receipts of both kinds validate on read.
 */

export const NOTICEBOARD_RECEIPT_SOURCES = [
  /** action=edit answered with the new revision. */
  'edit',
  /** A retry found the report's marker already on the page, and the revision whose summary carries its tag. */
  'marker',
  /** The marker is on the page but no revision in the history window carries the tag: the page's revision then. */
  'marker-current',
] as const;

const HttpUrl = z.url({ protocol: /^https?$/ }).max(MAX_URL_CHARS);

export const NoticeboardReceiptSchema = z.object({
  status: z.literal('posted'),
  reportId: z.uuid(),
  /** Revision id of the edit that added the section (see `foundBy`). */
  revid: z.number().int().positive(),
  /** The page title as the wiki normalised it (e.g. "Project:" becomes the project namespace's name). */
  pageTitle: z.string().min(1).max(MAX_TITLE_CHARS),
  sectionTitle: z.string().min(1).max(MAX_TITLE_CHARS),
  /** index.php?title=…&oldid=REVID#section: the section as posted, even after later edits or archiving. */
  permalink: HttpUrl,
  /** index.php?diff=REVID: exactly what the edit added. */
  diffUrl: HttpUrl,
  /** The account the wiki posted it as (null when only the marker was found). */
  postedAs: z.string().min(1).max(MAX_USERNAME_CHARS).nullable(),
  postedAt: z.iso.datetime(),
  foundBy: z.enum(NOTICEBOARD_RECEIPT_SOURCES),
});
export type NoticeboardReceipt = z.infer<typeof NoticeboardReceiptSchema>;

export const DeliveryReceiptSchema = z.discriminatedUnion('status', [ReceiptSchema, NoticeboardReceiptSchema]);
export type DeliveryReceipt = z.infer<typeof DeliveryReceiptSchema>;

/** The short text a person quotes for a receipt: the receiver's id, or the wiki revision. */
export function receiptLabel(receipt: DeliveryReceipt): string {
  return receipt.status === 'received' ? receipt.receiptId : `oldid=${receipt.revid}`;
}
