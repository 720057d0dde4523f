// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStorageOrExplain } from '../../../components/StorageGate';
import { KalkanDb } from '../../../utils/storage/db';
import { brokenIndexedDb, freshName } from './helpers';


describe('openStorageOrExplain', () => {
  it('opens a healthy database and draws nothing', async () => {
    const app = document.createElement('div');
    const db = new KalkanDb(freshName());
    expect(await openStorageOrExplain(db, app, 'en-US')).toBe(true);
    expect(db.isOpen()).toBe(true);
    expect(app.textContent).toBe('');
    db.close();
  });

  it.each([
    ['en-US', /could not open Kalkan's storage/, 'ltr'],
    ['ru', /[А-Яа-я]/, 'ltr'],
    ['ar', /[\u0600-\u06FF]/, 'rtl'],
  ])('a database the browser refuses: the page explains what to do, in the browser language (%s)', async (language, text, dir) => {
    const app = document.createElement('div');
    const db = new KalkanDb(freshName(), { indexedDB: brokenIndexedDb, IDBKeyRange });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      expect(await openStorageOrExplain(db, app, language)).toBe(false);
    } finally {
      console.error = original;
    }
    const alert = app.querySelector('[role="alert"][data-testid="storage-problem"]');
    expect(alert?.textContent ?? '').toMatch(text);
    expect(document.documentElement.dir).toBe(dir);
    expect(errors).toHaveLength(1);
  });
});
