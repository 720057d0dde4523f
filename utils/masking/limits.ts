/**
 * Every budget the scanner keeps, in one place, so the UI can explain a degraded result ("only the first 200 000
 * characters were checked") instead of hanging on a huge page.
 */

/** Characters scanned per call; the rest is reported as not scanned (ScanResult.truncated). */
export const MAX_SCAN_CHARS = 200_000;
/** Findings returned per call; more than this means the text is not a talk-page comment, stop early. */
export const MAX_FINDINGS_PER_SCAN = 500;
/** Findings below this confidence are dropped unless the caller asks for a lower threshold. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;
/** How far before a candidate (UTF-16 units) a context cue like "my phone" still counts. */
export const CUE_WINDOW_BEFORE = 48;
/** How far after a candidate a label like "(mobile)" or "— fax" still counts. */
export const CUE_WINDOW_AFTER = 16;
/** Confidence added when a context cue is near a candidate. */
export const CUE_BOOST = 0.3;
/** A phone number has at least this many digits (short local numbers like "467 3395"). */
export const PHONE_MIN_DIGITS = 7;
/** E.164 allows at most 15 digits; longer runs are card numbers, ids or timestamps. */
export const PHONE_MAX_DIGITS = 15;
/** Memoised libphonenumber parses kept (detect-phone.ts parsePhoneCached); a few hundred bytes each. */
export const PHONE_PARSE_CACHE_SIZE = 2_000;
/** A run of separated digit groups longer than this (UTF-16 units) is a table of numbers, not one phone. */
export const PHONE_MAX_CANDIDATE_CHARS = 32;
/** Date of birth: how far after a birth cue the date may start. */
export const DOB_WINDOW_AFTER_CUE = 40;
/** Words a street name may span in an address ("Avenida Otoniel Dutra 1277"). */
export const ADDRESS_MAX_NAME_WORDS = 4;
/** Words taken as the name after "my name is". */
export const PERSON_MAX_NAME_WORDS = 3;
/** Longest identifier, in tokens, a user may list (a full name with patronymic and a double surname). */
export const OWN_MAX_TOKENS = 6;
/** Identifiers a user may list. */
export const OWN_MAX_ENTRIES = 64;
/** Token n-grams hashed per call; texts beyond that are matched in their first part only (truncated). */
export const OWN_MAX_NGRAMS_PER_SCAN = 60_000;
/** Hashes started at once, so a long text does not queue tens of thousands of promises. */
export const OWN_HASH_BATCH = 512;
/** Bytes of random salt per user. */
export const OWN_SALT_BYTES = 16;
/** Characters of context around an edit that incremental rescans re-read, so a cue or a number cut by the edit
 * boundary is seen whole. */
export const INCREMENTAL_MARGIN = 160;
