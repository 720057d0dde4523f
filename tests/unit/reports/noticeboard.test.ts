import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NOTICEBOARDS,
  destinationsFor,
  emergencyContactFor,
  isAllowedEndpointUrl,
  DestinationSchema,
} from '../../../utils/reports/destinations';
import { buildMailto, MAX_MAILTO_BODY_CHARS } from '../../../utils/reports/mailto';
import {
  buildNoticeboardSection,
  escapeInlineWikitext,
  findExistingReport,
  nowiki,
  type NoticeboardMessages,
} from '../../../utils/reports/noticeboard';
import { makeReport, sealedItem } from './fixtures';

const messages: NoticeboardMessages = {
  sectionTitle: 'Harassment by $1',
  categoryLine: "'''Category:''' $1",
  categoryLabels: { intimidation_aggression: 'Intimidation or aggression' },
  evidenceHeading: "'''Evidence:'''",
  evidenceLine: 'Comment by $1 on [[:$2]] at $3',
  diffLabel: 'diff',
  permalinkLabel: 'permalink',
  noDiffLabel: 'diff not found',
  talkLabel: 'talk',
  contribsLabel: 'contribs',
};

describe('buildNoticeboardSection', () => {
  it('builds a signed section with diffs and permalinks', async () => {
    const section = buildNoticeboardSection(await makeReport(), messages);
    expect(section.title).toBe('Harassment by Example troll');
    expect(section.text).toBe(
      [
        '* [[User:Example troll|Example troll]] ([[User talk:Example troll|talk]] · [[Special:Contributions/Example troll|contribs]])',
        "'''Category:''' Intimidation or aggression",
        ': <nowiki>This user keeps posting threats on my talk page after I reverted their edit.</nowiki>',
        "'''Evidence:'''",
        '# Comment by Example troll on [[:User talk:Victim]] at 2024-03-05T14:07:00Z ' +
          '([https://test.wikipedia.org/w/index.php?diff=1000101&oldid=1000099 diff], ' +
          '[https://test.wikipedia.org/w/index.php?title=User_talk%3AVictim&oldid=1000123#c-Example_troll-20240305140700-Victim-20240305120000 permalink])',
        '~~~~',
      ].join('\n'),
    );
  });

  it('uses the destination title template', async () => {
    const section = buildNoticeboardSection(await makeReport(), messages, { sectionTitleTemplate: 'Conduct of $1' });
    expect(section.title).toBe('Conduct of Example troll');
  });

  const hostile: [name: string, description: string, mustNotContain: string[]][] = [
    ['closing nowiki', 'x</nowiki>[[Category:Spam]]', ['</nowiki>[[', '<nowiki>x</nowiki>']],
    ['a signature', 'signed ~~~~ here', []],
    ['a template', '{{delete}}', []],
    ['a heading on its own line', 'text\n== Fake section ==', ['\n== Fake section ==']],
  ];
  it.each(hostile)('keeps user text inert: %s', async (_name, description, mustNotContain) => {
    const { text } = buildNoticeboardSection(await makeReport({ description }), messages);
    for (const bad of mustNotContain) expect(text).not.toContain(bad);
    // Every description line sits inside a nowiki and the only live ~~~~ is the final signature.
    const descriptionLines = text.split('\n').filter((line) => line.startsWith(': '));
    for (const line of descriptionLines) expect(line).toMatch(/^: <nowiki>[^<]*<\/nowiki>$/);
    expect(text.endsWith('\n~~~~')).toBe(true);
    expect(text.replace(/<nowiki>[^<]*<\/nowiki>/g, '').match(/~~~/g)).toHaveLength(1);
  });

  it('marks a missing diff', async () => {
    const report = await makeReport({ evidence: [await sealedItem({ origin: null })] });
    expect(buildNoticeboardSection(report, messages).text).toContain('(diff not found, [');
  });

  it('escapes wikitext in inline pieces', () => {
    expect(escapeInlineWikitext("[[x]]{{y}}|''~~~~")).not.toMatch(/[[\]{}|'~]/);
    expect(nowiki('a < b & </nowiki>')).toBe('<nowiki>a &lt; b &amp; &lt;/nowiki></nowiki>');
  });
});

describe('findExistingReport', () => {
  const page = [
    'Header text',
    '== Disruption by Someone ==',
    '* {{userlinks|Someone}}',
    'Text ~~~~',
    '== Unrelated thread ==',
    'See [[Special:Contributions/Example_troll]] for more.',
    '=== Sub ===',
    'nothing',
    '== Conduct of Third ==',
    '{{user|1=third}}',
  ].join('\n');
  const cases: [users: string[], sections: string[]][] = [
    [['Someone'], ['Disruption by Someone']],
    [['Example troll'], ['Unrelated thread']],
    [['Third'], ['Conduct of Third']], // first letter case-insensitive, 1= form
    [['Nobody'], []],
    [['Some'], []], // a prefix is not the user
  ];
  it.each(cases)('%j → %j', (users, sections) => {
    expect(findExistingReport(page, users)).toEqual({ alreadyReported: sections.length > 0, sections });
  });
});

describe('buildMailto', () => {
  it('bounds the body and says when evidence was left out', async () => {
    const item = await sealedItem();
    const report = await makeReport({ evidence: Array.from({ length: 40 }, () => item), description: 'd'.repeat(5000) });
    const link = buildMailto(report, 'emergency@wikimedia.org');
    expect(link.startsWith('mailto:emergency@wikimedia.org?subject=')).toBe(true);
    const body = decodeURIComponent(new URL(link).searchParams.get('body') ?? '');
    expect(body.length).toBeLessThanOrEqual(MAX_MAILTO_BODY_CHARS);
    expect(body).toMatch(/\d+ more evidence links left out/);
  });
  it('includes everything when short', async () => {
    const body = new URL(buildMailto(await makeReport(), 'a@b.org')).searchParams.get('body') ?? '';
    expect(body).toContain('diff=1000101');
    expect(body).not.toContain('left out');
  });
});

describe('destinations', () => {
  it.each([
    ['https://reports.example.org', true],
    ['http://127.0.0.1:8787', true],
    ['http://localhost:8787', true],
    ['http://[::1]:8787', true],
    ['http://reports.example.org', false],
    ['http://127.0.0.1.evil.example', false],
    ['ftp://reports.example.org', false],
    ['https://u:p@reports.example.org', false],
    ['not a url', false],
  ])('endpoint URL %s allowed: %s', (url, allowed) => {
    expect(isAllowedEndpointUrl(url)).toBe(allowed);
  });

  it('an endpoint must be private and a noticeboard public', () => {
    expect(DestinationSchema.safeParse({ kind: 'endpoint', id: 'a', label: 'a', baseUrl: 'https://x.org', private: false }).success).toBe(false);
    expect(DestinationSchema.safeParse({ ...DEFAULT_NOTICEBOARDS['https://en.wikipedia.org/w'], private: true }).success).toBe(false);
    for (const board of Object.values(DEFAULT_NOTICEBOARDS)) expect(DestinationSchema.parse(board)).toEqual(board);
  });

  it('offers the default noticeboard only where one is known, after the user’s own', () => {
    const mine = { kind: 'email' as const, id: 'm', label: 'Me', address: 'me@example.org' };
    expect(destinationsFor({ global: [mine], perWiki: {} }, 'https://en.wikipedia.org/w').map((d) => d.id)).toEqual(['m', 'default:enwiki-ani']);
    expect(destinationsFor({ global: [], perWiki: {} }, 'https://xx.wikipedia.org/w')).toEqual([]);
  });

  it.each([
    ['https://en.wikipedia.org', 'emergency@wikimedia.org'],
    ['https://commons.wikimedia.org', 'emergency@wikimedia.org'],
    ['https://www.wikidata.org', 'emergency@wikimedia.org'],
    ['https://wiki.example.org', null],
    ['https://wikipedia.org.evil.example', null],
  ])('emergency contact for %s: %s', (server, address) => {
    expect(emergencyContactFor(server)?.address ?? null).toBe(address);
  });
});
