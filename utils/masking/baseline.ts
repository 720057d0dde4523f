import type { Finding } from './schema.ts';

/**
 * Which findings the user's edit introduced. An edit form opens with the page's existing text, which on a talk page
 * holds other people's signatures, IP addresses of logged-out editors and links: flagging those on every save would
 * bury the one phone number the user just typed. The text as it was when the editor opened is the baseline;
 * a finding is new when its (type, text) occurs more often now than in the baseline.
 */
export function findingKey(f: Pick<Finding, 'type' | 'text'>): string {
  return `${f.type}\u0000${f.text}`;
}

export function baselineCounts(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(findingKey(f), (counts.get(findingKey(f)) ?? 0) + 1);
  return counts;
}

/** Findings beyond the baseline's count of the same (type, text); the later occurrences are the new ones. */
export function newFindings(findings: readonly Finding[], baseline: ReadonlyMap<string, number>): Finding[] {
  const left = new Map(baseline);
  const byKey = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byKey.get(findingKey(f));
    if (list) list.push(f);
    else byKey.set(findingKey(f), [f]);
  }
  const out: Finding[] = [];
  for (const [key, list] of byKey) {
    const skip = left.get(key) ?? 0;
    // The baseline's occurrences are assumed to be the earliest ones: text is usually added at the end of a page.
    out.push(...list.slice(skip));
  }
  return out.sort((a, b) => a.start - b.start);
}
