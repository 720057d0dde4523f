import { render } from 'preact';
import { shippedLanguages } from '../utils/i18n';
import { setupPageLanguage } from '../utils/i18n/dom';
import { resolveUiLanguage } from '../utils/i18n/resolve';
import type { KalkanDb } from '../utils/storage/db';
import { openKalkanDb, StorageBlockedError, StorageOpenError } from '../utils/storage/open';

/**
 * Opens Kalkan's database before an extension page renders. When it cannot be opened (an older Kalkan page holds
 * the upgrade, or the browser refuses the open) the page says what to do instead of failing half-drawn; nothing
 * is deleted, so a reload after closing the other page finds every draft. The settings cannot be read then, so
 * the explanation is in the browser's language.
 */
export async function openStorageOrExplain(db: KalkanDb, app: HTMLElement | null, browserLanguage: string): Promise<boolean> {
  try {
    await openKalkanDb(db);
    return true;
  } catch (error) {
    if (!(error instanceof StorageBlockedError || error instanceof StorageOpenError)) throw error;
    console.error('[kalkan]', error.message);
    const t = setupPageLanguage(document, resolveUiLanguage({ surface: 'browser-page', override: null, browserLanguage, shipped: shippedLanguages() }));
    if (app) {
      render(
        <main>
          <h1>{t('kalkan-name')}</h1>
          <p role="alert" data-testid="storage-problem">{t(error.messageKey)}</p>
        </main>,
        app,
      );
    }
    return false;
  }
}
