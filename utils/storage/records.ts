import { z } from 'zod';
import { EndpointDestinationSchema, DestinationsSettingSchema, NoticeboardDestinationSchema } from '../reports/destinations';
import { NoticeboardPostSchema } from '../reports/noticeboard-post';
import { DeliveryReceiptSchema } from '../reports/receipt';
import { OutboxStateSchema } from '../reports/outbox';
import {
  EvidenceItemSchema,
  HarmSchema,
  MAX_DESCRIPTION_CHARS,
  ReportSchema,
  ReporterSchema,
  WikiRefSchema,
} from '../reports/schema';
import { TargetingSettingSchema, DEFAULT_TARGETING_SETTING } from '../targeting/schema';
import { DEFAULT_LANGUAGE_SETTING, LanguageSettingSchema } from '../i18n/resolve';

/** Shapes of stored records (current schema version). Every read is parsed with these; failures go to quarantine. */

const EpochMs = z.number().int().nonnegative();

/** A report being written. Looser than ReportSchema: harm and evidence may still be missing. */
export const DraftRecordSchema = z.object({
  /** Becomes the report id when submitted. */
  id: z.uuid(),
  /** Indexed copy of wiki.id (added in database version 2). */
  wikiId: z.string().min(1),
  wiki: WikiRefSchema,
  createdAt: EpochMs,
  updatedAt: EpochMs,
  harm: HarmSchema.nullable(),
  description: z.string().max(MAX_DESCRIPTION_CHARS),
  evidence: z.array(EvidenceItemSchema),
  reporter: ReporterSchema.nullable(),
  destinationId: z.string().nullable(),
});
export type DraftRecord = z.infer<typeof DraftRecordSchema>;

/** Version-1 drafts: no wikiId, updatedAt and createdAt as ISO strings. Kept only for the migration. */
export const DraftRecordV1Schema = DraftRecordSchema.omit({ wikiId: true, createdAt: true, updatedAt: true }).extend({
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type DraftRecordV1 = z.infer<typeof DraftRecordV1Schema>;

export const OutboxRecordSchema = z
  .object({
    /** The report id: one outbox entry per report, which is what makes a double submit harmless. */
    id: z.uuid(),
    report: ReportSchema,
    destination: z.discriminatedUnion('kind', [EndpointDestinationSchema, NoticeboardDestinationSchema]),
    /** Made once when the report is queued, reused for every attempt (on a noticeboard: inside the marker). */
    idempotencyKey: z.string().min(1).max(255),
    /** Noticeboards only: the exact section the user saw and confirmed; every attempt posts this text. */
    noticeboardPost: NoticeboardPostSchema.optional(),
    createdAt: EpochMs,
    state: OutboxStateSchema,
  })
  .refine((record) => (record.destination.kind === 'noticeboard') === (record.noticeboardPost !== undefined), {
    message: 'a noticeboard entry needs the confirmed section (and only a noticeboard entry has one)',
    path: ['noticeboardPost'],
  });
export type OutboxRecord = z.infer<typeof OutboxRecordSchema>;

/** What stays after retention removes a sent report's content: proof of delivery, no evidence text. */
export const ReceiptRecordSchema = z.object({
  reportId: z.uuid(),
  receipt: DeliveryReceiptSchema,
  destinationId: z.string(),
  destinationLabel: z.string(),
  wikiId: z.string(),
  harm: HarmSchema,
  sentAt: EpochMs,
});
export type ReceiptRecord = z.infer<typeof ReceiptRecordSchema>;

/** Each settings key has its own schema; unknown keys are refused on write and quarantined on read. */
export const SETTING_SCHEMAS = {
  destinations: DestinationsSettingSchema,
  targeting: TargetingSettingSchema,
  /** "Interface language": Automatic (null) or a language code; see utils/i18n/resolve.ts. */
  language: LanguageSettingSchema,
} as const;
export type SettingKey = keyof typeof SETTING_SCHEMAS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTING_SCHEMAS)[K]>;
export const SETTING_DEFAULTS: { [K in SettingKey]: SettingValue<K> } = {
  destinations: { global: [], perWiki: {} },
  targeting: DEFAULT_TARGETING_SETTING,
  language: DEFAULT_LANGUAGE_SETTING,
};

export const SettingRecordSchema = z.object({ key: z.string().min(1), value: z.unknown() });
export type SettingRecord = z.infer<typeof SettingRecordSchema>;

export const QUARANTINE_SOURCES = ['drafts', 'outbox', 'receipts', 'settings', 'interactions'] as const;
export const QuarantineRecordSchema = z.object({
  id: z.number().int().optional(),
  source: z.enum(QUARANTINE_SOURCES),
  /** Primary key the record had in its table. */
  key: z.string(),
  /** The record exactly as it was read, so nothing the user wrote is lost. */
  raw: z.unknown(),
  /** Why it failed validation (zod's message). */
  issues: z.string(),
  quarantinedAt: EpochMs,
});
export type QuarantineRecord = z.infer<typeof QuarantineRecordSchema>;
