import type { Tok } from './cue-match.ts';
import type { CueLanguage, Finding } from './schema.ts';

/** What every synchronous detector reads: the text once, folded once (see unicode.ts), plus the page's hints. */
export interface ScanContext {
  /** The text as written; findings slice their `text` from here. */
  original: string;
  /** Same length as `original`: local digits → ASCII, NBSP/bidi marks → space, dashes → '-'. */
  folded: string;
  /** The page's content language as given, e.g. "ky"; digit-grouping conventions depend on it. */
  lang: string;
  /** Languages whose cue lists apply (cue-match.ts cueLanguagesFor). */
  cueLangs: readonly CueLanguage[];
  /** Default-country hints for national phone formats, e.g. ["KG"]: the wiki's region, then the user's. */
  regions: readonly string[];
  /** Words of `folded`, computed once on first use and shared by the detectors that search whole-text cues. */
  tokens(): readonly Tok[];
}

export type Detector = (ctx: ScanContext) => Finding[];
