/**
 * Links flat thread items into threads (replies by indentation) and gives them DiscussionTools' names and ids,
 * so ids match the `data-mw-comment-start` ids that wikis render and the comment links people share.
 */
import { timestampString } from './timestamp';
import type { CommentItem, HeadingItem, ThreadItem } from './types';

/** DiscussionTools truncates user-written parts of ids to this many UTF-8 bytes (database field of 255). */
export const ID_PART_MAX_BYTES = 80;

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}

export function truncateForId(text: string): string {
  let end = 0;
  let bytes = 0;
  // Called for every item on every build: count bytes by hand (TextEncoder per character was 40% of a build).
  while (end < text.length) {
    const cp = text.codePointAt(end) as number;
    const n = utf8Length(cp);
    if (bytes + n > ID_PART_MAX_BYTES) break;
    bytes += n;
    end += cp > 0xffff ? 2 : 1;
  }
  return text.slice(0, end).replace(/^_+|_+$/g, '');
}

function authorPart(comment: CommentItem): string {
  return `${truncateForId(comment.author.replace(/ /g, '_'))}-${timestampString(comment.utcMs)}`;
}

/** The placeholder heading ranks below every real heading, so no section nests under it (ar-no-paragraph). */
const PLACEHOLDER_HEADING_RANK = 99;

/** Replies by indentation level; headings nest under the preceding higher-level heading (DT's buildThreads). */
export function linkThreads(items: readonly ThreadItem[]): void {
  let lastHeading: HeadingItem | null = null;
  const replies: (ThreadItem | undefined)[] = [];
  for (const item of items) {
    if (replies.length < item.level) {
      // Someone skipped an indentation level: pretend the previous reply covers the missing levels.
      item.warnings.push('Comment skips indentation level');
      while (replies.length < item.level) replies.push(replies[replies.length - 1]);
    }
    if (item.type === 'heading') {
      let maybeParent: ThreadItem | null = lastHeading;
      while (maybeParent && maybeParent.type === 'heading' &&
        (maybeParent.headingLevel ?? PLACEHOLDER_HEADING_RANK) >= (item.headingLevel ?? PLACEHOLDER_HEADING_RANK)) {
        maybeParent = maybeParent.parent;
      }
      if (maybeParent) {
        item.parent = maybeParent;
        maybeParent.replies.push(item);
      }
      lastHeading = item;
    } else {
      const parent = replies[item.level - 1];
      if (parent) {
        item.parent = parent;
        parent.replies.push(item);
      } else {
        item.warnings.push('Comment could not be connected to a thread');
      }
    }
    replies[item.level] = item;
    replies.length = item.level + 1;
  }
}

/** Oldest comment of a thread, sub-threads included (en-big fixture: "Editing News #1" takes its id from a subsection). */
export function oldestComment(item: ThreadItem): CommentItem | null {
  let oldest: CommentItem | null = null;
  const stack: ThreadItem[] = [...item.replies].reverse();
  while (stack.length) {
    const reply = stack.pop() as ThreadItem;
    if (reply.type === 'comment' && (!oldest || reply.utcMs < oldest.utcMs)) oldest = reply;
    for (let i = reply.replies.length - 1; i >= 0; i--) stack.push(reply.replies[i] as ThreadItem);
  }
  return oldest;
}

/** authorPart per comment, each computed once per build (names, ids and the replies' ids all ask). */
type AuthorParts = Map<CommentItem, string>;

function authorPartOf(comment: CommentItem, parts: AuthorParts): string {
  let part = parts.get(comment);
  if (part === undefined) {
    part = authorPart(comment);
    parts.set(comment, part);
  }
  return part;
}

function computeName(item: ThreadItem, parts: AuthorParts): string {
  const main = item.type === 'heading' ? oldestComment(item) : item;
  return (item.type === 'heading' ? 'h-' : 'c-') + (main ? authorPartOf(main, parts) : '');
}

function computeId(item: ThreadItem, taken: ReadonlySet<string>, parts: AuthorParts): string {
  let id: string;
  if (item.type === 'heading') {
    id = item.placeholderHeading ? 'h-' : `h-${truncateForId(item.anchor)}`;
  } else {
    id = `c-${authorPartOf(item, parts)}`;
  }
  const parent = item.parent;
  if (parent && parent.type === 'heading' && !parent.placeholderHeading) {
    id += `-${truncateForId(parent.anchor)}`;
  } else if (parent && parent.type === 'comment') {
    id += `-${authorPartOf(parent, parts)}`;
  }
  if (item.type === 'heading') {
    const oldest = oldestComment(item);
    if (oldest) id += `-${timestampString(oldest.utcMs)}`;
  }
  if (taken.has(id)) {
    item.warnings.push('Duplicate comment ID');
    let n = 1;
    while (taken.has(`${id}-${n}`)) n++;
    id = `${id}-${n}`;
  }
  return id;
}

/** Items named between two chances for the caller to pause (see model.ts buildPageModelAsync). */
export const IDS_PER_YIELD = 256;

/**
 * Names and ids for every item, in document order. Items in `fixedIds` (DT's marker ids, read from the page)
 * keep those ids and are only named; the rest get ids unique among all of them. `knownParts` gives comments'
 * author parts already spelt out (by their DT ids), which are then not written again. Resumable steps (a yield
 * every IDS_PER_YIELD items): on a page without DT markers every id is written here (cut author, timestamp
 * string, parent's part), which in one piece made the build's longest slice.
 */
export function* computeIdsAndNamesSteps(
  items: readonly ThreadItem[], fixedIds?: ReadonlyMap<ThreadItem, string>, knownParts?: ReadonlyMap<CommentItem, string>,
): Generator<void, void> {
  const taken = new Set<string>();
  const parts: AuthorParts = new Map(knownParts);
  if (fixedIds) for (const id of fixedIds.values()) taken.add(id);
  for (let from = 0; from < items.length; from += IDS_PER_YIELD) {
    if (from > 0) yield;
    nameItems(items, from, Math.min(items.length, from + IDS_PER_YIELD), fixedIds, taken, parts);
  }
}

/** Names items[from, to). A plain function, not the generator: the engine optimises it early (as in markers.ts). */
function nameItems(
  items: readonly ThreadItem[], from: number, to: number, fixedIds: ReadonlyMap<ThreadItem, string> | undefined,
  taken: Set<string>, parts: AuthorParts,
): void {
  for (let i = from; i < to; i++) {
    const item = items[i] as ThreadItem;
    item.name = computeName(item, parts);
    const fixed = fixedIds?.get(item);
    if (fixed !== undefined) {
      item.id = fixed;
      continue;
    }
    item.id = computeId(item, taken, parts);
    taken.add(item.id);
  }
}
