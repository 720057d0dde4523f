import fc from 'fast-check';

/**
 * Hostile text for the property tests: the Unicode that breaks naive offset arithmetic (lone surrogates, astral
 * characters, ZWJ sequences, combining marks by the thousand, bidi controls, NUL, U+FFFF, BOM) mixed with words
 * and identifiers the detectors look for, so the properties also run through the code paths that report spans.
 */

/** Pieces that are hard for offset code. */
export const ODD_UNICODE: readonly string[] = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  '\uDC00\uD800', // a pair in the wrong order
  '😀', // astral (two code units)
  '👩‍👩‍👧‍👦', // ZWJ family
  '🏳️‍🌈', // ZWJ with variation selector
  'e\u0301', // combining acute
  `a${'\u0301'.repeat(1_000)}`, // combining marks ×1000
  '\u202E', // RIGHT-TO-LEFT OVERRIDE
  '\u2066\u2069', // isolates
  '\u200F\u200E', // RLM LRM
  '\u200B\u200C\u200D', // zero-widths
  '\u0000', // NUL
  '\uFFFF', // noncharacter
  '\uFEFF', // BOM
  '\u00A0', // NBSP
  '\u3000', // ideographic space
  '\r\n',
  '\u0130', // İ: lower-cases to two code units
  'ß', // upper-cases to two
  'ﬁ', // NFKC expands
  '١٢٣٤٥٦٧٨٩٠', // Arabic-Indic digits
];

/** Words and identifiers the detectors react to (invented; no real person). */
export const TRIGGERS: readonly string[] = [
  'idiot', 'you are an idiot', 'i d i o t', 'id1ot', 'stupid', 'kill yourself', 'shut up', 'f*ck', 'ИДИОТ', 'дурак',
  'احمق', 'aptal', 'you moron', 'test@example.org', 'a.b@example.com', '+996 555 123 456', '0555 123 456',
  '192.168.10.20', '2001:db8::1', 'https://example.org/u/x', '@handle_name', 'I live at 12 Baker Street',
  'born on 5 March 1990', '42.8746, 74.5698', 'my name is Aigul Example', '<script>', 'javascript:', '__proto__',
];

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_UNICODE) },
  { weight: 3, arbitrary: fc.constantFrom(...TRIGGERS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(' ', '  ', '\n', '. ', ', ', '!') },
);

/** Text built from the pieces above. */
export const hostileText = (maxPieces = 60): fc.Arbitrary<string> => fc.array(piece, { maxLength: maxPieces }).map((p) => p.join(''));

/** True when `offset` does not split a surrogate pair (a lone surrogate is its own code point). */
export function onCodePointBoundary(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return true;
  const before = text.charCodeAt(offset - 1);
  const at = text.charCodeAt(offset);
  return !(before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff);
}

/** 1 MB of text in the shape of a long, hostile talk page. */
export function megabyteText(): string {
  const unit = `${TRIGGERS.join(' ')} ${ODD_UNICODE.slice(0, 8).join(' ')} `;
  return unit.repeat(Math.ceil(1_000_000 / unit.length)).slice(0, 1_000_000);
}
