import { useEffect, useRef, useState } from 'preact/hooks';
import type { ResultCategory } from '../utils/detection/types';
import { useT } from './I18nContext';
import { LiveRegion } from './LiveRegion';

/**
 * The in-page view of highlighting, rendered into the overlay's 'highlight' layer (a closed shadow root): one
 * badge per flagged comment, its explanation popover, blur covers and — where the CSS Custom Highlight API is
 * missing — boxes over the matched words. Page text only ever appears as text nodes.
 */

/** Message key of a category's name (keys use hyphens: "identity_attack" → …-identity-attack). */
export function categoryKey(category: ResultCategory): string {
  return `kalkan-highlight-category-${category.replace(/_/g, '-')}`;
}

export interface Box { x: number; y: number; width: number; height: number }

export interface ReasonView {
  kind: 'rule' | 'model';
  ruleId: string;
  category: ResultCategory;
  weight: number;
  /** The matched words, as plain text from the page. */
  text: string;
}

export interface FlaggedView {
  id: string;
  category: ResultCategory;
  score: number;
  learned: boolean;
  reasons: ReasonView[];
  /** Where the badge goes (document coordinates); null when the comment has no rects (hidden). */
  badge: { x: number; y: number; anchorEnd: boolean } | null;
  /** Cover over the comment while blurred; null when not blurred or already shown. */
  blur: Box | null;
  /** Fallback highlight boxes (only without the CSS Custom Highlight API). */
  boxes: Box[];
}

export interface HighlightLayerProps {
  items: FlaggedView[];
  threshold: number;
  /** Direction of the user interface language (the popover's text). */
  dir: 'ltr' | 'rtl';
  onReveal(id: string): void;
}

export const HIGHLIGHT_LAYER_CSS = `
:host { all: initial; }
.kalkan-hl-root { font-family: sans-serif; font-size: 14px; line-height: 1.4; color: var(--color-base, #202122); }
.kalkan-hl-box { position: absolute; pointer-events: none; background: rgba(255, 194, 0, 0.35);
  border-block-end: 2px solid var(--border-color-destructive, #d73333); mix-blend-mode: var(--mix-blend-mode-blend, multiply); }
.kalkan-hl-box-model { background: rgba(255, 194, 0, 0.18); border-block-end-style: dotted; }
.kalkan-hl-blur { position: absolute; display: flex; align-items: center; justify-content: center; gap: 8px; }
/* The blur is a sibling under the button, not its parent: a filtered ancestor would make the browser report the
   button as not really visible, and Kalkan ignores clicks on such controls (entrypoints/content/click-guard.ts). */
.kalkan-hl-glass { position: absolute; inset: 0;
  backdrop-filter: blur(7px); -webkit-backdrop-filter: blur(7px); background: color-mix(in srgb, var(--background-color-base, #fff) 55%, transparent);
  border: 1px solid var(--border-color-base, #a2a9b1); border-radius: 2px; box-sizing: border-box; }
.kalkan-hl-badge { position: absolute; white-space: nowrap; font: inherit; font-size: 12px; font-weight: bold;
  padding-block: 1px; padding-inline: 8px; min-block-size: 24px; border-radius: 12px; cursor: pointer;
  border: 1px solid var(--border-color-error, #b32424); background: var(--background-color-error-subtle, #fee7e6); color: var(--color-error, #b32424); }
.kalkan-hl-anchor-end { transform: translateX(-100%); }
.kalkan-hl-badge:hover { background: var(--background-color-error-subtle--hover, #ffdad3); color: var(--color-error--hover, #9f3526); }
button:focus-visible { outline: 2px solid var(--outline-color-progressive--focus, #36c); outline-offset: 1px; }
.kalkan-hl-show { position: relative; font: inherit; padding-block: 4px; padding-inline: 12px; border: 1px solid var(--border-color-interactive, #72777d); border-radius: 2px;
  background: var(--background-color-interactive-subtle, #f8f9fa); color: var(--color-base, #202122); cursor: pointer; }
.kalkan-hl-popover { position: absolute; inline-size: min(360px, 90vw); box-sizing: border-box; padding: 12px;
  background: var(--background-color-base, #fff); color: var(--color-base, #202122); border: 1px solid var(--border-color-base, #a2a9b1); border-radius: 2px;
  box-shadow: 0 2px 6px rgba(0, 0, 0, 0.25); text-align: start; }
.kalkan-hl-popover h2 { font-size: 15px; margin-block: 0 6px; }
.kalkan-hl-popover ul { margin-block: 6px; padding-inline-start: 18px; }
.kalkan-hl-popover li { margin-block-end: 4px; }
.kalkan-hl-popover code { font-size: 12px; }
.kalkan-hl-note { font-size: 12px; color: var(--color-subtle, #54595d); margin-block: 6px 0; }
.kalkan-hl-close { position: absolute; inset-block-start: 6px; inset-inline-end: 6px; min-inline-size: 24px; min-block-size: 24px;
  border: 1px solid transparent; background: transparent; cursor: pointer; font: inherit; color: inherit; }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;

function px(box: Box) {
  return { left: `${box.x}px`, top: `${box.y}px`, width: `${box.width}px`, height: `${box.height}px` };
}

/** Popover below the badge; its left edge follows the badge's anchor side. */
const POPOVER_OFFSET_PX = 28;

function Popover({ item, threshold, dir, onClose }: { item: FlaggedView; threshold: number; dir: 'ltr' | 'rtl'; onClose(): void }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  if (!item.badge) return null;
  const titleId = `kalkan-hl-title-${item.id}`;
  return (
    <div role="dialog" aria-labelledby={titleId} dir={dir} class={`kalkan-hl-popover${item.badge.anchorEnd ? ' kalkan-hl-anchor-end' : ''}`}
      style={{ left: `${item.badge.x}px`, top: `${item.badge.y + POPOVER_OFFSET_PX}px` }} data-testid="kalkan-hl-popover"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}>
      <button type="button" class="kalkan-hl-close" aria-label={t('kalkan-highlight-close')} onClick={onClose}>×</button>
      <h2 id={titleId} tabIndex={-1} ref={heading}>{t('kalkan-highlight-popover-title')}</h2>
      <p>{t('kalkan-highlight-score', t(categoryKey(item.category)), item.score.toFixed(2), threshold.toFixed(2))}</p>
      <h3 class="kalkan-hl-note">{t('kalkan-highlight-reasons-heading')}</h3>
      <ul data-testid="kalkan-hl-reasons">
        {item.reasons.map((reason, index) => (
          <li key={index} data-kind={reason.kind} data-rule={reason.ruleId}>
            {reason.kind === 'rule'
              ? t('kalkan-highlight-reason-rule', t(categoryKey(reason.category)))
              : t('kalkan-highlight-reason-model')}
            {' '}<q><bdi>{reason.text}</bdi></q>{' '}
            <span class="kalkan-hl-note">
              {reason.kind === 'rule' ? <code dir="ltr">{reason.ruleId}</code> : null}
              {reason.kind === 'rule' ? ' · ' : null}
              {t('kalkan-highlight-reason-weight', reason.weight.toFixed(2))}
            </span>
          </li>
        ))}
      </ul>
      {!item.learned && <p class="kalkan-hl-note" data-testid="kalkan-hl-rules-only">{t('kalkan-highlight-rules-only')}</p>}
      <p class="kalkan-hl-note">{t('kalkan-highlight-local-note')}</p>
    </div>
  );
}

export function HighlightLayer({ items, threshold, dir, onReveal }: HighlightLayerProps) {
  const t = useT();
  const [openId, setOpenId] = useState<string | null>(null);
  const badges = useRef(new Map<string, HTMLButtonElement>());
  const close = () => {
    const id = openId;
    setOpenId(null);
    if (id) badges.current.get(id)?.focus();
  };
  return (
    <div class="kalkan-hl-root">
      <LiveRegion text={t('kalkan-highlight-popup-flagged', items.length)} testId="kalkan-hl-live" />
      {items.flatMap((item) => item.boxes.map((box, index) => (
        <div key={`${item.id}-box-${index}`} class="kalkan-hl-box" style={px(box)} />
      )))}
      {items.map((item) => item.blur && (
        <div key={`${item.id}-blur`} class="kalkan-hl-blur" style={px(item.blur)} data-testid="kalkan-hl-blur" data-comment={item.id}>
          <div class="kalkan-hl-glass" />
          <button type="button" class="kalkan-hl-show" aria-label={t('kalkan-highlight-show-label', t(categoryKey(item.category)))}
            onClick={() => onReveal(item.id)}>{t('kalkan-highlight-show')}</button>
        </div>
      ))}
      {items.map((item) => item.badge && (
        <div key={`${item.id}-badge`}>
          <button type="button" class={`kalkan-hl-badge${item.badge.anchorEnd ? ' kalkan-hl-anchor-end' : ''}`}
            style={{ left: `${item.badge.x}px`, top: `${item.badge.y}px` }}
            ref={(el) => { if (el) badges.current.set(item.id, el); else badges.current.delete(item.id); }}
            aria-expanded={openId === item.id} aria-label={t('kalkan-highlight-badge-label', t(categoryKey(item.category)))}
            data-testid="kalkan-hl-badge" data-comment={item.id} data-category={item.category}
            onClick={() => setOpenId(openId === item.id ? null : item.id)}>
            {t(categoryKey(item.category))}
          </button>
          {openId === item.id && <Popover item={item} threshold={threshold} dir={dir} onClose={close} />}
        </div>
      ))}
    </div>
  );
}
