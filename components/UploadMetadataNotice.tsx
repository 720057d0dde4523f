import type { ExifItem, ExifItemKind } from '../utils/masking/exif-location';
import { isolate } from '../utils/i18n/bidi';
import { useT } from './I18nContext';

/**
 * The upload form's metadata notice, in the overlay's shadow root: what a chosen photo would publish about where
 * it was taken and who took it, with one button to remove it; then what was removed. Buttons and Kalkan's own
 * words only (the file name is isolated text, never markup).
 */

/** Decimal places of a shown coordinate: about 10 m, enough for the user to recognise the place. */
const COORDINATE_DIGITS = 4;

export type UploadNoticeState =
  | { kind: 'found'; fileName: string; items: readonly ExifItem[]; busy: boolean }
  | { kind: 'removed'; fileName: string; items: readonly ExifItem[]; wholeSegment: boolean }
  | { kind: 'unreadable'; fileName: string }
  | { kind: 'too-large'; fileName: string; megabytes: number }
  | { kind: 'failed'; fileName: string };

export interface UploadMetadataNoticeProps {
  state: UploadNoticeState;
  onRemove(): void;
  onDismiss(): void;
}

/** One message per item kind, spelled out so every key is findable (tests/unit/i18n/messages.test.ts). */
const ITEM_KEYS: Record<ExifItemKind, string> = {
  'gps': 'kalkan-upload-meta-item-gps',
  'xmp-gps': 'kalkan-upload-meta-item-xmp-gps',
  'artist': 'kalkan-upload-meta-item-artist',
  'copyright': 'kalkan-upload-meta-item-copyright',
  'xp-author': 'kalkan-upload-meta-item-xp-author',
  'host-computer': 'kalkan-upload-meta-item-host-computer',
  'owner-name': 'kalkan-upload-meta-item-owner-name',
  'body-serial': 'kalkan-upload-meta-item-body-serial',
  'lens-serial': 'kalkan-upload-meta-item-lens-serial',
  'camera-serial': 'kalkan-upload-meta-item-camera-serial',
};

function itemText(t: ReturnType<typeof useT>, item: ExifItem): string {
  if (item.kind === 'gps' && item.coordinates) {
    return t('kalkan-upload-meta-item-gps-at', item.coordinates.latitude.toFixed(COORDINATE_DIGITS),
      item.coordinates.longitude.toFixed(COORDINATE_DIGITS));
  }
  return t(ITEM_KEYS[item.kind]);
}

export function UploadMetadataNotice({ state, onRemove, onDismiss }: UploadMetadataNoticeProps) {
  const t = useT();
  const file = isolate(state.fileName);
  const hasLocation = 'items' in state && state.items.some((item) => item.kind === 'gps' || item.kind === 'xmp-gps');
  const list = 'items' in state && (
    <ul class="kalkan-upload-items">
      {state.items.map((item) => <li key={item.kind} data-kind={item.kind}>{itemText(t, item)}</li>)}
    </ul>
  );
  return (
    <section class="kalkan-upload-notice" role={state.kind === 'removed' ? 'status' : 'alert'}
      aria-labelledby="kalkan-upload-notice-title" data-testid="upload-metadata" data-state={state.kind}>
      {state.kind === 'found' && <>
        <h2 id="kalkan-upload-notice-title">{t(hasLocation ? 'kalkan-upload-meta-title-location' : 'kalkan-upload-meta-title-details')}</h2>
        <p>{t('kalkan-upload-meta-intro', file)}</p>
        {list}
        <p>{t('kalkan-upload-meta-public')}</p>
        <div class="kalkan-upload-actions">
          <button type="button" class="kalkan-primary" data-action="remove-metadata" disabled={state.busy} onClick={onRemove}>
            {t(hasLocation ? 'kalkan-upload-meta-remove-location' : 'kalkan-upload-meta-remove-details')}
          </button>
          <button type="button" data-action="keep-metadata" onClick={onDismiss}>{t('kalkan-upload-meta-keep')}</button>
        </div>
      </>}
      {state.kind === 'removed' && <>
        <h2 id="kalkan-upload-notice-title">{t('kalkan-upload-meta-done-title')}</h2>
        <p>{t('kalkan-upload-meta-done', file)}</p>
        {list}
        {state.wholeSegment && <p>{t('kalkan-upload-meta-done-whole')}</p>}
        <div class="kalkan-upload-actions">
          <button type="button" data-action="close" onClick={onDismiss}>{t('kalkan-upload-meta-close')}</button>
        </div>
      </>}
      {(state.kind === 'unreadable' || state.kind === 'too-large' || state.kind === 'failed') && <>
        <h2 id="kalkan-upload-notice-title">{t('kalkan-upload-meta-unknown-title')}</h2>
        <p>{state.kind === 'too-large'
          ? t('kalkan-upload-meta-too-large', file, state.megabytes)
          : t(state.kind === 'failed' ? 'kalkan-upload-meta-failed' : 'kalkan-upload-meta-unreadable', file)}</p>
        <div class="kalkan-upload-actions">
          <button type="button" data-action="close" onClick={onDismiss}>{t('kalkan-upload-meta-close')}</button>
        </div>
      </>}
    </section>
  );
}

/**
 * In the window's top inline-end corner: on Special:Upload that is where the file's preview sits, so the file
 * input, the description and the Upload button stay uncovered while it is open. Codex tokens as in MaskingViews (defined per overlay layer; the values after the comma are fallbacks). */
export const UPLOAD_NOTICE_CSS = `
.kalkan-upload-notice {
  position: fixed; inset-block-start: 8px; inset-inline-end: 16px; inline-size: min(420px, 92vw); max-block-size: 80vh; overflow: auto;
  box-sizing: border-box; padding: 12px 16px; font: 14px/1.4 system-ui, sans-serif; color: var(--color-base, #202122);
  background: var(--background-color-warning-subtle, #fef6e7); border: 1px solid var(--border-color-warning, #a66200);
  border-radius: 2px; box-shadow: 0 2px 8px rgba(0,0,0,.2);
}
.kalkan-upload-notice[data-state="removed"] {
  background: var(--background-color-success-subtle, #dff2eb); border-color: var(--border-color-success, #099979);
}
.kalkan-upload-notice h2 { font-size: 16px; margin-block: 0 6px; }
.kalkan-upload-notice p { margin-block: 0 6px; }
.kalkan-upload-items { margin-block: 0 6px; padding-inline-start: 20px; }
.kalkan-upload-actions { display: flex; flex-wrap: wrap; gap: 8px; }
.kalkan-upload-notice button {
  min-block-size: 32px; padding-inline: 12px; border: 1px solid var(--border-color-interactive, #72777d); border-radius: 2px;
  background: var(--background-color-interactive-subtle, #f8f9fa); color: var(--color-base, #202122); font: inherit; cursor: pointer;
}
.kalkan-upload-notice button.kalkan-primary {
  background: var(--background-color-progressive, #36c); border-color: var(--border-color-progressive, #36c); color: var(--color-inverted-fixed, #fff);
}
.kalkan-upload-notice button:focus-visible { outline: 2px solid var(--outline-color-progressive--focus, #36c); outline-offset: 1px; }
`;
