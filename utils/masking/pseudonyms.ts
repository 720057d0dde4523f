/**
 * Screenshot-safe view: every user name on a page becomes a consistent pseudonym ("User A", "User B"…) so a
 * screenshot shared for help shows who said what without naming anyone. Pure: the content script finds the names
 * (from user-page, user-talk and contributions links) and the text nodes, this module assigns labels and rewrites
 * one string at a time. The page keeps the originals and restores them exactly.
 */

/** Names replaced per page; beyond this the page is a list (a long history), and the first ones are enough. */
export const MAX_PSEUDONYM_NAMES = 2_000;
/** Shortest name replaced inside running text: one- and two-letter names ("Al") would hit ordinary words. */
export const MIN_NAME_CHARS_IN_TEXT = 3;

/** "A" … "Z", "AA" … "AZ", "BA" …: spreadsheet column letters, never a real-looking name. */
export function pseudonymLetters(index: number): string {
  let n = index;
  let out = '';
  do {
    out = String.fromCharCode(0x41 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

/** A user name as MediaWiki normalises titles: underscores are spaces, runs of spaces collapse, first letter upper. */
export function normalizeUserName(raw: string): string {
  const spaced = raw.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export interface PseudonymMap {
  /** Normalised name → pseudonym. */
  byName: ReadonlyMap<string, string>;
  /** Matches any name (and its underscore form) between word boundaries; null when there is none. */
  pattern: RegExp | null;
}

/**
 * Labels names in the order given (document order keeps "User A" the first person on the page) and compiles one
 * matcher for all of them, longest first so "Ann Lee" wins over "Ann".
 */
export function buildPseudonyms(names: Iterable<string>, label: (letters: string) => string): PseudonymMap {
  const byName = new Map<string, string>();
  for (const raw of names) {
    const name = normalizeUserName(raw);
    if (name === '' || byName.has(name)) continue;
    if (byName.size >= MAX_PSEUDONYM_NAMES) break;
    byName.set(name, label(pseudonymLetters(byName.size)));
  }
  const variants = new Set<string>();
  for (const name of byName.keys()) {
    if (name.length < MIN_NAME_CHARS_IN_TEXT) continue;
    variants.add(name);
    variants.add(name.replace(/ /g, '_'));
  }
  const sorted = [...variants].sort((a, b) => b.length - a.length).map(escapeRegex);
  const pattern = sorted.length
    ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${sorted.join('|')})(?![\\p{L}\\p{N}_])`, 'gu')
    : null;
  return { byName, pattern };
}

/** The text with every name replaced, or null when it holds none (the node is then left untouched). */
export function pseudonymizeText(text: string, map: PseudonymMap): string | null {
  if (!map.pattern) return null;
  map.pattern.lastIndex = 0;
  if (!map.pattern.test(text)) return null;
  map.pattern.lastIndex = 0;
  return text.replace(map.pattern, (match) => map.byName.get(normalizeUserName(match)) ?? match);
}
