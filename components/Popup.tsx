import { useEffect, useState } from 'preact/hooks';
import type { PageSummary } from '../utils/messaging/protocol';
import { useT } from './I18nContext';

export interface PopupProps {
  loadSummary: () => Promise<PageSummary | null>;
  openOptions: () => void;
}

type State = { kind: 'loading' } | { kind: 'ready'; summary: PageSummary | null } | { kind: 'error'; message: string };

export function Popup({ loadSummary, openOptions }: PopupProps) {
  const t = useT();
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    loadSummary().then(
      (summary) => setState({ kind: 'ready', summary }),
      (error: unknown) => setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  }, [loadSummary]);

  return (
    <main class="kalkan-popup">
      <h1>{t('kalkan-popup-title')}</h1>
      <div role="status" aria-live="polite" data-testid="popup-status">
        {state.kind === 'error' && <p>{t('kalkan-error-generic', state.message)}</p>}
        {state.kind === 'ready' && !state.summary && <p>{t('kalkan-popup-not-wiki')}</p>}
        {state.kind === 'ready' && state.summary && (
          <>
            <p class="kalkan-popup-title-line"><bdi>{state.summary.title}</bdi></p>
            <p data-testid="popup-count" data-comments={state.summary.comments}>
              {t('kalkan-popup-comments', state.summary.comments, state.summary.headings)}
            </p>
            <p class="kalkan-popup-source">{t(`kalkan-popup-source-${state.summary.source}`)}</p>
            {state.summary.flagged !== undefined && (
              <p data-testid="popup-flagged" data-flagged={state.summary.flagged}>{t('kalkan-highlight-popup-flagged', state.summary.flagged)}</p>
            )}
          </>
        )}
      </div>
      <button type="button" onClick={openOptions}>{t('kalkan-popup-options')}</button>
    </main>
  );
}
