import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { hasSharedData } from '../../support/shared-data';
import fc from 'fast-check';
import { createTitleContext, parseTitle, titleFromHref, titleFromUrl, userFromLink } from '../../../utils/page-model/titles';
import { WikiProfileSchema } from '../../../utils/wiki-profile/schema';
import { dtProfile } from './helpers';

function link(html: string): Element {
  const w = new Window();
  const doc = new w.DOMParser().parseFromString(`<body>${html}</body>`, 'text/html') as unknown as Document;
  return doc.querySelector('a') as Element;
}

describe.skipIf(!hasSharedData)('user links', () => {
  const must: [string, string, string, string | null][] = [
    ['enwiki', '<a href="/wiki/User:Matma_Rex">Matma Rex</a>', 'Matma Rex', null],
    ['enwiki', '<a href="/wiki/User:Matma_Rex">Matma</a>', 'Matma Rex', 'Matma'],
    ['enwiki', '<a href="/wiki/User_talk:Matma_Rex">talk</a>', 'Matma Rex', null],
    ['enwiki', '<a href="/w/index.php?title=User_talk:Foo&action=edit">talk</a>', 'Foo', null],
    ['enwiki', '<a href="/wiki/Special:Contributions/127.0.0.1">127.0.0.1</a>', '127.0.0.1', null],
    ['enwiki', '<a href="/wiki/Special:Contributions/2001:db8::ff00:42:8329">x</a>', '2001:DB8::FF00:42:8329', null],
    ['enwiki', '<a href="./User:Parsoid_Person">Parsoid Person</a>', 'Parsoid Person', null],
    ['enwiki', '<a href="//en.wikipedia.org/wiki/user:lower">lower</a>', 'Lower', null],
    ['plwiki', '<a href="/wiki/Wikipedystka:Ala">Ala</a>', 'Ala', null],
    ['plwiki', '<a href="/wiki/Dyskusja_wikipedysty:Ed">dyskusja</a>', 'Ed', null],
    ['plwiki', '<a href="/wiki/Specjalna:Wk%C5%82ad/Ed">wkład</a>', 'Ed', null],
    ['huwiki', '<a href="/wiki/Speci%C3%A1lis:Szerkeszt%C5%91_k%C3%B6zrem%C5%B1k%C3%B6d%C3%A9sei/lower_cased">Lower cased</a>', 'Lower cased', null],
    ['frwiki', '<a href="/wiki/Utilisatrice:Marie">Marie</a>', 'Marie', null],
    ['arwiki', '<a href="/wiki/%D9%85%D8%B3%D8%AA%D8%AE%D8%AF%D9%85:Khaled">Khaled</a>', 'Khaled', null],
  ];
  it.each(must)('%s %s → %s', (wiki, html, user, display) => {
    const ctx = createTitleContext(dtProfile(wiki));
    expect(userFromLink(link(html), ctx, null)).toEqual({ username: user, displayName: display });
  });

  const mustNot: [string, string][] = [
    ['enwiki', '<a href="/wiki/Talk:Foo">Foo</a>'],
    ['enwiki', '<a href="/wiki/User:Foo/sandbox">sandbox</a>'],
    ['enwiki', '<a href="/wiki/Special:Contributions">contribs</a>'],
    ['enwiki', '<a href="/wiki/Special:Log/Foo">log</a>'],
    ['enwiki', '<a href="https://example.org/other/User:Foo">x</a>'],
    ['huwiki', '<a href="/w/index.php?title=Speci%E1lis:Szerkeszt%F5:Foo">x</a>'],
    ['huwiki', '<a href="/wiki/Szerkeszt%F5:Foo">fallback-encoded</a>'],
    ['enwiki', '<a>no href</a>'],
  ];
  it.each(mustNot)('%s %s is not a user link', (wiki, html) => {
    const ctx = createTitleContext(dtProfile(wiki));
    expect(userFromLink(link(html), ctx, null)).toBeNull();
  });

  it('reads a self-link as the current page', () => {
    const ctx = createTitleContext(dtProfile('plwiki'));
    const self = parseTitle('Dyskusja_wikipedysty:Ed', ctx);
    expect(userFromLink(link('<a class="mw-selflink selflink">Ed</a>'), ctx, self)?.username).toBe('Ed');
  });
});

describe('href fast path agrees with the URL parser', () => {
  const ctx = createTitleContext(WikiProfileSchema.parse({
    schemaVersion: 1, wikiId: 'test', server: '', articlePath: '/wiki/$1', scriptPath: '/w', contentLanguage: 'en',
    dir: 'ltr', namespaceIds: { user: 2 }, formattedNamespaces: { 2: 'User' }, specialContributionsNames: ['Contributions'],
    localTimezone: 'UTC', dateLocales: [{ code: 'en', dateFormat: 'H:i, j F Y', digits: null, messages: {}, timezoneAbbreviations: {} }],
    fetchedAt: 0,
  }));
  const hrefs = [
    '/wiki/User:Foo', '//en.wikipedia.org/wiki/User:Foo', 'https://en.wikipedia.org/wiki/User_talk:Foo_Bar',
    'HTTP://EN.WIKIPEDIA.ORG/wiki/User:Caps', 'http://localhost/wiki/User:Local', './User:Parsoid',
    '//en.wikipedia.org/wiki/User:%C3%89mile', '//en.wikipedia.org/wiki/User:Bad%E9', '//1.2.3.999/wiki/User:Ip',
    '//en.wikipedia.org:99999/wiki/User:Port', '//xn--zz/wiki/User:Puny', '//ex ample.org/wiki/User:Space',
    '//en.wikipedia.org/wiki/./User:Dot', '//en.wikipedia.org/wiki/%2e%2e/User:Dots', '//host\\wiki/User:Backslash',
    'ftp://en.wikipedia.org/wiki/User:Ftp', '//en.wikipedia.org/w/index.php?title=User:Q&action=edit',
    '//en.wikipedia.org', 'https://en.wikipedia.org/', '//en.wikipedia.org/wiki/User:Hash#frag',
    'https:/wiki/User:OneSlash', '///wiki/User:Three', '//-/wiki/User:Dash',
  ];
  // An empty href links to the page itself, not to a title: titleFromHref refuses it before either path.
  const reference = (href: string) => (href ? titleFromUrl(href, ctx) : null);
  it.each(hrefs)('%s', (href) => {
    expect(titleFromHref(href, ctx)).toBe(reference(href));
  });
  it('agrees on generated hrefs', () => {
    const part = fc.constantFrom('', '/', '//', 'https:', 'http:', 'HTTPS:', 'en.wikipedia.org', 'a-b.c', '1.2.3.4', ':80',
      'xn--', '/wiki/', './', '.', '..', '%2e', 'User:', 'X', '%C3%A9', '%E9', '?', '#', '\\', ' ', '@', '[::1]', 'wiki');
    fc.assert(fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
      const href = parts.join('');
      expect(titleFromHref(href, ctx)).toBe(reference(href));
    }), { numRuns: 5000 });
  });
});
