/**
 * Scores a page model against DiscussionTools' expected thread JSON: comments matched on (author, timestamp to
 * the minute), then level, parent and id agreement among matched comments. Pure (plain data in, numbers out).
 */
import { z } from 'zod';
import { parseTimestampString } from './timestamp';

/** One item of DT's expected JSON (tests/cases/<case>/<case>.json), only the fields we score. */
export const ExpectedItemSchema: z.ZodType<ExpectedItem> = z.lazy(() => z.object({
  type: z.enum(['heading', 'comment']),
  id: z.string(),
  level: z.number().int(),
  author: z.string().optional(),
  timestamp: z.string().optional(),
  replies: z.array(ExpectedItemSchema),
}));
export interface ExpectedItem {
  type: 'heading' | 'comment';
  id: string;
  level: number;
  author?: string | undefined;
  timestamp?: string | undefined;
  replies: ExpectedItem[];
}

/** Minimal shape of our own items that scoring needs (CommentJson satisfies it). */
export interface ScoredItem {
  type: 'heading' | 'comment';
  id: string;
  level: number;
  author?: string | undefined;
  timestamp?: string | undefined;
  replies: ScoredItem[];
}

interface FlatComment {
  id: string;
  key: string;
  level: number;
  parentKey: string | null;
}

function minuteKey(author: string, timestamp: string): string {
  const ms = parseTimestampString(timestamp);
  const minute = ms === null ? timestamp : new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
  return `${author}\u0000${minute}`;
}

/** Unique comments (sub-threads repeat comments under several headings) with their parent's key. */
export function flattenComments(threads: readonly ScoredItem[]): FlatComment[] {
  const seen = new Set<string>();
  const out: FlatComment[] = [];
  const stack: { item: ScoredItem; parentKey: string | null }[] =
    [...threads].reverse().map((item) => ({ item, parentKey: null }));
  while (stack.length) {
    const { item, parentKey } = stack.pop() as { item: ScoredItem; parentKey: string | null };
    let key: string | null = null;
    if (item.type === 'comment') {
      key = minuteKey(item.author ?? '', item.timestamp ?? '');
      if (!seen.has(item.id)) {
        seen.add(item.id);
        out.push({ id: item.id, key, level: item.level, parentKey });
      }
    }
    for (let i = item.replies.length - 1; i >= 0; i--) {
      stack.push({ item: item.replies[i] as ScoredItem, parentKey: key });
    }
  }
  return out;
}

export interface CaseScore {
  expected: number;
  found: number;
  matched: number;
  precision: number;
  recall: number;
  f1: number;
  levelCorrect: number;
  parentCorrect: number;
  idCorrect: number;
  levelAccuracy: number;
  parentAccuracy: number;
  idAccuracy: number;
  /** A few unmatched or disagreeing comments, for the report. */
  examples: string[];
}

export const MAX_SCORE_EXAMPLES = 8;

export function scoreThreads(expectedThreads: readonly ScoredItem[], actualThreads: readonly ScoredItem[]): CaseScore {
  const expected = flattenComments(expectedThreads);
  const actual = flattenComments(actualThreads);
  const pool = new Map<string, FlatComment[]>();
  for (const a of actual) {
    const list = pool.get(a.key) ?? [];
    list.push(a);
    pool.set(a.key, list);
  }
  let matched = 0;
  let levelCorrect = 0;
  let parentCorrect = 0;
  let idCorrect = 0;
  const examples: string[] = [];
  const note = (s: string): void => {
    if (examples.length < MAX_SCORE_EXAMPLES) examples.push(s);
  };
  for (const e of expected) {
    const list = pool.get(e.key);
    if (!list || list.length === 0) {
      note(`missed ${e.id}`);
      continue;
    }
    // Prefer the candidate with the same id when an author signed twice in one minute.
    const idx = Math.max(0, list.findIndex((a) => a.id === e.id));
    const a = list.splice(idx, 1)[0] as FlatComment;
    matched++;
    if (a.level === e.level) levelCorrect++;
    else note(`level ${e.id}: expected ${e.level}, got ${a.level}`);
    if (a.parentKey === e.parentKey) parentCorrect++;
    else note(`parent ${e.id}: expected ${String(e.parentKey)}, got ${String(a.parentKey)}`);
    if (a.id === e.id) idCorrect++;
    else note(`id: expected ${e.id}, got ${a.id}`);
  }
  for (const list of pool.values()) for (const a of list) note(`extra ${a.id}`);
  const precision = actual.length ? matched / actual.length : expected.length ? 0 : 1;
  const recall = expected.length ? matched / expected.length : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const ratio = (n: number): number => (matched ? n / matched : 1);
  return {
    expected: expected.length, found: actual.length, matched, precision, recall, f1,
    levelCorrect, parentCorrect, idCorrect,
    levelAccuracy: ratio(levelCorrect), parentAccuracy: ratio(parentCorrect), idAccuracy: ratio(idCorrect),
    examples,
  };
}
