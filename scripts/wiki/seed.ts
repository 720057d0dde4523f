/**
 * Seeds the local test wiki: users (createAndPromote.php), histories with distinct timestamps (importDump.php with
 * an XML dump written here), and one live API edit ending in ~~~~ so that MediaWiki itself signs a comment.
 * Idempotent: a marker file in the wiki folder records that seeding is done.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMaintenance, type RunningWiki } from './mediawiki';
import { commentWikitext, SEED_PASSWORD, SEED_USERS, seedArticleEdits, seedPages, type SeedUser } from './content';
import { MediaWikiApiSession } from './api-session';

const SEED_MARKER = 'seeded-v1.json';

interface Revision {
  user: SeedUser;
  at: string;
  text: string;
  summary: string;
}

function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function buildDump(): string {
  const histories = new Map<string, Revision[]>();
  for (const page of seedPages()) {
    let text = page.intro ?? '';
    const revisions: Revision[] = [];
    for (const comment of page.comments) {
      text += commentWikitext(comment);
      revisions.push({ user: comment.user, at: comment.at, text, summary: comment.heading ? `/* ${comment.heading} */ new section` : 'reply' });
    }
    histories.set(page.title, revisions);
  }
  for (const edit of seedArticleEdits()) {
    const list = histories.get(edit.title) ?? [];
    list.push({ user: edit.user, at: edit.at, text: edit.text, summary: 'edit' });
    histories.set(edit.title, list);
  }
  const pages = [...histories].map(([title, revisions]) => {
    const body = revisions
      .sort((a, b) => a.at.localeCompare(b.at))
      .map(
        (revision) => `    <revision>
      <timestamp>${revision.at}</timestamp>
      <contributor><username>${xmlEscape(revision.user)}</username></contributor>
      <comment>${xmlEscape(revision.summary)}</comment>
      <model>wikitext</model>
      <format>text/x-wiki</format>
      <text xml:space="preserve">${xmlEscape(revision.text)}</text>
    </revision>`,
      )
      .join('\n');
    return `  <page>\n    <title>${xmlEscape(title)}</title>\n${body}\n  </page>`;
  });
  return `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n${pages.join('\n')}\n</mediawiki>\n`;
}

export async function seedWiki(wiki: RunningWiki): Promise<void> {
  const marker = join(wiki.dir, SEED_MARKER);
  if (existsSync(marker)) return;
  for (const user of SEED_USERS) {
    runMaintenance(wiki.env, 'createAndPromote', ['--force', user, SEED_PASSWORD]);
  }
  const dumpFile = join(wiki.dir, 'seed-dump.xml');
  writeFileSync(dumpFile, buildDump());
  runMaintenance(wiki.env, 'importDump', ['--quiet', dumpFile]);
  runMaintenance(wiki.env, 'rebuildrecentchanges', []);
  runMaintenance(wiki.env, 'initSiteStats', ['--update']);
  // A comment that MediaWiki signs itself (pre-save transform of ~~~~), as a browser edit would.
  const session = new MediaWikiApiSession(wiki.apiUrl);
  await session.login('Chloe', SEED_PASSWORD);
  await session.edit('Talk:Kalkan demo', {
    appendtext: '\n== Live comment ==\nThis comment was signed by MediaWiki itself. ~~~~\n',
    summary: 'Live comment',
  });
  writeFileSync(marker, JSON.stringify({ seededAt: new Date().toISOString() }));
}
