/**
 * Bidirectional isolation for text Kalkan did not write (user names, page titles, quoted words) when it goes into
 * a translated string or an attribute, where <bdi> cannot be used: an Arabic user name inside an English
 * sentence (or the reverse) would otherwise reorder the neighbouring words and punctuation. U+2068 FIRST STRONG
 * ISOLATE … U+2069 POP DIRECTIONAL ISOLATE are the plain-text equivalent of <bdi>.
 */
const FSI = '\u2068';
const PDI = '\u2069';

export function isolate(text: string): string {
  return `${FSI}${text}${PDI}`;
}
