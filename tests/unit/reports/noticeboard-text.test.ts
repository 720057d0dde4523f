import { describe, expect, it } from 'vitest';
import { buildNoticeboardPost } from '../../../components/report/noticeboard-text';
import { createTranslator } from '../../../utils/i18n';
import type { NoticeboardDestination } from '../../../utils/reports/destinations';
import { reportMarker } from '../../../utils/reports/noticeboard-post';
import { makeReport } from './fixtures';

const KEY = '0b7d4c1e-9a8f-4e3d-b2c1-a0f9e8d7c6b5';
const destination: NoticeboardDestination = {
  kind: 'noticeboard', id: 'nb', label: 'Board', wikiId: 'https://test.wikipedia.org/w', page: 'Wikipedia:Noticeboard', private: false,
  sectionTitleTemplate: 'Conduct of $1',
};

describe('buildNoticeboardPost: the section in the wiki’s language', () => {
  it('English wiki: marker first, evidence with diff and permanent link, the user’s signature last', async () => {
    const post = buildNoticeboardPost(await makeReport(), destination, KEY);
    expect(post.sectionTitle).toBe('Conduct of Example troll');
    const lines = post.text.split('\n');
    expect(lines[0]).toBe(reportMarker(KEY));
    expect(post.text).toContain("'''Category:''' Intimidation or aggression");
    expect(post.text).toContain('# Comment by Example troll on [[:User talk:Victim]] at 2024-03-05T14:07:00Z ([https://test.wikipedia.org/w/index.php?diff=1000101&oldid=1000099 diff], [');
    expect(post.text).toContain(' permanent link])');
    expect(lines.at(-1)).toBe('~~~~');
    expect(post.summary).toBe('/* Conduct of Example troll */ new report (posted with Kalkan) (kalkan:0b7d4c1e)');
  });

  it('the words follow the wiki’s content language, not the reader’s, and fall back to English per message', async () => {
    const ru = createTranslator('ru');
    const report = await makeReport({ wiki: { id: 'https://ru.wikipedia.org/w', server: 'https://ru.wikipedia.org', contentLanguage: 'ru' } });
    const post = buildNoticeboardPost(report, destination, KEY);
    // Russian has this label (utils/i18n/messages/reporting/ru.json): the posted text must use it, not English.
    expect(ru('kalkan-report-harm-intimidation-aggression')).not.toBe('Intimidation or aggression');
    expect(post.text).toContain(ru('kalkan-report-harm-intimidation-aggression'));
    expect(post.text).not.toContain('Intimidation or aggression');
    expect(post.text).toContain(ru('kalkan-noticeboard-diff'));
    const unknown = buildNoticeboardPost(await makeReport({ wiki: { id: 'https://xx.example.org/w', server: 'https://xx.example.org', contentLanguage: 'qqx-none' } }), destination, KEY);
    expect(unknown.text).toContain("'''Category:''' Intimidation or aggression");
  });
});
