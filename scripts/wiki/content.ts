/**
 * Seed content for the local test wiki and the demo, written for Kalkan (no copied wiki text). Timestamps are
 * distinct so that comment ids, histories and interaction timelines are realistic. The abusive lines are
 * invented and deliberately generic.
 */

export const SEED_USERS = ['Aigerim', 'Bakyt', 'Chloe', 'Dilnoza'] as const;
export type SeedUser = (typeof SEED_USERS)[number];
export const SEED_PASSWORD = 'kalkan-seed-pass-1';

export interface SeedComment {
  user: SeedUser;
  /** ISO time, UTC. */
  at: string;
  /** Indentation depth (number of leading ':'). */
  depth: number;
  text: string;
  /** Start a new section with this heading before the comment. */
  heading?: string;
}

export interface SeedPage {
  title: string;
  /** Text before the first comment (an article body, or a talk-page header). */
  intro?: string;
  comments: SeedComment[];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The signature English MediaWiki writes for ~~~~ (default date preference), in UTC. */
export function signature(user: string, at: string): string {
  const date = new Date(at);
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  const stamp = `${hh}:${mm}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} (UTC)`;
  return `[[User:${user}|${user}]] ([[User talk:${user}|talk]]) ${stamp}`;
}

export function commentWikitext(comment: SeedComment): string {
  const heading = comment.heading ? `\n== ${comment.heading} ==\n` : '';
  return `${heading}${':'.repeat(comment.depth)}${comment.text} ${signature(comment.user, comment.at)}\n`;
}

/** The pages on which Bakyt follows Aigerim (four talk pages, always minutes after her). */
const followed = [
  { title: 'Talk:Felt making', day: '2026-03-02', topic: 'Sources for the history section', her: 'I added two museum catalogues as sources for the nineteenth-century part. Could someone check the page numbers?' },
  { title: 'Talk:Issyk-Kul Lake', day: '2026-03-05', topic: 'Water level figures', her: 'The water level table stops in 2015. I found the 2020 hydrology report and would like to update it.' },
  { title: 'Talk:Manas (epic)', day: '2026-03-09', topic: 'Length of the epic', her: 'The article gives two different line counts for the Sagymbai Orozbakov version. Which one is right?' },
  { title: 'Talk:Komuz', day: '2026-03-14', topic: 'Photo of the instrument', her: 'The current photo is very dark. I can take a better one at the music school next week.' },
] as const;

const replies = [
  'Nobody asked you. You are an idiot and you should stop editing.',
  'Again you? Shut up, your edits are garbage like you.',
  'You are pathetic. Go away from this topic, stupid.',
  'I am watching every page you touch. You are a clueless idiot.',
];

export function seedPages(): SeedPage[] {
  const pages: SeedPage[] = followed.map((page, index) => ({
    title: page.title,
    intro: '{{Talk header}}\n',
    comments: [
      { user: 'Aigerim', at: `${page.day}T09:0${index}:00Z`, depth: 0, heading: page.topic, text: page.her },
      { user: 'Bakyt', at: `${page.day}T09:1${index + 2}:00Z`, depth: 1, text: replies[index] ?? '' },
      { user: 'Chloe', at: `${page.day}T11:3${index}:00Z`, depth: 2, text: `Please keep it civil. [[User:Aigerim|Aigerim]], the sources look fine to me.` },
    ],
  }));
  pages.push({
    title: 'Talk:Kalkan demo',
    intro: 'This page shows what Kalkan sees on a talk page.\n',
    comments: [
      { user: 'Chloe', at: '2026-04-01T08:15:00Z', depth: 0, heading: 'Merge proposal', text: 'I propose merging the two stub articles about yurt frames into one.' },
      { user: 'Aigerim', at: '2026-04-01T09:40:00Z', depth: 1, text: 'Support. The sources overlap almost completely.' },
      { user: 'Bakyt', at: '2026-04-01T10:05:00Z', depth: 2, text: 'Of course she supports it. You are a stupid idiot, nobody wants you here.' },
      { user: 'Dilnoza', at: '2026-04-01T12:30:00Z', depth: 3, text: '[[User:Bakyt|Bakyt]], that is a personal attack. Please comment on content.' },
      { user: 'Chloe', at: '2026-04-02T07:50:00Z', depth: 1, text: 'Thanks all. I will wait a week before merging.' },
      { user: 'Dilnoza', at: '2026-04-03T14:00:00Z', depth: 0, heading: 'Contact for the photo workshop', text: 'If anyone wants to join the photo workshop, just ask on my talk page.' },
      { user: 'Aigerim', at: '2026-04-03T15:20:00Z', depth: 1, text: 'I would like to come. Which day works best?' },
    ],
  });
  pages.push({
    title: 'User talk:Aigerim',
    comments: [
      { user: 'Chloe', at: '2026-03-01T10:00:00Z', depth: 0, heading: 'Welcome!', text: 'Welcome to the wiki, and thanks for your work on Kyrgyz crafts.' },
      { user: 'Bakyt', at: '2026-03-15T18:45:00Z', depth: 0, heading: 'Stop', text: 'Stop following my edits. You are an idiot. I know where you live.' },
    ],
  });
  return pages;
}

/** Article edits, so that the users' contributions overlap on the same pages (for interaction timelines). */
export function seedArticleEdits(): Array<{ title: string; user: SeedUser; at: string; text: string }> {
  return followed.flatMap((page, index) => {
    const article = page.title.replace(/^Talk:/, '');
    return [
      { title: article, user: 'Aigerim' as const, at: `${page.day}T08:3${index}:00Z`, text: `'''${article}''' is a topic of Central Asian culture.\n\n== History ==\nDraft text.\n` },
      { title: article, user: 'Bakyt' as const, at: `${page.day}T08:5${index + 1}:00Z`, text: `'''${article}''' is a topic.\n` },
    ];
  });
}
