import type { ScanContext } from './detector.ts';
import { makeFinding, type Finding } from './schema.ts';

/**
 * E-mail addresses, found by walking out from each "@" rather than running a regex over the whole text: talk
 * pages have few "@" and this keeps a 100 KB scan cheap. Internationalised local parts and domains are allowed
 * (a Cyrillic lookalike letter still leaves someone's real address), file names like "icon@2x.png" are not.
 */

export const EMAIL_CONFIDENCE = 0.95;
export const OBFUSCATED_EMAIL_CONFIDENCE = 0.8;
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

const LOCAL_CHAR = /[\p{L}\p{N}\p{M}._%+\-'=~!#$&*/?^`{|}]/u;
const DOMAIN_CHAR = /[\p{L}\p{N}\p{M}.\-]/u;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]{0,61}[\p{L}\p{N}\p{M}])?$/u;
const TLD = /^(?:[\p{L}]{2,24}|xn--[a-z0-9-]{2,20})$/u;
/** Image and script suffixes that look like TLDs in "logo@2x.png"-style file names. */
const FILE_SUFFIXES = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'js', 'css', 'json', 'pdf', 'tif', 'tiff']);

/** Returns [start, end) of an address around the "@" at `at`, or null. */
export function emailAround(text: string, at: number): [number, number] | null {
  let s = at;
  while (s > 0 && at - s < MAX_LOCAL + 1 && LOCAL_CHAR.test(text.charAt(s - 1))) s--;
  // A local part does not start with punctuation: "(mail:ivan@x.kg)" or "'ivan@x.kg'".
  while (s < at && /[.'=~!#$&*/?^`{|}%+\-]/.test(text.charAt(s))) s++;
  if (s === at) return null;
  if (s > 0 && text.charAt(s - 1) === '@') return null; // "@user@host": a fediverse handle, see detect-url-handle.ts
  let e = at + 1;
  while (e < text.length && e - at <= MAX_DOMAIN && DOMAIN_CHAR.test(text.charAt(e))) e++;
  while (e > at + 1 && /[.\-]/.test(text.charAt(e - 1))) e--;
  const domain = text.slice(at + 1, e);
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  const tld = (labels[labels.length - 1] ?? '').toLowerCase();
  if (!TLD.test(tld) || FILE_SUFFIXES.has(tld)) return null;
  if (text.slice(s, at).includes('..')) return null;
  return [s, e];
}

/** "ivan [at] mail [dot] ru", "ivan(at)mail.ru", "иван собака mail.ru" in brackets: people hiding from bots. */
const OBFUSCATED = /(?<![\p{L}\p{N}._%+\-])([\p{L}\p{N}._%+\-]{1,64})\s*[[({<]\s*(?:at|@|собака|эт)\s*[\])}>]\s*([\p{L}\p{N}\-]{1,63}(?:\s*(?:\.|[[({<]\s*(?:dot|точка)\s*[\])}>])\s*[\p{L}\p{N}\-]{1,63})*\s*(?:\.|[[({<]\s*(?:dot|точка)\s*[\])}>])\s*[\p{L}]{2,24})(?![\p{L}\p{N}])/giu;
const OBFUSCATED_HINT = /[[({<]\s*(?:at|@|собака|эт)\s*[\])}>]/i;

export function detectEmails(ctx: ScanContext): Finding[] {
  const { folded, original } = ctx;
  const out: Finding[] = [];
  for (let at = folded.indexOf('@'); at !== -1; at = folded.indexOf('@', at + 1)) {
    const span = emailAround(folded, at);
    if (span) {
      out.push(makeFinding(original, 'EMAIL', span[0], span[1], EMAIL_CONFIDENCE, 'kalkan-pii-reason-email'));
      at = span[1] - 1;
    }
  }
  if (OBFUSCATED_HINT.test(folded)) {
    OBFUSCATED.lastIndex = 0;
    for (let m = OBFUSCATED.exec(folded); m !== null; m = OBFUSCATED.exec(folded)) {
      out.push(makeFinding(original, 'EMAIL', m.index, m.index + m[0].length, OBFUSCATED_EMAIL_CONFIDENCE,
        'kalkan-pii-reason-email-obfuscated'));
    }
  }
  return out;
}
