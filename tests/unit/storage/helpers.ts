import 'fake-indexeddb/auto';
import { KalkanDb } from '../../../utils/storage/db';
import type { DraftRecord } from '../../../utils/storage/records';

let counter = 0;
/** A fresh database per test: fake-indexeddb keeps databases for the whole test file. */
export function freshName(): string {
  counter += 1;
  return `kalkan-test-${process.pid}-${counter}-${Math.random().toString(36).slice(2)}`;
}

export function freshDb(): KalkanDb {
  return new KalkanDb(freshName());
}

export function draft(overrides: Partial<DraftRecord> = {}): DraftRecord {
  return {
    id: '6f1c2a7e-3b4d-4c5e-8f90-123456789abc',
    wikiId: 'https://test.wikipedia.org/w',
    wiki: { id: 'https://test.wikipedia.org/w', server: 'https://test.wikipedia.org', contentLanguage: 'en' },
    createdAt: 1_000,
    updatedAt: 2_000,
    harm: null,
    description: 'half written',
    evidence: [],
    reporter: null,
    destinationId: null,
    ...overrides,
  };
}

/** An IndexedDB whose every open fails the way a damaged browser profile does. */
export const brokenIndexedDb = {
  open: () => {
    throw new DOMException('Internal error opening backing store', 'UnknownError');
  },
  deleteDatabase: () => {
    throw new DOMException('no', 'UnknownError');
  },
  cmp: (a: unknown, b: unknown) => indexedDB.cmp(a, b),
  databases: () => Promise.resolve([]),
} as unknown as IDBFactory;
