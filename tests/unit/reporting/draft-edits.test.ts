import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EndpointDestination } from '../../../utils/reports/destinations';
import type { KalkanDb } from '../../../utils/storage/db';
import { addEvidenceToDraft, reopenFailedReport, removeEvidenceItem, updateDraftFields } from '../../../utils/storage/draft-edits';
import { claimDueReports, completeSend, enqueueReport, getDraft } from '../../../utils/storage/repository';
import { makeReport, sealedItem } from '../reports/fixtures';
import { freshDb } from '../storage/helpers';

const wiki = { id: 'https://test.wikipedia.org/w', server: 'https://test.wikipedia.org', contentLanguage: 'en' };
const destination: EndpointDestination = { kind: 'endpoint', id: 'team', label: 'Team', baseUrl: 'https://r.example.org', private: true };

let db: KalkanDb;
beforeEach(() => {
  db = freshDb();
});
afterEach(() => db.close());

describe('draft edits from several contexts', () => {
  it('starts a draft, appends to it, and starts another one for a different wiki', async () => {
    const first = await addEvidenceToDraft(db, { currentDraftId: null, wiki, items: [await sealedItem({ author: 'A' })], now: 1 });
    expect(first).toMatchObject({ created: true, added: 1 });
    const second = await addEvidenceToDraft(db, { currentDraftId: first.draft.id, wiki, items: [await sealedItem({ author: 'B' })], now: 2 });
    expect(second).toMatchObject({ created: false, added: 1 });
    expect(second.draft.id).toBe(first.draft.id);
    expect(second.draft.evidence.map((item) => item.author)).toEqual(['A', 'B']);
    const other = { ...wiki, id: 'https://de.wikipedia.org/w', server: 'https://de.wikipedia.org' };
    const third = await addEvidenceToDraft(db, { currentDraftId: first.draft.id, wiki: other, items: [await sealedItem()], now: 3 });
    expect(third.created).toBe(true);
    expect(third.draft.id).not.toBe(first.draft.id);
  });

  it('field saves from the form never drop evidence the background added meanwhile', async () => {
    const { draft } = await addEvidenceToDraft(db, { currentDraftId: null, wiki, items: [await sealedItem({ author: 'A' })], now: 1 });
    // The form loaded the draft with one item; the background adds a second before the form autosaves.
    await addEvidenceToDraft(db, { currentDraftId: draft.id, wiki, items: [await sealedItem({ author: 'B' })], now: 2 });
    const saved = await updateDraftFields(db, draft.id, { harm: { kind: 'incident', category: 'spam' }, description: 'typed', reporter: null, destinationId: 'team' }, 3);
    expect(saved?.evidence.map((item) => item.author)).toEqual(['A', 'B']);
    expect(saved?.description).toBe('typed');
    const removed = await removeEvidenceItem(db, draft.id, saved?.evidence[0]?.sha256 ?? '', 4);
    expect(removed?.evidence.map((item) => item.author)).toEqual(['B']);
    expect(await updateDraftFields(db, '6f1c2a7e-3b4d-4c5e-8f90-00000000dead', { harm: null, description: '', reporter: null, destinationId: null }, 5)).toBeNull();
  });

  it('a report refused for good comes back as the same draft, and its outbox entry goes', async () => {
    const report = await makeReport({ description: 'keep me' });
    await enqueueReport(db, { report, destination, now: 1 });
    expect(await getDraft(db, report.reportId)).toBeNull();
    expect(await reopenFailedReport(db, report.reportId, 2)).toBeNull(); // still queued: not reopened
    await claimDueReports(db, 2);
    await completeSend(db, report.reportId, { kind: 'permanent', reason: 'kalkan-report-error-unauthorized', httpStatus: 401 }, 3);
    const draft = await reopenFailedReport(db, report.reportId, 4);
    expect(draft).toMatchObject({ id: report.reportId, description: 'keep me', destinationId: 'team', harm: report.harm });
    expect(draft?.evidence).toEqual(report.evidence);
    expect(await db.outbox.get(report.reportId)).toBeUndefined();
  });
});
