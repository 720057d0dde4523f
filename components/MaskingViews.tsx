import { useEffect, useRef } from 'preact/hooks';
import type { Finding } from '../utils/masking/schema';
import { useT } from './I18nContext';
import { LiveRegion } from './LiveRegion';
import { isolate } from '../utils/i18n/bidi';

/**
 * In-page views of the masking helpers, rendered into the overlay's shadow root. They show buttons and excerpts of
 * the user's own text only — never an input: anything the user types stays in the wiki's editor (or in an
 * extension page), so nothing here can be read by the page as a form of Kalkan's.
 */

/** Characters of context shown around a finding in the dialog. */
export const EXCERPT_CONTEXT = 32;

export interface DialogItem {
  key: string;
  fieldKind: 'wikitext' | 'summary' | 'reply' | 'visual' | 'upload';
  finding: Finding;
  before: string;
  after: string;
}

export interface MaskingDialogProps {
  items: readonly DialogItem[];
  /** True when the dialog holds a save (the publish buttons are shown); false when opened from the badge. */
  holding: boolean;
  anonymous: boolean;
  onMask(item: DialogItem): void;
  onMaskAll(): void;
  onEdit(item: DialogItem): void;
  onPublish(): void;
  onClose(): void;
}

const TYPE_KEY: Record<Finding['type'], string> = {
  EMAIL: 'email', PHONE: 'phone', IP: 'ip', URL: 'url', HANDLE: 'handle', ADDRESS: 'address',
  DATE_OF_BIRTH: 'date-of-birth', COORDINATES: 'coordinates', PERSON: 'person',
};

export function typeLabelKey(type: Finding['type']): string {
  return `kalkan-pii-type-${TYPE_KEY[type]}`;
}

export function MaskingDialog(props: MaskingDialogProps) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    // showModal puts the dialog in the top layer and makes the page inert behind it; Escape closes it.
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const { items } = props;
  return (
    <dialog ref={ref} class="kalkan-masking-dialog" aria-labelledby="kalkan-masking-dialog-title" data-testid="masking-dialog"
      onCancel={(event) => { event.preventDefault(); props.onClose(); }}>
      <h2 id="kalkan-masking-dialog-title">{t('kalkan-masking-dialog-title')}</h2>
      {props.anonymous && <p class="kalkan-masking-anon">{t('kalkan-masking-dialog-anon')}</p>}
      {items.length > 0
        ? <p>{t('kalkan-masking-dialog-intro', items.length)}</p>
        : <p role="status" data-testid="masking-clear">{t('kalkan-masking-dialog-clear')}</p>}
      <ul class="kalkan-masking-items">
        {items.map((item) => (
          <li key={item.key} data-type={item.finding.type} data-testid="masking-item">
            <div class="kalkan-masking-item-head">
              <strong>{t(typeLabelKey(item.finding.type))}</strong>
              <span class="kalkan-masking-field">{t(`kalkan-masking-dialog-field-${item.fieldKind}`)}</span>
            </div>
            <p class="kalkan-masking-excerpt" dir="auto">
              <bdi>{item.before}</bdi><mark><bdi>{item.finding.text}</bdi></mark><bdi>{item.after}</bdi>
            </p>
            <p class="kalkan-masking-reason">{t(item.finding.reason.key, ...item.finding.reason.params)}</p>
            <div class="kalkan-masking-actions">
              <button type="button" data-action="mask" aria-label={t('kalkan-masking-mask-label', item.finding.text)}
                onClick={() => props.onMask(item)}>{t('kalkan-masking-mask')}</button>
              <button type="button" data-action="edit" aria-label={t('kalkan-masking-edit-label', item.finding.text)}
                onClick={() => props.onEdit(item)}>{t('kalkan-masking-edit')}</button>
            </div>
          </li>
        ))}
      </ul>
      <div class="kalkan-masking-footer">
        {items.length > 1 && <button type="button" data-action="mask-all" onClick={props.onMaskAll}>{t('kalkan-masking-mask-all')}</button>}
        {props.holding && items.length > 0 &&
          <button type="button" data-action="publish-anyway" onClick={props.onPublish}>{t('kalkan-masking-post-anyway')}</button>}
        {props.holding && items.length === 0 &&
          <button type="button" class="kalkan-primary" data-action="publish" onClick={props.onPublish}>{t('kalkan-masking-save-now')}</button>}
        <button type="button" data-action="back" onClick={props.onClose}>{t('kalkan-masking-back')}</button>
      </div>
    </dialog>
  );
}

export interface BadgeView {
  key: string;
  count: number;
  truncated: boolean;
  /** Document coordinates of the badge's block-start / inline-start corner. */
  top: number;
  left: number;
}

export function MaskingBadges({ badges, onOpen }: { badges: readonly BadgeView[]; onOpen(key: string): void }) {
  const t = useT();
  const total = badges.reduce((sum, badge) => sum + badge.count, 0);
  return (
    <>
      <LiveRegion text={t('kalkan-masking-badge', total)} testId="masking-live" />
      {badges.map((badge) => (
        <button key={badge.key} type="button" class="kalkan-masking-badge" data-testid="masking-badge" data-count={badge.count}
          style={{ top: `${badge.top}px`, left: `${badge.left}px` }}
          title={badge.truncated ? t('kalkan-masking-badge-truncated') : undefined}
          onClick={() => onOpen(badge.key)}>
          {t('kalkan-masking-badge', badge.count)}
        </button>
      ))}
    </>
  );
}

export function ExposureWarning({ viewer, onAcknowledge }: { viewer: { kind: 'anonymous' } | { kind: 'temporary'; name: string }; onAcknowledge(): void }) {
  const t = useT();
  return (
    <section class="kalkan-masking-warning" role="alert" aria-labelledby="kalkan-masking-warning-title" data-testid="masking-warning">
      <h2 id="kalkan-masking-warning-title">{t('kalkan-masking-warning-title')}</h2>
      <p>{viewer.kind === 'anonymous' ? t('kalkan-masking-warning-anon') : t('kalkan-masking-warning-temp', isolate(viewer.name))}</p>
      <button type="button" onClick={onAcknowledge}>{t('kalkan-masking-warning-ack')}</button>
    </section>
  );
}

/**
 * Styles for the shadow root: Codex tokens, defined on each overlay layer by entrypoints/content/overlay-theme.ts
 * (dark when the wiki is in night mode); the values after the comma serve views rendered outside the overlay.
 */
export const MASKING_CSS = `
.kalkan-masking-badge, .kalkan-masking-dialog, .kalkan-masking-warning {
  font-family: system-ui, sans-serif; font-size: 14px; line-height: 1.4; color: var(--color-base, #202122);
}
.kalkan-masking-badge {
  position: absolute; z-index: 1; padding-block: 2px; padding-inline: 8px; border-radius: 2px;
  border: 1px solid var(--border-color-warning, #a66200); background: var(--background-color-warning-subtle, #fef6e7); color: var(--color-base, #202122); cursor: pointer; white-space: nowrap;
}
.kalkan-masking-dialog {
  max-inline-size: min(640px, 92vw); max-block-size: 85vh; overflow: auto; padding: 16px 20px; border: 1px solid var(--border-color-base, #a2a9b1);
  border-radius: 2px; background: var(--background-color-base, #fff); box-shadow: 0 4px 16px rgba(0,0,0,.25);
}
.kalkan-masking-dialog::backdrop { background: rgba(32,33,34,.45); }
.kalkan-masking-dialog h2, .kalkan-masking-warning h2 { font-size: 18px; margin-block: 0 8px; }
.kalkan-masking-items { list-style: none; margin: 0; padding: 0; }
.kalkan-masking-items li { border-block-start: 1px solid var(--border-color-muted, #eaecf0); padding-block: 8px; }
.kalkan-masking-item-head { display: flex; gap: 8px; align-items: baseline; }
.kalkan-masking-field, .kalkan-masking-reason { color: var(--color-subtle, #54595d); font-size: 13px; }
.kalkan-masking-excerpt { margin-block: 4px; overflow-wrap: anywhere; }
.kalkan-masking-excerpt mark { background: var(--background-color-destructive-subtle, #fce3e1); color: inherit; }
.kalkan-masking-actions, .kalkan-masking-footer { display: flex; flex-wrap: wrap; gap: 8px; }
.kalkan-masking-footer { margin-block-start: 12px; justify-content: flex-end; }
.kalkan-masking-anon { padding: 8px; background: var(--background-color-warning-subtle, #fef6e7); border: 1px solid var(--border-color-warning, #a66200); }
.kalkan-masking-dialog button, .kalkan-masking-warning button {
  min-block-size: 32px; padding-inline: 12px; border: 1px solid var(--border-color-interactive, #72777d); border-radius: 2px; background: var(--background-color-interactive-subtle, #f8f9fa);
  color: var(--color-base, #202122); font: inherit; cursor: pointer;
}
.kalkan-masking-dialog button.kalkan-primary { background: var(--background-color-progressive, #36c); border-color: var(--border-color-progressive, #36c); color: var(--color-inverted-fixed, #fff); }
.kalkan-masking-badge:focus-visible, .kalkan-masking-dialog button:focus-visible, .kalkan-masking-warning button:focus-visible {
  outline: 2px solid var(--outline-color-progressive--focus, #36c); outline-offset: 1px;
}
.kalkan-masking-warning {
  position: fixed; inset-block-start: 8px; inset-inline: 0; margin-inline: auto; inline-size: min(720px, 92vw);
  box-sizing: border-box; padding: 12px 16px; background: var(--background-color-warning-subtle, #fef6e7); border: 1px solid var(--border-color-warning, #a66200); border-radius: 2px;
  box-shadow: 0 2px 8px rgba(0,0,0,.2);
}
.kalkan-masking-warning p { margin-block: 0 8px; }
`;
