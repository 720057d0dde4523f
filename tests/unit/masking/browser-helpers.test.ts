import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { userOfLink, PseudonymView } from '../../../entrypoints/content/masking/pseudonyms';
import { baselineCounts, newFindings } from '../../../utils/masking/baseline';
import { chunkBounds, scanInChunks } from '../../../utils/masking/chunked';
import { buildPseudonyms, pseudonymizeText, pseudonymLetters } from '../../../utils/masking/pseudonyms';
import { regionsFor } from '../../../utils/masking/regions';
import { scanTextSync } from '../../../utils/masking/scan';
import type { WikiProfile } from '../../../utils/wiki-profile/schema';

const opts = { lang: 'en', regions: ['US'] };
const filler = 'The source on page 12 says so, and the talk archive agrees with it. ';

describe('chunked full scan', () => {
  it('cuts at whitespace and covers the text exactly', () => {
    const text = filler.repeat(50);
    const bounds = chunkBounds(text, 500);
    expect(bounds[0]?.[0]).toBe(0);
    expect(bounds.at(-1)?.[1]).toBe(text.length);
    for (let i = 1; i < bounds.length; i++) expect(bounds[i]?.[0]).toBe(bounds[i - 1]?.[1]);
  });

  it('finds the same details as one scan, also across slice boundaries', async () => {
    // Details at many offsets, so some straddle any boundary.
    let text = '';
    for (let i = 0; text.length < 6000; i++) text += `${filler.slice(0, 20 + (i % 37))} call me at (206) 555-01${String(i % 90 + 10)} or mail a${i}@example.org. `;
    let pauses = 0;
    const chunked = await scanInChunks(text, opts, { chunkChars: 700, pause: async () => { pauses++; } });
    const whole = scanTextSync(text, opts);
    expect(pauses).toBeGreaterThan(5);
    expect(chunked.findings.map((f) => [f.type, f.start, f.end])).toEqual(whole.findings.map((f) => [f.type, f.start, f.end]));
  });
});

describe('baseline: only what the edit adds', () => {
  it('ignores details already on the page and reports new occurrences', () => {
    const before = 'Reverted by 192.168.0.7. Ask at help@example.org.';
    const after = `${before} My number is +1 206 555 0123, or help@example.org again.`;
    const base = baselineCounts(scanTextSync(before, opts).findings);
    const added = newFindings(scanTextSync(after, opts).findings, base);
    expect(added.map((f) => [f.type, f.text])).toEqual([['PHONE', '+1 206 555 0123'], ['EMAIL', 'help@example.org']]);
    expect(added[1]?.start).toBeGreaterThan(before.length);
  });
});

describe('region hints', () => {
  it.each([
    ['ky', ['ru-RU', 'en'], ['KG', 'RU', 'US']],
    ['en', ['en-GB'], ['US', 'GB']],
    ['xx', ['de-AT', 'de'], ['AT', 'DE']],
    ['ru', ['ru', 'ru-RU'], ['RU']],
  ] as const)('%s with %j → %j', (lang, browserLangs, expected) => {
    expect(regionsFor(lang, browserLangs)).toEqual(expected);
  });
});

describe('pseudonyms', () => {
  it('labels like spreadsheet columns', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(pseudonymLetters)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('replaces names consistently, longest first, at word boundaries, and underscores too', () => {
    const map = buildPseudonyms(['Ann_Lee', 'Ann', 'Bakyt', 'Al'], (l) => `User ${l}`);
    expect(pseudonymizeText('Ann Lee replied to Ann; see User:Ann_Lee and Bakyt.', map))
      .toBe('User A replied to User B; see User:User A and User C.');
    // Not inside words, and two-letter names are never replaced in running text.
    expect(pseudonymizeText('Annotated by Bakyts. Also Al said.', map)).toBeNull();
  });
});

const profile = {
  articlePath: '/wiki/$1',
  namespaceIds: { user: 2, user_talk: 3, special: -1, talk: 1 },
  specialContributionsNames: ['Contributions', 'Contribs'],
} as unknown as WikiProfile;

describe('user links', () => {
  const base = 'https://wiki.example.org/wiki/Talk:X';
  it.each([
    ['/wiki/User:Aigerim', 'Aigerim'],
    ['/wiki/User_talk:Ann_Lee', 'Ann_Lee'],
    ['/wiki/User:Bakyt/sandbox', 'Bakyt'],
    ['/wiki/Special:Contributions/192.0.2.7', '192.0.2.7'],
    ['/w/index.php?title=User:Chloe&action=edit&redlink=1', 'Chloe'],
    ['/wiki/User:%D0%90%D0%B9%D0%B3%D1%83%D0%BB%D1%8C', 'Айгуль'],
    ['/wiki/Talk:User:Nope', null],
    ['/wiki/Special:Watchlist/x', null],
    ['https://other.example.org/wiki/User:Elsewhere', null],
  ] as const)('%s → %s', (href, name) => {
    expect(userOfLink(href, base, profile)).toBe(name);
  });
});

describe('screenshot-safe view on a page', () => {
  it('replaces names in links and text, then restores the exact HTML', async () => {
    const w = new Window({ url: 'https://wiki.example.org/wiki/Talk:X' });
    const doc = w.document as unknown as Document;
    doc.body.innerHTML = '<h2>Question for Bakyt</h2><p>I agree. <a href="/wiki/User:Aigerim">Aigerim</a> '
      + '(<a href="/wiki/User_talk:Aigerim">talk</a>) 10:00</p><p>Thanks Aigerim! '
      + '<a href="/wiki/User:Bakyt">Bakyt</a></p><textarea>Aigerim</textarea>';
    const before = doc.body.outerHTML;
    const view = new PseudonymView(doc, profile, (_key, letters) => `User ${String(letters)}`, new AbortController().signal);
    expect(await view.toggle()).toEqual({ active: true, names: 2 });
    expect(doc.body.textContent).not.toContain('Bakyt');
    expect(doc.body.innerHTML).toContain('Question for User B');
    expect(doc.body.innerHTML).toContain('Thanks User A!');
    // Form fields are the user's own text: left alone.
    expect(doc.querySelector('textarea')?.value).toBe('Aigerim');
    expect(await view.toggle()).toEqual({ active: false, names: 0 });
    expect(doc.body.outerHTML).toBe(before);
  });
});
