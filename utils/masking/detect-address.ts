import type { ScanContext } from './detector.ts';
import { compileCueRegex, compileCues, cueRegex, hasCueBefore } from './cue-match.ts';
import { CUES, SHARED_STREET_AFTER, SHARED_STREET_BEFORE } from './cues.ts';
import { ADDRESS_MAX_NAME_WORDS, CUE_BOOST } from './limits.ts';
import { CUE_LANGUAGES, makeFinding, type Finding } from './schema.ts';

/**
 * Street addresses: a street word ("ул.", "calle", "көчөсү", "Street", "-straße") plus a street name plus a house
 * number, in the orders languages write them. A house number is required, so "Baker Street" alone or "улица
 * Ленина" (a street anyone may name) is not flagged. Street words of every language are used whatever the wiki's
 * language, because an address is written in the language of the place. Postcodes count only after a postcode
 * word ("zip code 76400", "индекс 720001").
 */

export const ADDRESS_CONFIDENCE = { street: 0.6, postcode: 0.7 } as const;

const W = String.raw`[\p{L}\p{N}\p{M}_]`;
const NB = `(?<!${W})`;
const NA = `(?!${W})`;
const NUM = String.raw`\d{1,5}(?:[/\-]\d{1,4})?(?:[ ]?\p{L}${NA})?`;
const NUM_PREFIX = String.raw`(?:(?:д\.|дом|үй|буд\.|no\.?|No\.?|nº|Nº|n°|№|núm\.?|Nr\.?|nr\.?|#|No:|no:|Kapı No:?)\s*)?`;
const WORD_ANY = String.raw`[\p{L}\p{M}][\p{L}\p{M}'’.\-]+`;
const WORD_CAP = String.raw`\p{Lu}[\p{L}\p{M}'’.\-]*`;
const PARTICLE = String.raw`(?:de|del|de la|la|le|les|du|des|do|da|dos|das|di|della|dei|von|van|der|den|al|el|d'|l'|d’|l’)`;
const APT = String.raw`(?:,?\s*(?:кв\.?|квартира|Apt\.?|apt\.?|Apartment|apartment|Suite|suite|Ste\.?|Unit|unit|Flat|flat|Daire|daire|piso|Piso|dpto\.?|app\.?|App\.?|оф\.)\s*\d{1,5}\p{L}?${NA})?`;
const MAX_EXTRA = ADDRESS_MAX_NAME_WORDS - 1;

/** "Street" → "[Ss][Tt][Rr][Ee][Ee][Tt]": street words must match in any case while the street name around them
 * keeps \p{Lu}, which the `i` flag would also let match lower case. */
function caseless(s: string): string {
  let out = '';
  for (const ch of s) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lo !== up && lo.length === 1 && up.length === 1) out += `[${lo}${up}]`;
    else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

/**
 * One alternation of street words. The word-end check (NA, a Unicode property class) is written once for all words
 * that end in a letter instead of once per word: hundreds of copies of it made each of the four address patterns
 * cost 60–250 ms to compile on first use, a long task the first time a user typed a street word (bench-pii.ts).
 * Words ending in punctuation ("ул.", "str.") come first, so "st." is tried before "st".
 */
function wordsPattern(words: readonly string[]): string {
  const uniq = [...new Set(words.map((w) => w.replace(/\*$/, '')))].sort((a, b) => b.length - a.length);
  const body = (w: string) => w.split(/\s+/).map(caseless).join(String.raw`\s+`);
  const letterEnd = uniq.filter((w) => /[\p{L}\p{N}]$/u.test(w)).map(body);
  const otherEnd = uniq.filter((w) => !/[\p{L}\p{N}]$/u.test(w)).map(body);
  const groups: string[] = [];
  if (otherEnd.length) groups.push(otherEnd.join('|'));
  if (letterEnd.length) groups.push(`(?:${letterEnd.join('|')})${NA}`);
  return groups.join('|');
}

function allLanguages(field: 'streetBefore' | 'streetAfter', shared: readonly string[]): string[] {
  const words: string[] = [...shared];
  for (const lang of CUE_LANGUAGES) words.push(...CUES[lang][field]);
  return words;
}

const BEFORE = wordsPattern(allLanguages('streetBefore', SHARED_STREET_BEFORE));
const AFTER = wordsPattern(allLanguages('streetAfter', SHARED_STREET_AFTER));
const COMPOUND_SUFFIX = String.raw`(?:straße|strasse|str\.|gasse|weg|allee|platz|damm|straat|gracht|laan|vej|gade|gatan|gata|vägen|veien|katu|tie|utca|ulica)`;

const PATTERNS: readonly RegExp[] = [
  // "ул. Ленина, д. 5", "calle Mayor 5", "Via Franscini 71", "شارع الملك فهد 12"
  new RegExp(`${NB}(?:${BEFORE})\\s*${WORD_ANY}(?:\\s+${WORD_ANY}){0,${MAX_EXTRA}}?\\s*,?\\s*${NUM_PREFIX}${NUM}${NA}${APT}`, 'gu'),
  // "12 rue de la Paix", "2060 Avenida Otoniel Dutra"
  new RegExp(`${NB}${NUM},?\\s+(?:${BEFORE})\\s+(?:${PARTICLE}\\s+)*${WORD_CAP}(?:\\s+(?:${PARTICLE}\\s+)*${WORD_CAP}){0,${MAX_EXTRA}}${APT}`, 'gu'),
  // "221B Baker Street", "615 Benedum Drive Apt. 3"
  new RegExp(`${NB}${NUM},?\\s+(?:${WORD_CAP}\\s+){1,${ADDRESS_MAX_NAME_WORDS}}?(?:${AFTER})${APT}`, 'gu'),
  // "Чүй көчөсү 123", "Atatürk Cad. No: 5", "Baker Street 221b"
  new RegExp(`${NB}(?:${WORD_CAP}\\s+){1,${ADDRESS_MAX_NAME_WORDS}}?(?:${AFTER})\\s*,?\\s*${NUM_PREFIX}${NUM}${NA}${APT}`, 'gu'),
  // "Hauptstraße 5", "Augsburger Strasse 36", "Puruntie 82"
  new RegExp(`${NB}(?:${WORD_CAP}\\s+)?\\p{Lu}[\\p{L}\\p{M}\\-]*${COMPOUND_SUFFIX}\\s*,?\\s*${NUM}${NA}${APT}`, 'gu'),
];

/**
 * Cheap first pass: the full patterns are only run near a street word or a house-number word, so text without
 * addresses (nearly all of it) costs one regex pass.
 */
const STREET_WORDS = compileCues([
  ...allLanguages('streetBefore', SHARED_STREET_BEFORE), ...allLanguages('streetAfter', SHARED_STREET_AFTER)]);
/** Compound street suffixes on their own (ASCII-fast, no Unicode classes); a hint needs a capitalised word before
 * them (see compoundHints). Running `\p{Lu}[\p{L}\p{M}\-]*suffix` over 100 KB cost ~3.4 ms, mostly trying
 * every capital letter of English prose. */
const COMPOUND_SUFFIX_ONLY = new RegExp(COMPOUND_SUFFIX, 'g');
const UPPER = /\p{Lu}/u;
const NAME_CHAR = /[\p{L}\p{M}\-]/u;
/** Longest word scanned back from a suffix for its capital letter. */
const COMPOUND_MAX_WORD = 48;

/** Where `\p{Lu}[\p{L}\p{M}\-]*suffix` could match: the first capital of the word run ending in a suffix. */
function compoundHints(folded: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  COMPOUND_SUFFIX_ONLY.lastIndex = 0;
  for (let m = COMPOUND_SUFFIX_ONLY.exec(folded); m !== null; m = COMPOUND_SUFFIX_ONLY.exec(folded)) {
    let s = m.index;
    while (s > 0 && m.index - s < COMPOUND_MAX_WORD && NAME_CHAR.test(folded.charAt(s - 1))) s--;
    let cap = -1;
    for (let i = s; i < m.index; i++) {
      if (UPPER.test(folded.charAt(i))) { cap = i; break; }
    }
    if (cap >= 0) out.push({ start: cap, end: m.index + m[0].length });
  }
  return out;
}
/** Characters read around a hint: the longest name (ADDRESS_MAX_NAME_WORDS words) plus numbers and apartment. */
const HINT_REACH = 96;
const DIGIT = /\d/;

const POSTCODE_VALUE = String.raw`(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{3,6}(?:[- ]\d{2,4})?)`;

const postcodeCache = new Map<string, RegExp>();

function postcodeRegex(ctx: ScanContext): RegExp {
  const key = ctx.cueLangs.join(',');
  let re = postcodeCache.get(key);
  if (!re) {
    const words: string[] = [];
    for (const lang of ctx.cueLangs) words.push(...CUES[lang].postcode);
    const cue = compileCueRegex(words);
    re = new RegExp(`(?:${cue.source})(?:\\s+code)?\\s*(?:is|:|-|—|=)?\\s*(${POSTCODE_VALUE})${NA}`, 'giu');
    postcodeCache.set(key, re);
  }
  return re;
}

export function detectAddresses(ctx: ScanContext): Finding[] {
  const { folded, original } = ctx;
  if (!/\d/.test(folded)) return [];
  const out: Finding[] = [];
  const addressCues = cueRegex('address', ctx.cueLangs);
  const windows: [number, number][] = [];
  const hints = STREET_WORDS.find(folded, 0, folded.length, false, ctx.tokens());
  hints.push(...compoundHints(folded));
  hints.sort((a, b) => a.start - b.start);
  for (const h of hints) {
    const from = Math.max(0, h.start - HINT_REACH);
    const to = Math.min(folded.length, h.end + HINT_REACH);
    const last = windows[windows.length - 1];
    if (last && from <= last[1]) last[1] = to;
    else windows.push([from, to]);
  }
  const seen = new Set<string>();
  for (const [from, to] of windows) {
    const part = folded.slice(from, to);
    // Every pattern needs a house number: most hints in prose ("way", "place", "court") have no digit near them.
    if (!DIGIT.test(part)) continue;
    for (const re of PATTERNS) {
      re.lastIndex = 0;
      for (let m = re.exec(part); m !== null; m = re.exec(part)) {
        // A window edge may cut a word; a match touching a cut edge is left to the neighbouring text's reading.
        if (m.index === 0 && from > 0 && /[\p{L}\p{N}]/u.test(folded.charAt(from - 1))) continue;
        const start = from + m.index;
        let end = start + m[0].length;
        while (end > start && /[\s,]/.test(folded.charAt(end - 1))) end--;
        const key = `${start}:${end}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const cued = hasCueBefore(folded, start, addressCues);
        out.push(makeFinding(original, 'ADDRESS', start, end, ADDRESS_CONFIDENCE.street + (cued ? CUE_BOOST : 0),
          cued ? 'kalkan-pii-reason-address-cue' : 'kalkan-pii-reason-address'));
      }
    }
  }
  if (cueRegex('postcode', ctx.cueLangs).find(folded, 0, folded.length, true, ctx.tokens()).length === 0) return out;
  const postcode = postcodeRegex(ctx);
  postcode.lastIndex = 0;
  for (let m = postcode.exec(folded); m !== null; m = postcode.exec(folded)) {
    const value = m[1] ?? '';
    const end = m.index + m[0].length;
    out.push(makeFinding(original, 'ADDRESS', end - value.length, end, ADDRESS_CONFIDENCE.postcode,
      'kalkan-pii-reason-postcode'));
  }
  return out;
}
