import { sealEvidence } from '../../../utils/reports/canonical';
import type { EvidenceItem, Report, UnhashedEvidenceItem } from '../../../utils/reports/schema';

/** A plausible, invented evidence item (no real user or page). */
export function unsealedItem(overrides: Partial<UnhashedEvidenceItem> = {}): UnhashedEvidenceItem {
  return {
    author: 'Example troll',
    timestamp: '2024-03-05T14:07:00Z',
    commentId: 'c-Example_troll-20240305140700-Victim-20240305120000',
    pageTitle: 'User talk:Victim',
    pageId: 4242,
    revisionId: 1_000_123,
    permalink: {
      url: 'https://test.wikipedia.org/w/index.php?title=User_talk%3AVictim&oldid=1000123#c-Example_troll-20240305140700-Victim-20240305120000',
      oldid: 1_000_123,
      anchor: 'c-Example_troll-20240305140700-Victim-20240305120000',
      goToCommentUrl:
        'https://test.wikipedia.org/wiki/Special:GoToComment/c-Example_troll-20240305140700-Victim-20240305120000',
    },
    origin: {
      revid: 1_000_101,
      parentid: 1_000_099,
      diffUrl: 'https://test.wikipedia.org/w/index.php?diff=1000101&oldid=1000099',
      foundBy: 'history-search',
    },
    snapshot: {
      text: 'You will regret editing this article. I know where you live. Example troll (talk) 14:07, 5 March 2024 (UTC)',
      sanitisedHtml:
        '<p>You will regret editing this article. I know where you live. <a href="/wiki/User:Example_troll" rel="nofollow noopener noreferrer">Example troll</a></p>',
    },
    capturedAt: '2024-03-05T15:00:00Z',
    ...overrides,
  };
}

export async function sealedItem(overrides: Partial<UnhashedEvidenceItem> = {}): Promise<EvidenceItem> {
  return sealEvidence(unsealedItem(overrides));
}

export async function makeReport(overrides: Partial<Report> = {}): Promise<Report> {
  return {
    protocolVersion: 1,
    reportId: '6f1c2a7e-3b4d-4c5e-8f90-123456789abc',
    createdAt: '2024-03-05T15:00:00Z',
    submittedAt: '2024-03-05T15:02:00Z',
    wiki: { id: 'https://test.wikipedia.org/w', server: 'https://test.wikipedia.org', contentLanguage: 'en' },
    reporter: { username: 'Victim', contactOk: true },
    harm: { kind: 'incident', category: 'intimidation_aggression' },
    description: 'This user keeps posting threats on my talk page after I reverted their edit.',
    evidence: [await sealedItem()],
    ...overrides,
  };
}
