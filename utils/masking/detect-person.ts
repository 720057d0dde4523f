import type { ScanContext } from './detector.ts';
import { cueRegex, findCues } from './cue-match.ts';
import { PERSON_MAX_NAME_WORDS } from './limits.ts';
import { makeFinding, type Finding } from './schema.ts';

/**
 * A name the writer states as their own ("my name is X", "меня зовут X", "менин атым X"). There is no general
 * name recogniser on purpose: other people's names on talk pages are mostly editors' user names and public
 * figures. The user's own listed names are found by own-identifiers.ts instead.
 * In cased scripts the name must be capitalised ("my name is not important" is no name); Arabic and Persian have
 * no case, so one or two words are taken.
 */

export const PERSON_CONFIDENCE = 0.85;

const GLUE = String.raw`[ \t]*(?::|—|–|-|is|es|est|ist)?[ \t]*`;
const CASED_NAME = new RegExp(
  String.raw`^${GLUE}(\p{Lu}[\p{Ll}\p{M}'’\-]+(?:[ \t]+\p{Lu}[\p{Ll}\p{M}'’\-]+){0,${PERSON_MAX_NAME_WORDS - 1}})(?![\p{L}\p{M}])`, 'u');
/** Arabic-script letters and harakat, without the Arabic comma, semicolon, question mark and digits. */
const ARABIC_LETTER = String.raw`[\u0620-\u065f\u066e-\u06d3\u06d5\u06e5\u06e6\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f]`;
const UNCASED_NAME = new RegExp(
  String.raw`^${GLUE}(${ARABIC_LETTER}{2,}(?:[ \t\u200c]+${ARABIC_LETTER}{2,})?)`, 'u');
/** Verbs that end a Persian or Arabic self-introduction ("اسم من علی است"): not part of the name. */
const UNCASED_STOP = /[ \t\u200c]+(?:است|هست|هستم|می‌باشد|هو|هي)$/u;

export function detectStatedNames(ctx: ScanContext): Finding[] {
  const { folded, original } = ctx;
  const out: Finding[] = [];
  for (const cue of findCues(folded, cueRegex('nameIntro', ctx.cueLangs), ctx.tokens())) {
    const after = folded.slice(cue.end, cue.end + 80);
    const m = CASED_NAME.exec(after) ?? UNCASED_NAME.exec(after);
    const name = m?.[1];
    if (!m || !name) continue;
    const trimmed = name.replace(UNCASED_STOP, '');
    const start = cue.end + m[0].length - name.length;
    out.push(makeFinding(original, 'PERSON', start, start + trimmed.length, PERSON_CONFIDENCE,
      'kalkan-pii-reason-stated-name'));
  }
  return out;
}
