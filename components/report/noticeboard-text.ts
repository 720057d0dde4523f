import { createTranslator, type Translate } from '../../utils/i18n';
import type { NoticeboardDestination } from '../../utils/reports/destinations';
import { buildNoticeboardSection, type NoticeboardMessages } from '../../utils/reports/noticeboard';
import { withMarker, type NoticeboardPost } from '../../utils/reports/noticeboard-post';
import { EMERGENCY_TYPES, HARM_CATEGORIES, type Report } from '../../utils/reports/schema';

/**
 * The words of a noticeboard section come from the WIKI's content language (the readers of that page), not from
 * the reporter's interface language; messages missing in that language fall back to English.
 */
export function noticeboardMessages(t: Translate): NoticeboardMessages {
  const categoryLabels: Record<string, string> = {};
  for (const category of HARM_CATEGORIES) categoryLabels[category] = t(`kalkan-report-harm-${category.replace(/_/g, '-')}`);
  for (const type of EMERGENCY_TYPES) categoryLabels[type] = t(`kalkan-report-emergency-${type.replace(/_/g, '-')}`);
  return {
    sectionTitle: t('kalkan-noticeboard-section-title'),
    categoryLine: t('kalkan-noticeboard-category-line'),
    categoryLabels,
    evidenceHeading: t('kalkan-noticeboard-evidence-heading'),
    evidenceLine: t('kalkan-noticeboard-evidence-line'),
    diffLabel: t('kalkan-noticeboard-diff'),
    permalinkLabel: t('kalkan-noticeboard-permalink'),
    noDiffLabel: t('kalkan-noticeboard-no-diff'),
    talkLabel: t('kalkan-noticeboard-talk'),
    contribsLabel: t('kalkan-noticeboard-contribs'),
  };
}

/** The exact section (title, wikitext with marker, summary) the confirmation shows and the outbox will post. */
export function buildNoticeboardPost(report: Report, destination: NoticeboardDestination, idempotencyKey: string): NoticeboardPost {
  const wikiT = createTranslator(report.wiki.contentLanguage);
  const section = buildNoticeboardSection(report, noticeboardMessages(wikiT), { sectionTitleTemplate: destination.sectionTitleTemplate });
  return withMarker(section, idempotencyKey, wikiT('kalkan-noticeboard-summary'));
}
