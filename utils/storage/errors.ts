/**
 * Storage failures the user can act on. Browsers raise QuotaExceededError when the profile's disk budget is
 * spent; Dexie passes it on under the same name (sometimes wrapped, with the original as `inner`).
 */

export const STORAGE_QUOTA_MESSAGE_KEY = 'kalkan-storage-quota-exceeded';

export class StorageQuotaError extends Error {
  override name = 'StorageQuotaError';
  /** i18n key: "Your browser has no space left for Kalkan. Export and delete old reports, then try again." */
  readonly messageKey = STORAGE_QUOTA_MESSAGE_KEY;

  constructor(readonly operation: string, options?: { cause?: unknown }) {
    super(`Browser storage is full while trying to ${operation}. Export and delete old drafts or reports, then retry.`, options);
  }
}

export function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const named = error as { name?: unknown; inner?: unknown };
  if (named.name === 'QuotaExceededError') return true;
  return named.inner !== undefined && named.inner !== error && isQuotaError(named.inner);
}

/** Runs a write and turns a quota failure into StorageQuotaError; anything else is rethrown unchanged. */
export async function guardQuota<T>(operation: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageQuotaError(operation, { cause: error });
    throw error;
  }
}
