/**
 * Length-preserving folding so that detectors can use ASCII patterns on text written with local digits, NBSP,
 * bidi marks and typographic dashes, and still report offsets into the original string: every replacement maps
 * one UTF-16 unit to one UTF-16 unit.
 */

/** Zero digits of the decimal digit blocks seen on wikis Kalkan supports (Arabic-Indic for ar, extended for fa/ur,
 * Devanagari, Bengali, fullwidth). Each block holds ten consecutive code points. */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0xff10];

/** Spaces that word processors and wikis insert between digit groups (NBSP, narrow NBSP, thin, figure space). */
const SPACE_LIKE = new Set([0x00a0, 0x2007, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000, 0x2002, 0x2003]);
/** Invisible format characters (bidi marks and isolates, zero-width space and joiners, soft hyphen). RTL text puts
 * LRM/RLM around numbers, so they must not break a phone number apart. Folded to a space. */
const INVISIBLE = new Set([
  0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
  0x00ad, 0x061c, 0xfeff,
]);
/** Hyphens, dashes and the minus sign. */
const DASH_LIKE = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe63, 0xff0d]);

const NEEDS_FOLD = /[^\x00-\x7f]/;

function foldCode(code: number): number {
  for (const zero of DIGIT_ZEROS) {
    if (code >= zero && code <= zero + 9) return 0x30 + (code - zero);
  }
  if (SPACE_LIKE.has(code) || INVISIBLE.has(code)) return 0x20;
  if (DASH_LIKE.has(code)) return 0x2d;
  if (code === 0xff0b) return 0x2b; // fullwidth plus
  if (code === 0xff08) return 0x28;
  if (code === 0xff09) return 0x29;
  if (code === 0xff0e) return 0x2e;
  if (code === 0xff20) return 0x40; // fullwidth @
  return code;
}

/** Same length as the input; local digits → ASCII, NBSP/bidi marks → space, dashes → '-'. */
export function foldText(text: string): string {
  if (!NEEDS_FOLD.test(text)) return text;
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    const folded = foldCode(code);
    if (folded !== code) {
      out += text.slice(runStart, i) + String.fromCharCode(folded);
      runStart = i + 1;
    }
  }
  return runStart === 0 ? text : out + text.slice(runStart);
}

export function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;

/** True for letters, digits, combining marks and underscore: what "inside a word" means for boundaries. */
export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && ch !== '' && WORD_CHAR.test(ch);
}

/** Lower-cased view for cue matching; toLowerCase keeps length for every script we carry cues for except a few
 * ligatures, so callers re-check lengths before trusting offsets (see cue-match.ts). */
export function lowerForCues(text: string): string {
  return text.toLowerCase();
}
