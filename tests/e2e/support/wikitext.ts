/** Reads a page's current wikitext from the local wiki, as an oracle independent of Kalkan's parser. */
export async function rawWikitext(wikiUrl: string, title: string): Promise<string> {
  const response = await fetch(`${wikiUrl}/w/index.php?title=${encodeURIComponent(title)}&action=raw&_=${Date.now()}`);
  if (!response.ok) throw new Error(`action=raw for ${title} answered HTTP ${response.status}`);
  return response.text();
}

/** Signed comments in English wikitext: one "HH:MM, D Month YYYY (UTC)" signature each (as seeded and as ~~~~ writes). */
export function countSignatures(wikitext: string): number {
  return (wikitext.match(/\d\d:\d\d, \d{1,2} [A-Z][a-z]+ \d{4} \(UTC\)/g) ?? []).length;
}

export function countSections(wikitext: string): number {
  return (wikitext.match(/^==[^=].*==\s*$/gm) ?? []).length;
}
