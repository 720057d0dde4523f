import { mergeEvidence, type DraftFields, type MergeResult } from '../reports/draft';
import type { EvidenceItem, WikiRef } from '../reports/schema';
import type { KalkanDb } from './db';
import { guardQuota } from './errors';
import { DraftRecordSchema, OutboxRecordSchema, type DraftRecord } from './records';

/**
 * Edits of one draft that several extension contexts make at the same time: the background appends evidence
 * (a click on the wiki page) while the report form autosaves the fields the user types. Each edit is a
 * read-modify-write inside one read-write transaction, so neither overwrites the other's part.
 */

export interface AddEvidenceInput {
  /** The draft the user is working on, if any; a new draft is started when it is gone or for another wiki. */
  currentDraftId: string | null;
  wiki: WikiRef;
  items: readonly EvidenceItem[];
  now: number;
  /** Normally left out: a fresh UUID, which becomes the report id. */
  newId?: string;
}

export interface AddEvidenceResult extends Omit<MergeResult, 'evidence'> {
  draft: DraftRecord;
  created: boolean;
}

export function emptyDraft(id: string, wiki: WikiRef, now: number): DraftRecord {
  return {
    id,
    wikiId: wiki.id,
    wiki,
    createdAt: now,
    updatedAt: now,
    harm: null,
    description: '',
    evidence: [],
    reporter: null,
    destinationId: null,
  };
}

export async function addEvidenceToDraft(db: KalkanDb, input: AddEvidenceInput): Promise<AddEvidenceResult> {
  return guardQuota('add the comment to the report', () =>
    db.transaction('rw', db.drafts, async () => {
      const raw: unknown = input.currentDraftId ? await db.drafts.get(input.currentDraftId) : undefined;
      const parsed = DraftRecordSchema.safeParse(raw);
      // A report is about one wiki (its schema has one `wiki`): evidence from another wiki starts a new draft.
      const reuse = parsed.success && parsed.data.wikiId === input.wiki.id;
      const base = reuse ? parsed.data : emptyDraft(input.newId ?? globalThis.crypto.randomUUID(), input.wiki, input.now);
      const { evidence, ...counts } = mergeEvidence(base.evidence, input.items);
      const draft = DraftRecordSchema.parse({ ...base, evidence, updatedAt: input.now });
      await db.drafts.put(draft);
      return { draft, created: !reuse, ...counts };
    }),
  );
}

/** Saves what the form edits, leaving the evidence as it is in the database. Returns null if the draft is gone. */
export async function updateDraftFields(db: KalkanDb, id: string, fields: DraftFields, now: number): Promise<DraftRecord | null> {
  return guardQuota('save the draft', () =>
    db.transaction('rw', db.drafts, async () => {
      const parsed = DraftRecordSchema.safeParse(await db.drafts.get(id));
      if (!parsed.success) return null;
      const draft = DraftRecordSchema.parse({ ...parsed.data, ...fields, updatedAt: now });
      await db.drafts.put(draft);
      return draft;
    }),
  );
}

export async function removeEvidenceItem(db: KalkanDb, id: string, sha256: string, now: number): Promise<DraftRecord | null> {
  return guardQuota('save the draft', () =>
    db.transaction('rw', db.drafts, async () => {
      const parsed = DraftRecordSchema.safeParse(await db.drafts.get(id));
      if (!parsed.success) return null;
      const draft = { ...parsed.data, evidence: parsed.data.evidence.filter((item) => item.sha256 !== sha256), updatedAt: now };
      await db.drafts.put(draft);
      return draft;
    }),
  );
}

/**
 * Turns a report that failed for good (e.g. 401: wrong token) back into a draft with the same id, so the user
 * can fix the cause and submit again; the failed outbox entry goes in the same transaction. Returns null when
 * the entry is not a failed one (it may have been sent meanwhile).
 */
export async function reopenFailedReport(db: KalkanDb, id: string, now: number): Promise<DraftRecord | null> {
  return guardQuota('reopen the report', () =>
    db.transaction('rw', [db.outbox, db.drafts], async () => {
      const parsed = OutboxRecordSchema.safeParse(await db.outbox.get(id));
      if (!parsed.success || parsed.data.state.status !== 'failed') return null;
      const { report, destination } = parsed.data;
      const draft = DraftRecordSchema.parse({
        id: report.reportId,
        wikiId: report.wiki.id,
        wiki: report.wiki,
        createdAt: Date.parse(report.createdAt),
        updatedAt: now,
        harm: report.harm,
        description: report.description,
        evidence: report.evidence,
        reporter: report.reporter ?? null,
        destinationId: destination.id,
      });
      await db.drafts.put(draft);
      await db.outbox.delete(id);
      return draft;
    }),
  );
}

/** Deletes one outbox entry (a failed or sent report the user no longer wants to keep). */
export async function deleteOutboxEntry(db: KalkanDb, id: string): Promise<void> {
  await db.outbox.delete(id);
}
