import { useEffect, useState } from 'preact/hooks';
import type { ScreenshotSafeState } from '../utils/masking/messages';
import { useT } from './I18nContext';

export interface ScreenshotSafeButtonProps {
  /** Asks the active tab's content script; rejects when Kalkan does not run there. */
  getState: () => Promise<ScreenshotSafeState>;
  toggle: () => Promise<ScreenshotSafeState>;
  /** The keyboard shortcut as the browser has it set, or "" when none. */
  loadShortcut: () => Promise<string>;
}

/** Popup control of the screenshot-safe view (user names → "User A", "User B"… on the current page). */
export function ScreenshotSafeButton({ getState, toggle, loadShortcut }: ScreenshotSafeButtonProps) {
  const t = useT();
  const [state, setState] = useState<ScreenshotSafeState | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [shortcut, setShortcut] = useState('');
  useEffect(() => {
    // No content script on this tab (not a wiki, or a page Kalkan does not run on): say so instead of a dead button.
    getState().then(setState, () => setUnavailable(true));
    loadShortcut().then(setShortcut, (error: unknown) => console.warn('[kalkan] could not read the shortcut:', error));
  }, [getState, loadShortcut]);
  if (unavailable) return <p>{t('kalkan-screenshot-unavailable')}</p>;
  const onClick = () => {
    toggle().then(setState, () => setUnavailable(true));
  };
  return (
    <div class="kalkan-screenshot-safe">
      <button type="button" aria-pressed={state?.active ?? false} disabled={state === null} onClick={onClick} data-testid="screenshot-safe-toggle">
        {t(state?.active ? 'kalkan-screenshot-toggle-off' : 'kalkan-screenshot-toggle-on')}
      </button>
      {state?.active && <p role="status">{t('kalkan-screenshot-state', state.names, shortcut || '—')}</p>}
    </div>
  );
}
