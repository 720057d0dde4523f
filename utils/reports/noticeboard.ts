import type { Report } from './schema';

/**
 * Wikitext for a new section on a PUBLIC noticeboard, and a check for an existing report of the same user.
 * Everything the user typed goes inside <nowiki> with & and < turned into entities, so it can neither format
 * the page, nor close the nowiki, nor sign (~~~~ is not expanded inside nowiki). The section ends with the
 * user's signature, expanded by the wiki on save.
 */

export interface NoticeboardMessages {
  /** Section title when the destination gives none; "$1" = reported user name(s). */
  sectionTitle: string;
  /** "$1" = category label. */
  categoryLine: string;
  /** Label per harm category or emergency type, keyed by the schema's values. */
  categoryLabels: Readonly<Record<string, string>>;
  evidenceHeading: string;
  /**
   * "$1" = author, "$2" = page title (put it in [[:$2]]: the colon keeps a Category: or File: title a link rather
   * than a categorisation), "$3" = signature time.
   */
  evidenceLine: string;
  diffLabel: string;
  permalinkLabel: string;
  noDiffLabel: string;
  /** Link labels after the user name, e.g. "talk" and "contribs". */
  talkLabel: string;
  contribsLabel: string;
}

export interface NoticeboardSection {
  /** Plain text for `sectiontitle` of action=edit&section=new. */
  title: string;
  /** Section body (without the heading), ending in the signature. */
  text: string;
}

/** Characters with meaning in wikitext inline syntax, written as numeric entities in titles and names. */
const INLINE_SPECIAL = /[&<>[\]{}|'=~*#:;_]/g;

export function escapeInlineWikitext(text: string): string {
  return text.replace(INLINE_SPECIAL, (char) => `&#${char.codePointAt(0) ?? 0};`).replace(/[\r\n]+/g, ' ');
}

/** One or more lines of user text, each inside its own nowiki so a blank line cannot end the indentation. */
export function nowiki(text: string): string {
  return `<nowiki>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</nowiki>`;
}

/**
 * A page title inside [[:…]]: legal titles cannot hold []{}|<> or "~~~", but a report may come from a bad
 * source, so those are still written as entities (MediaWiki decodes entities in link targets).
 */
export function escapeTitle(title: string): string {
  return title.replace(/[&<>[\]{}|~]/g, (char) => `&#${char.codePointAt(0) ?? 0};`).replace(/[\r\n]+/g, ' ');
}

/** External link target: spaces and brackets would end the link early. */
function linkTarget(url: string): string {
  return url.replace(/ /g, '%20').replace(/\[/g, '%5B').replace(/]/g, '%5D');
}

function fill(template: string, ...values: string[]): string {
  return template.replace(/\$(\d)/g, (whole, digit: string) => values[Number(digit) - 1] ?? whole);
}

export function reportedUsers(report: Report): string[] {
  return [...new Set(report.evidence.map((item) => item.author))];
}

export function buildNoticeboardSection(
  report: Report,
  messages: NoticeboardMessages,
  options: { sectionTitleTemplate?: string } = {},
): NoticeboardSection {
  const users = reportedUsers(report);
  const title = fill(options.sectionTitleTemplate ?? messages.sectionTitle, users.join(', '))
    .replace(/[\r\n]+/g, ' ')
    .trim();
  const harmKey = report.harm.kind === 'incident' ? report.harm.category : report.harm.type;
  const lines: string[] = [];
  lines.push(
    users
      // Canonical (English) namespace names work on every wiki; templates such as {{userlinks}} do not exist
      // everywhere, so none are used.
      .map((user) => {
        const name = escapeTitle(user);
        return `* [[User:${name}|${escapeInlineWikitext(user)}]] ([[User talk:${name}|${escapeInlineWikitext(messages.talkLabel)}]] · [[Special:Contributions/${name}|${escapeInlineWikitext(messages.contribsLabel)}]])`;
      })
      .join('\n'),
  );
  lines.push(fill(messages.categoryLine, escapeInlineWikitext(messages.categoryLabels[harmKey] ?? harmKey)));
  const description = report.description.split(/\r?\n/).filter((line) => line.trim() !== '');
  for (const line of description) lines.push(`: ${nowiki(line)}`);
  lines.push(messages.evidenceHeading);
  for (const item of report.evidence) {
    const summary = fill(
      messages.evidenceLine,
      escapeInlineWikitext(item.author),
      escapeTitle(item.pageTitle),
      item.timestamp, // schema-checked ISO time: digits, '-', ':', 'T', 'Z'
    );
    const diff = item.origin
      ? `[${linkTarget(item.origin.diffUrl)} ${escapeInlineWikitext(messages.diffLabel)}]`
      : escapeInlineWikitext(messages.noDiffLabel);
    const permalink = `[${linkTarget(item.permalink.url)} ${escapeInlineWikitext(messages.permalinkLabel)}]`;
    lines.push(`# ${summary} (${diff}, ${permalink})`);
  }
  lines.push('~~~~');
  return { title, text: lines.join('\n') };
}

/** MediaWiki user names: underscores are spaces and the first letter is capital (on most wikis). */
function normaliseUser(name: string): string {
  const spaced = name.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Ways noticeboards link a user: [[User:X]], [[User talk:X]], Special:Contributions/X, {{user|X}} and kin. */
const USER_MENTIONS = [
  /\[\[\s*(?:User|User talk)\s*:\s*([^|\]#/]+)/gi,
  /Special:Contrib(?:utions|s)\/([^|\]}\n]+)/gi,
  /\{\{\s*(?:user|userlinks|user-multi|vandal|IPvandal|user5|checkuser|u)\s*\|\s*(?:1\s*=\s*)?([^|}]+)/gi,
];

/** "Someone" in "Disruption by Someone", but not "Some": the name must stand as a whole word. */
function mentionsWord(text: string, user: string): boolean {
  const escaped = user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ _]');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text);
}

export interface DuplicateCheck {
  alreadyReported: boolean;
  /** Headings of the sections that mention the user. */
  sections: string[];
}

/** Given the noticeboard's current wikitext, is any of these users already the subject of a section? */
export function findExistingReport(pageWikitext: string, users: readonly string[]): DuplicateCheck {
  const wanted = new Set(users.map(normaliseUser));
  const sections: string[] = [];
  let heading: string | null = null;
  let body: string[] = [];
  const flush = (): void => {
    if (heading === null) return;
    const text = `${heading}\n${body.join('\n')}`;
    const mentioned = USER_MENTIONS.some((pattern) =>
      Array.from(text.matchAll(pattern)).some((match) => wanted.has(normaliseUser(match[1] ?? ''))),
    );
    const inHeading = [...wanted].some((user) => mentionsWord(heading ?? '', user));
    if (mentioned || inHeading) sections.push(heading);
  };
  for (const line of pageWikitext.split('\n')) {
    const match = /^(={2,6})\s*(.+?)\s*\1\s*$/.exec(line);
    if (match) {
      flush();
      heading = match[2] ?? '';
      body = [];
    } else {
      body.push(line);
    }
  }
  flush();
  return { alreadyReported: sections.length > 0, sections };
}
