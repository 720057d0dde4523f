import type { ScanContext } from './detector.ts';
import { compileCueRegex, compileCues, cueRegex, hasCueNear } from './cue-match.ts';
import { PLATFORM_CUES } from './cues.ts';
import { CUE_BOOST } from './limits.ts';
import { makeFinding, type Finding } from './schema.ts';

/**
 * Links to a person's profile on another platform, and handles there. Ordinary links (sources, other wikis) are not
 * identifying and are left alone unless a cue says the link is the writer's own ("my blog"). A bare "@name" is a
 * handle only with a platform cue nearby, since "@" is also used for pings and in code.
 */

export const URL_CONFIDENCE = { profile: 0.9, fediverse: 0.85, cuedLink: 0.7 } as const;
export const HANDLE_CONFIDENCE = { fediverse: 0.95, cued: 0.85, labelled: 0.6 } as const;

/** Profile hosts; a path is required, "vk.com" alone names the site, not a person. */
const PROFILE_HOSTS = [
  't\\.me', 'telegram\\.me', 'telegram\\.dog', 'vk\\.com', 'vk\\.ru', 'm\\.vk\\.com', 'facebook\\.com', 'fb\\.com',
  'm\\.facebook\\.com', 'instagram\\.com', 'instagr\\.am', 'x\\.com', 'twitter\\.com', 'mobile\\.twitter\\.com',
  'tiktok\\.com', 'linkedin\\.com', '[a-z]{2}\\.linkedin\\.com', 'github\\.com', 'gitlab\\.com', 'youtube\\.com',
  'm\\.youtube\\.com', 'youtu\\.be', 'reddit\\.com', 'old\\.reddit\\.com', 'ok\\.ru', 'threads\\.net',
  'threads\\.com', 'bsky\\.app', 'twitch\\.tv', 'pinterest\\.com', 'medium\\.com', 'soundcloud\\.com',
  'snapchat\\.com', 'discord\\.gg', 'discord\\.com/users', 'wa\\.me', 'linktr\\.ee', 'my\\.mail\\.ru',
  'steamcommunity\\.com', 'patreon\\.com', 'boosty\\.to', 'onlyfans\\.com', 'tumblr\\.com', 'flickr\\.com',
  'behance\\.net', 'dribbble\\.com', 'habr\\.com/[a-z]{2}/users', 'livejournal\\.com', '[a-z0-9-]+\\.livejournal\\.com',
  '[a-z0-9-]+\\.tumblr\\.com', '[a-z0-9-]+\\.substack\\.com', '[a-z0-9-]+\\.blogspot\\.com',
];
const URL_TAIL = String.raw`[^\s<>"'{}|\[\]\\^]*`;
const PROFILE_URL = new RegExp(
  String.raw`(?<![\p{L}\p{N}_.\-/])(?:https?://)?(?:www\.)?(?:${PROFILE_HOSTS.join('|')})/${URL_TAIL}`, 'giu');
/** Subdomain blogs are profiles even without a path. */
const SUBDOMAIN_PROFILE = /(?<![\p{L}\p{N}_.\-/])(?:https?:\/\/)?[a-z0-9-]+\.(?:livejournal|tumblr|substack|blogspot)\.com\b/giu;
/** Mastodon and other fediverse profile links: https://host/@user */
const FEDIVERSE_URL = /https?:\/\/[a-z0-9.-]+\.[a-z]{2,}\/@[\p{L}\p{N}_.]+(?:@[a-z0-9.-]+\.[a-z]{2,})?/giu;
const ANY_URL = /(?<![\p{L}\p{N}_])https?:\/\/[^\s<>"'{}|[\]\\^]+/giu;
/** "@user@mastodon.social" */
const FEDIVERSE_HANDLE = /(?<![\p{L}\p{N}_.@])@[\p{L}\p{N}_.]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![\p{L}\p{N}_])/giu;
const AT_HANDLE = /(?<![\p{L}\p{N}_.@/])@[\p{L}\p{N}_][\p{L}\p{N}_.]{1,31}(?![\p{L}\p{N}_@])/gu;
const PLATFORM = compileCues(PLATFORM_CUES);
/**
 * "Telegram: ivan_p", "discord: name#1234": a platform word, a colon, then an ASCII name (user names on these
 * platforms are ASCII). Not a dash: Russian writes "ВКонтакте — крупнейшая сеть" (factRuEval news text).
 */
const LABELLED_HANDLE = new RegExp(
  `(?:${compileCueRegex(PLATFORM_CUES).source})[ \\t]*:[ \\t]*(?!https?:)([A-Za-z0-9_][A-Za-z0-9_.#]{3,31})(?![\\p{L}\\p{N}_@/])`, 'giu');

/** Plain-ASCII pre-check for PROFILE_URL and SUBDOMAIN_PROFILE: far cheaper than their Unicode lookbehinds. */
const PROFILE_HINT = /t\.me|telegram|vk\.|facebook|fb\.com|instagr|x\.com|twitter|tiktok|linkedin|github|gitlab|youtu|reddit|ok\.ru|threads\.|bsky|twitch|pinterest|medium\.com|soundcloud|snapchat|discord|wa\.me|linktr|mail\.ru|steamcommunity|patreon|boosty|onlyfans|tumblr|flickr|behance|dribbble|habr|livejournal|substack|blogspot/i;
const PROFILE_HINT_ALL = new RegExp(PROFILE_HINT.source, 'gi');
const SPACE = /\s/;

/**
 * The words (runs between whitespace) holding a hint, each widened by one character on either side so lookbehinds
 * and lookaheads see the same neighbours as in the whole text; overlapping windows are merged.
 */
function hintWords(text: string, hint: RegExp): [number, number][] {
  const out: [number, number][] = [];
  hint.lastIndex = 0;
  for (let h = hint.exec(text); h !== null; h = hint.exec(text)) {
    let from = h.index;
    while (from > 0 && !SPACE.test(text.charAt(from - 1))) from--;
    let to = h.index + h[0].length;
    while (to < text.length && !SPACE.test(text.charAt(to))) to++;
    from = Math.max(0, from - 1);
    to = Math.min(text.length, to + 1);
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
    hint.lastIndex = Math.max(hint.lastIndex, to - 1);
  }
  return out;
}

/** Pre-check for LABELLED_HANDLE: a platform word right before a colon. */
const LABEL_HINT = /(?:gram|tg|insta|ig|twitter|tok|vk|вк|такте|book|fb|linkedin|hub|lab|tube|reddit|don|cord|chat|sky|skype|app|twitch|terest|ok\.ru|stack|fans|[\u0400-\u04ff]{2,}) *:/i;

/** Sentence punctuation that ends a link typed in running text. */
function trimUrlEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start) {
    const ch = text.charAt(e - 1);
    if (/[.,;:!?»"'”’]/.test(ch)) e--;
    else if (ch === ')' && !text.slice(start, e).includes('(')) e--;
    else break;
  }
  return e;
}

function collect(re: RegExp, folded: string, onMatch: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  for (let m = re.exec(folded); m !== null; m = re.exec(folded)) {
    if (m[0].length === 0) { re.lastIndex++; continue; }
    onMatch(m);
  }
}

export function detectUrlsAndHandles(ctx: ScanContext): Finding[] {
  const { folded, original } = ctx;
  const out: Finding[] = [];
  const hasAt = folded.includes('@');
  const hasDot = folded.includes('.');
  if (hasDot && PROFILE_HINT.test(folded)) {
    // Only the whitespace-delimited words holding a hint: neither pattern can cross whitespace, and their Unicode
    // lookbehinds tried at every position of 100 KB cost ~17 ms (scripts/bench-pii.ts).
    for (const [from, to] of hintWords(folded, PROFILE_HINT_ALL)) {
      const part = folded.slice(from, to);
      collect(PROFILE_URL, part, (m) => {
        const start = from + m.index;
        const end = trimUrlEnd(folded, start, start + m[0].length);
        // A path of only "/" or a site section ("/help", "/about") names no one; require a name-like segment.
        const path = folded.slice(start, end).replace(/^[^/]*\/\/[^/]*|^[^/]*/, '');
        if (!/[\p{L}\p{N}_]{2,}/u.test(path)) return;
        out.push(makeFinding(original, 'URL', start, end, URL_CONFIDENCE.profile, 'kalkan-pii-reason-profile-link'));
      });
      collect(SUBDOMAIN_PROFILE, part, (m) => {
        const start = from + m.index;
        out.push(makeFinding(original, 'URL', start, start + m[0].length, URL_CONFIDENCE.profile,
          'kalkan-pii-reason-profile-link'));
      });
    }
  }
  if (folded.includes('://')) {
    if (hasAt) {
      collect(FEDIVERSE_URL, folded, (m) => {
        out.push(makeFinding(original, 'URL', m.index, m.index + m[0].length, URL_CONFIDENCE.fediverse,
          'kalkan-pii-reason-profile-link'));
      });
    }
    const contact = cueRegex('contact', ctx.cueLangs);
    collect(ANY_URL, folded, (m) => {
      const end = trimUrlEnd(folded, m.index, m.index + m[0].length);
      if (!hasCueNear(folded, m.index, end, contact)) return;
      out.push(makeFinding(original, 'URL', m.index, end, URL_CONFIDENCE.cuedLink, 'kalkan-pii-reason-own-link'));
    });
  }
  if (hasAt) {
    collect(FEDIVERSE_HANDLE, folded, (m) => {
      out.push(makeFinding(original, 'HANDLE', m.index, m.index + m[0].length, HANDLE_CONFIDENCE.fediverse,
        'kalkan-pii-reason-fediverse-handle'));
    });
    collect(AT_HANDLE, folded, (m) => {
      if (!hasCueNear(folded, m.index, m.index + m[0].length, PLATFORM, 40, 24)) return;
      out.push(makeFinding(original, 'HANDLE', m.index, m.index + m[0].length, HANDLE_CONFIDENCE.cued,
        'kalkan-pii-reason-handle'));
    });
  }
  if (folded.includes(':') && LABEL_HINT.test(folded)) {
    const contact = cueRegex('contact', ctx.cueLangs);
    collect(LABELLED_HANDLE, folded, (m) => {
      const name = m[1] ?? '';
      const start = m.index + m[0].length - name.length;
      const end = trimUrlEnd(folded, start, m.index + m[0].length);
      if (end - start < 4) return;
      const confidence = HANDLE_CONFIDENCE.labelled + (hasCueNear(folded, m.index, end, contact) ? CUE_BOOST : 0);
      out.push(makeFinding(original, 'HANDLE', start, end, confidence, 'kalkan-pii-reason-handle'));
    });
  }
  return out;
}
