import { clipText } from '../../utils/reports/draft';
import type { EvidenceItem } from '../../utils/reports/schema';
import { useT } from '../I18nContext';
import { formatTime } from './reasons';

/** Characters of each comment shown in the list (the whole snapshot is in the report). */
export const EXCERPT_CHARS = 280;

export interface EvidenceListProps {
  items: readonly EvidenceItem[];
  locale: string;
  onRemove: (item: EvidenceItem) => void;
  invalid: boolean;
}

/** The captured comments, as text only: snapshots come from the wiki page and are never rendered as HTML. */
export function EvidenceList({ items, locale, onRemove, invalid }: EvidenceListProps) {
  const t = useT();
  return (
    <section class="kalkan-evidence" aria-invalid={invalid} data-testid="evidence-list" data-count={items.length}>
      <h2>{t('kalkan-report-evidence-heading', items.length)}</h2>
      {items.length === 0 && <p>{t('kalkan-report-evidence-empty')}</p>}
      <ol>
        {items.map((item) => (
          <li key={item.sha256} data-testid="evidence-item">
            <p class="kalkan-evidence-meta">
              {t('kalkan-report-evidence-by')} <bdi class="kalkan-author">{item.author}</bdi>
              {' · '}<time dateTime={item.timestamp}>{formatTime(item.timestamp, locale)}</time>
              {' · '}<bdi>{item.pageTitle}</bdi>
            </p>
            <blockquote dir="auto">{clipText(item.snapshot.text, EXCERPT_CHARS)}</blockquote>
            <p class="kalkan-evidence-links">
              <a href={item.permalink.url} target="_blank" rel="noopener noreferrer">{t('kalkan-report-evidence-permalink')}</a>
              {item.origin ? (
                <>{' · '}<a href={item.origin.diffUrl} target="_blank" rel="noopener noreferrer" data-testid="evidence-diff">{t('kalkan-report-evidence-diff')}</a></>
              ) : (
                <>{' · '}{t('kalkan-report-evidence-no-diff')}</>
              )}
              {' · '}<span class="kalkan-hash" title={item.sha256}>{t('kalkan-report-evidence-sealed', item.sha256.slice(0, 12))}</span>
            </p>
            <button type="button" onClick={() => onRemove(item)} aria-label={t('kalkan-report-evidence-remove-label', item.author)}>
              {t('kalkan-report-evidence-remove')}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
