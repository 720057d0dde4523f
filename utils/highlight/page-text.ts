/**
 * Every comment's body text (signatures left out) and its quoted ranges, read in ONE forward walk over the text
 * nodes of the thread container — the same string, character for character, as `CommentTextReader` and
 * `commentTextMap` in text-map.ts (every Text node's data inside the body segments, nothing added).
 *
 * Why a walk and not a Range per comment: placing a Range boundary or asking `comparePoint` makes the browser
 * compare tree positions, which costs a scan of the siblings between them; on the flat old-parser archives
 * (thousands of children under .mw-parser-output) that was most of highlighting's main-thread time (~5 µs a
 * call, measured in Chromium on enwiki VPT Archive 175). Here every comment, signature and quotation boundary is
 * first turned into "offset k of Text node X" (a few steps each), and the walk finds them by node identity: no
 * position comparison at all, and each text node is visited once for the whole page.
 */
import { isText, nextInDocument } from '../page-model/dom';
import { MAX_COMMENT_TEXT_LENGTH } from '../page-model/limits';
import type { CommentItem } from '../page-model/types';
import { MAX_QUOTED_RANGES } from './messages';
import { SLICE_BUDGET_MS, yieldToPage, type YieldFn } from './schedule';
import type { CommentText } from './text-map';

/** Text nodes walked per page; past it the remaining comments are not scored (the pass still ends). */
export const MAX_PAGE_TEXT_NODES = 500_000;
/** Nodes examined to turn one boundary into a text position (a boundary before a long run of empty elements). */
export const MAX_BOUNDARY_STEPS = 2_000;
/** Text nodes walked between two looks at the slice clock (reading the clock per node would cost more). */
export const NODES_PER_CLOCK_CHECK = 64;
/** NodeFilter.SHOW_TEXT (a number, so the module needs no global NodeFilter). */
const SHOW_TEXT = 0x4;

/** Boundary kinds of the comment stream, in the order they occur within one comment. */
const COMMENT_START = 0;
const SIGNATURE_START = 1;
const SIGNATURE_END = 2;
const COMMENT_END = 3;

interface CommentEvent {
  kind: number;
  comment: number;
  /** Offset in the text node. */
  offset: number;
}

interface QuoteEvent {
  start: boolean;
  quote: number;
}

/** The first Text node at or after a boundary point, with the offset in it; null when no text follows. */
export function textPosition(container: Node, offset: number, root: Node): { node: Text; offset: number } | null {
  if (isText(container)) return { node: container, offset: Math.min(offset, container.data.length) };
  let n: Node | null = container.childNodes[offset] ?? (container === root ? null : nextInDocument(container, root, false));
  for (let steps = 0; n && !isText(n); steps++) {
    if (steps >= MAX_BOUNDARY_STEPS) return null;
    n = nextInDocument(n, root, true);
  }
  return n ? { node: n, offset: 0 } : null;
}

/** The first Text node after an element's subtree (where a quotation ends). */
function textAfter(element: Element, root: Node): Text | null {
  let n: Node | null = nextInDocument(element, root, false);
  for (let steps = 0; n && !isText(n); steps++) {
    if (steps >= MAX_BOUNDARY_STEPS) return null;
    n = nextInDocument(n, root, true);
  }
  return n;
}

/** Whether the quotation element begins before the comment's start point (DOM boundary-point order). */
function wrapsStart(quote: Element, comment: CommentItem): boolean {
  const { startContainer, startOffset } = comment.range;
  if (startContainer === quote) return startOffset > 0;
  return quote.contains(startContainer);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface PageTextOptions {
  /** Quotation elements in document order (text-map.ts findQuotes). */
  quotes?: readonly Element[];
  budgetMs?: number;
  now?: () => number;
  yieldFn?: YieldFn;
  /** Called after every slice with its start and end time (for performance measures). */
  onSlice?: (startedAt: number, endedAt: number) => void;
  /** Stops early (a newer pass started, the capability was switched off); checked between slices. */
  cancelled?: () => boolean;
}

/**
 * Reads the body text of `comments` (in document order, inside `root`) in slices, calling `onComment` as each one
 * ends, in document order. Comments that hold no text are reported with ''. Resolves false when cancelled.
 */
export async function readPageText(
  root: Element,
  comments: readonly CommentItem[],
  onComment: (index: number, read: CommentText) => void,
  options: PageTextOptions = {},
): Promise<boolean> {
  const budget = options.budgetMs ?? SLICE_BUDGET_MS;
  const now = options.now ?? (() => performance.now());
  const yieldFn = options.yieldFn ?? yieldToPage;
  const cancelled = options.cancelled ?? (() => false);
  const quotes = options.quotes ?? [];

  const commentEvents = new Map<Text, CommentEvent[]>();
  const quoteEvents = new Map<Text, QuoteEvent[]>();
  const at = (kind: number, comment: number, container: Node, offset: number) => {
    const position = textPosition(container, offset, root);
    if (position) push(commentEvents, position.node, { kind, comment, offset: position.offset });
  };

  // Boundaries first (sliced like the walk: a page decides how many comments and quotations it has).
  let startedAt = now();
  const overBudget = () => now() - startedAt >= budget;
  const nextSlice = async (): Promise<boolean> => {
    options.onSlice?.(startedAt, now());
    await yieldFn();
    startedAt = now();
    return !cancelled();
  };
  for (let i = 0; i < comments.length; i++) {
    const { range, signatureRanges } = comments[i]!;
    at(COMMENT_START, i, range.startContainer, range.startOffset);
    for (const sig of signatureRanges) {
      at(SIGNATURE_START, i, sig.startContainer, sig.startOffset);
      at(SIGNATURE_END, i, sig.endContainer, sig.endOffset);
    }
    at(COMMENT_END, i, range.endContainer, range.endOffset);
    if (overBudget() && !(await nextSlice())) return false;
  }
  for (let q = 0; q < quotes.length; q++) {
    const first = textPosition(quotes[q]!, 0, root);
    const after = textAfter(quotes[q]!, root);
    // A quotation without text, or whose text begins after its end (empty), quotes nothing.
    if (!first || first.node === after) continue;
    push(quoteEvents, first.node, { start: true, quote: q });
    if (after) push(quoteEvents, after, { start: false, quote: q });
    if (overBudget() && !(await nextSlice())) return false;
  }
  // Within one text node the walk applies boundaries by offset; the stream order breaks ties (a comment's end
  // before the next one's start, an empty comment's start before its own end). Array sort is stable.
  for (const list of commentEvents.values()) {
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.offset < list[i - 1]!.offset) {
        list.sort((a, b) => a.offset - b.offset);
        break;
      }
    }
  }

  // The walk. State: the comment being read (-1 between comments), whether we are inside one of its signatures,
  // its text so far and the quotations opened inside its current body segment.
  let current = -1;
  let inSignature = false;
  let parts: string[] = [];
  let length = 0;
  let quoted: Array<[number, number]> = [];
  const open = new Map<number, number>();
  const emitted = new Uint8Array(comments.length);

  const closeQuotes = () => {
    for (const from of open.values()) addQuoted(from);
    open.clear();
  };
  const addQuoted = (from: number) => {
    if (length > from && quoted.length < MAX_QUOTED_RANGES) quoted.push([from, length]);
  };
  const finish = () => {
    if (current < 0) return;
    closeQuotes();
    emitted[current] = 1;
    // Ranges are pushed as quotations close (inner first); report them by start, outer first, like the page order.
    if (quoted.length > 1) quoted.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    onComment(current, { text: parts.join(''), quoted });
    current = -1;
    inSignature = false;
    parts = [];
    length = 0;
    quoted = [];
  };
  const take = (text: string) => {
    if (current < 0 || inSignature || length >= MAX_COMMENT_TEXT_LENGTH || !text) return;
    const piece = length + text.length > MAX_COMMENT_TEXT_LENGTH ? text.slice(0, MAX_COMMENT_TEXT_LENGTH - length) : text;
    parts.push(piece);
    length += piece.length;
  };
  const apply = (event: CommentEvent) => {
    if (event.kind === COMMENT_START) {
      // Comments do not nest; a start while another comment is open ends that one (a model that overlapped).
      finish();
      if (emitted[event.comment]) return;
      current = event.comment;
      return;
    }
    if (event.comment !== current) return;
    if (event.kind === SIGNATURE_START) {
      closeQuotes();
      inSignature = true;
    } else if (event.kind === SIGNATURE_END) {
      inSignature = false;
    } else {
      finish();
    }
  };

  const walker = root.ownerDocument.createTreeWalker(root, SHOW_TEXT);
  let visited = 0;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (++visited > MAX_PAGE_TEXT_NODES) break;
    if (visited % NODES_PER_CLOCK_CHECK === 0 && overBudget() && !(await nextSlice())) return false;
    const events = commentEvents.get(node);
    const quoteHere = quoteEvents.get(node);
    let index = 0;
    // Boundaries at offset 0 come before the quotations that start here: a quotation that starts where a
    // comment starts is inside it; one that starts where a comment ends is not.
    let startedHere = -1;
    while (events && index < events.length && events[index]!.offset === 0) {
      const event = events[index++]!;
      apply(event);
      if (event.kind === COMMENT_START && current === event.comment) startedHere = current;
    }
    if (quoteHere) {
      for (const q of quoteHere) {
        if (!q.start || current < 0 || inSignature || length >= MAX_COMMENT_TEXT_LENGTH) continue;
        // Same text position as the comment's start, but the quotation may still begin before it (a quote box
        // around the whole comment): then it is not a quotation inside the comment.
        if (startedHere === current && wrapsStart(quotes[q.quote]!, comments[current]!)) continue;
        open.set(q.quote, length);
      }
      for (const q of quoteHere) {
        const from = q.start ? undefined : open.get(q.quote);
        if (from === undefined) continue;
        addQuoted(from);
        open.delete(q.quote);
      }
    }
    if (!events || index === events.length) {
      if (current >= 0 && !inSignature) take(node.data);
      continue;
    }
    const data = node.data;
    let position = 0;
    for (; index < events.length; index++) {
      const event = events[index]!;
      const offset = Math.min(event.offset, data.length);
      if (offset > position) {
        take(data.slice(position, offset));
        position = offset;
      }
      apply(event);
    }
    if (position < data.length) take(position === 0 ? data : data.slice(position));
  }
  finish();
  for (let i = 0; i < comments.length; i++) if (!emitted[i]) onComment(i, { text: '', quoted: [] });
  options.onSlice?.(startedAt, now());
  return !cancelled();
}
