import type { KalkanDb } from './db';

/**
 * Opening the database with failures the user can act on. Two things stop an open without any data being wrong:
 * another tab or window still holds an older version open (the upgrade waits, "blocked"), or the browser cannot
 * open the database at all (the profile's storage is damaged or switched off). (A database written by a newer
 * Kalkan is not an error: Dexie 4 opens it at its own version, tested in tests/unit/storage/faults.test.ts.) Both are
 * reported as errors that say what to do; neither deletes or rewrites anything, so a later open finds every record.
 */

/** How long an upgrade may wait for other connections to close before the user is told (they usually close at once). */
export const OPEN_BLOCKED_GRACE_MS = 3_000;

export const STORAGE_BLOCKED_MESSAGE_KEY = 'kalkan-storage-upgrade-blocked';
export const STORAGE_OPEN_FAILED_MESSAGE_KEY = 'kalkan-storage-open-failed';

export class StorageBlockedError extends Error {
  override name = 'StorageBlockedError';
  /** i18n key: "Kalkan is updating its storage, but an older Kalkan page is still open. Close …, then reload." */
  readonly messageKey = STORAGE_BLOCKED_MESSAGE_KEY;

  constructor(readonly heldVersion: number) {
    super(
      `Kalkan's storage update is waiting: another tab or window still has version ${heldVersion} open. ` +
        'Close other Kalkan pages (options, reports, patroller view) or restart the browser, then reload. Nothing was changed.',
    );
  }
}

export class StorageOpenError extends Error {
  override name = 'StorageOpenError';
  /** i18n key: "Kalkan could not open its storage. Restart the browser and reload…" */
  readonly messageKey = STORAGE_OPEN_FAILED_MESSAGE_KEY;

  constructor(options: { cause: unknown }) {
    super(
      `The browser could not open Kalkan's storage (${describe(options.cause)}). Restart the browser and reload; ` +
        'if it keeps failing, check that the browser allows site data for extensions. Nothing was deleted.',
      options,
    );
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Opens `db`. Rejects with StorageBlockedError when the upgrade is still blocked after `graceMs` (the pending open
 * is then cancelled, so it cannot finish half-way later), and with StorageOpenError when the browser refuses.
 */
export async function openKalkanDb(db: KalkanDb, graceMs: number = OPEN_BLOCKED_GRACE_MS): Promise<KalkanDb> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onBlocked: ((event: IDBVersionChangeEvent) => void) | undefined;
  const blocked = new Promise<never>((_resolve, reject) => {
    onBlocked = (event) => {
      timer ??= setTimeout(() => {
        db.close();
        reject(new StorageBlockedError(Math.floor(event.oldVersion / 10)));
      }, graceMs);
    };
    db.on('blocked', onBlocked);
  });
  try {
    return (await Promise.race([db.open(), blocked])) as KalkanDb;
  } catch (error) {
    if (error instanceof StorageBlockedError) throw error;
    throw new StorageOpenError({ cause: error });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (onBlocked) db.on('blocked').unsubscribe(onBlocked);
    blocked.catch(() => undefined);
  }
}
