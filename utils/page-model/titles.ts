import type { WikiProfile } from '../wiki-profile/schema';
import { MAX_HREFS_CACHED } from './limits';

/**
 * Page titles from link targets, and user names from links to User:, User talk: and Special:Contributions/
 * (localised names and aliases from the profile). Mirrors the subset of mw.Title that DiscussionTools uses.
 */

export const NS_SPECIAL = -1;
export const NS_USER = 2;
export const NS_USER_TALK = 3;

/** Origin for resolving relative and protocol-relative hrefs; only the path and query are read. */
const URL_ORIGIN = 'https://kalkan.invalid';

export interface ParsedTitle {
  namespace: number;
  /** Title text without namespace, spaces not underscores, first letter upper-cased. */
  mainText: string;
}

export interface TitleContext {
  namespaceIds: ReadonlyMap<string, number>;
  articlePathRegexp: RegExp;
  contributionsNames: ReadonlySet<string>;
  /** Parsoid writes hrefs relative to the article path ("./User:X"), like its <base href>. */
  urlBase: string;
  /** The article path before "$1" when nothing follows it ("/wiki/"), for the URL-free fast path; else null. */
  articlePrefix: string | null;
  /**
   * Parsed title per href, kept for the wiki's lifetime: every signature walk asks for the same few hundred user
   * links, and `new URL` per link was the top self-time entry of a Chromium build (enwiki archive profile).
   */
  titleCache: Map<string, ParsedTitle | null>;
}

export function createTitleContext(profile: WikiProfile): TitleContext {
  const namespaceIds = new Map<string, number>();
  for (const [name, id] of Object.entries(profile.namespaceIds)) namespaceIds.set(normaliseKey(name), id);
  for (const [id, name] of Object.entries(profile.formattedNamespaces)) {
    if (name) namespaceIds.set(normaliseKey(name), Number(id));
  }
  const [before, after] = splitOnce(profile.articlePath, '$1');
  const articlePathRegexp = new RegExp(`^${escapeForRegExp(before)}(.*)${escapeForRegExp(after)}$`);
  const contributionsNames = new Set(profile.specialContributionsNames.map((n) => ucfirst(normaliseText(n))));
  return {
    namespaceIds, articlePathRegexp, contributionsNames, urlBase: `${URL_ORIGIN}${before}`,
    articlePrefix: after === '' && before.startsWith('/') ? before : null,
    titleCache: new Map(),
  };
}

function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return i === -1 ? [text, ''] : [text.slice(0, i), text.slice(i + sep.length)];
}

function escapeForRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function normaliseKey(name: string): string {
  return normaliseText(name).toLowerCase().replace(/ /g, '_');
}

/** Underscores to spaces, runs of whitespace collapsed, trimmed (like mw.Title). */
export function normaliseText(text: string): string {
  return text.replace(/[_\s\u00A0\u200E\u200F]+/g, ' ').trim();
}

export function ucfirst(text: string): string {
  const first = text.codePointAt(0);
  if (first === undefined) return text;
  const ch = String.fromCodePoint(first);
  return ch.toUpperCase() + text.slice(ch.length);
}

/**
 * Path characters the URL parser keeps as they are (printable ASCII outside the path percent-encode set, no
 * query, fragment or backslash). A path made only of these needs no URL object to be read.
 */
const PLAIN_PATH = /^[!$%&'()*+,\-./0-9:;=@A-Z_a-z~]*$/;
/** "." and ".." segments (also percent-encoded) are resolved by the URL parser: leave those to it. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e)/i;

/**
 * The scheme and host of an absolute or protocol-relative http(s) link ("https://en.wikipedia.org",
 * "//en.wikipedia.org"). Only the path is read, as by the URL parser below; saved and rendered pages
 * (action=render, the DT fixtures) write every wiki link this way. Ports, IP addresses, punycode and other hosts
 * the URL parser might reject are left to it (tests/unit/page-model/titles.test.ts compares both paths).
 */
const HTTP_AUTHORITY = /^(?:https?:)?\/\/(?!.*xn--)(?:[A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*(?=\/)/i;

/** The title part of an href that is a plain article-path link ("/wiki/X", "//host/wiki/X", Parsoid's "./X"), or null. */
function plainArticlePathTitle(href: string, ctx: TitleContext): string | null {
  const prefix = ctx.articlePrefix;
  if (prefix === null) return null;
  let path = href;
  if (href.charCodeAt(0) !== SLASH || href.charCodeAt(1) === SLASH) {
    const authority = HTTP_AUTHORITY.exec(href);
    if (authority) path = href.slice(authority[0].length);
  }
  let rest: string;
  if (path.startsWith(prefix)) rest = path.slice(prefix.length);
  else if (path === href && href.startsWith('./')) rest = href.slice(2);
  else return null;
  return PLAIN_PATH.test(rest) && !DOT_SEGMENT.test(rest) ? rest : null;
}

const SLASH = 0x2f;

function decodeTitle(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch (error) {
    // T106244: fallback 8-bit (non-UTF-8) percent-encoding cannot be decoded; DT ignores such links too.
    void error;
    return null;
  }
}

/** Title string from an href, via ?title= or the article path; null when it is not a link to a page. */
export function titleFromHref(href: string, ctx: TitleContext): string | null {
  if (!href) return null;
  const plain = plainArticlePathTitle(href, ctx);
  if (plain !== null) return decodeTitle(plain);
  return titleFromUrl(href, ctx);
}

/** titleFromHref by the URL parser alone: the reference the fast path must agree with (tests compare them). */
export function titleFromUrl(href: string, ctx: TitleContext): string | null {
  let url: URL;
  try {
    url = new URL(href, ctx.urlBase);
  } catch (error) {
    // Malformed href written by the page: not a link to a user, so no signature.
    void error;
    return null;
  }
  const queryTitle = url.searchParams.get('title');
  if (queryTitle) return queryTitle;
  const match = ctx.articlePathRegexp.exec(url.pathname);
  return match ? decodeTitle(match[1] ?? '') : null;
}

/** The page an href links to, memoised per wiki (see TitleContext.titleCache). */
export function titleOfHref(href: string, ctx: TitleContext): ParsedTitle | null {
  const cache = ctx.titleCache;
  const cached = cache.get(href);
  if (cached !== undefined) return cached;
  const text = titleFromHref(href, ctx);
  // Most links on a talk page are to articles: skip them before any title parsing.
  const title = text && text.includes(':') ? parseTitle(text, ctx) : null;
  if (cache.size >= MAX_HREFS_CACHED) cache.clear();
  cache.set(href, title);
  return title;
}

export function parseTitle(text: string, ctx: TitleContext): ParsedTitle | null {
  let t = text;
  const hash = t.indexOf('#');
  if (hash !== -1) t = t.slice(0, hash);
  t = normaliseText(t);
  if (t.startsWith(':')) t = t.slice(1).trim();
  if (!t) return null;
  let namespace = 0;
  const colon = t.indexOf(':');
  if (colon > 0) {
    const id = ctx.namespaceIds.get(normaliseKey(t.slice(0, colon)));
    if (id !== undefined) {
      namespace = id;
      t = t.slice(colon + 1).trim();
    }
  }
  if (!t || /[<>[\]{}|\uFFFD]/.test(t)) return null;
  return { namespace, mainText: ucfirst(t) };
}

const IPV6 = /^(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}$/i;

export function isIPv6(text: string): boolean {
  return text.includes(':') && IPV6.test(text);
}

export interface LinkUser {
  username: string;
  /** Link text when it differs from the user name beyond case (user-page links only, as in DT). */
  displayName: string | null;
}

/**
 * The user a link points to, or null. `selfTitle` is the current page (a `mw-selflink` has no href).
 */
export function userFromLink(link: Element, ctx: TitleContext, selfTitle: ParsedTitle | null): LinkUser | null {
  let title: ParsedTitle | null;
  if (link.classList.contains('mw-selflink')) {
    title = selfTitle;
  } else {
    title = titleOfHref(link.getAttribute('href') ?? '', ctx);
  }
  if (!title) return null;
  let username: string | null = null;
  let displayName: string | null = null;
  if (title.namespace === NS_USER || title.namespace === NS_USER_TALK) {
    if (title.mainText.includes('/')) return null;
    username = title.mainText;
    if (title.namespace === NS_USER) {
      const text = (link.textContent ?? '').replace(/^\s+|\s+$/g, '');
      if (text && text.toLowerCase() !== username.toLowerCase()) displayName = text;
    }
  } else if (title.namespace === NS_SPECIAL) {
    const parts = title.mainText.split('/');
    if (parts.length === 2 && ctx.contributionsNames.has(ucfirst(normaliseText(parts[0] ?? '')))) {
      const name = ucfirst(normaliseText(parts[1] ?? ''));
      username = name || null;
    }
  }
  if (!username) return null;
  // Bot-written "Preceding unsigned comment added by" links use non-standard case for IPv6 addresses.
  if (isIPv6(username)) username = username.toUpperCase();
  return { username, displayName };
}
