/**
 * A comment's body text (signature left out, like utils/page-model/text.ts), read two ways that give the SAME
 * string: `commentText` with the browser's native Range.toString() per body segment (fast: no per-node
 * JavaScript, used to score every comment), and `commentTextMap`, a walk that also records where every
 * character came from (used only for flagged comments, to turn the detector's UTF-16 spans back into DOM ranges).
 * Text inside quotations (blockquote, <q>, the wikis' quote templates) is reported as quoted ranges, which the
 * detector ignores: quoting an insult to complain about it is not an attack.
 *
 * Like Range.toString(), the text is every Text node's data in order (no separators are added, whitespace kept,
 * offsets exact); MediaWiki's HTML has newline text nodes between blocks, so paragraphs stay apart.
 */
import { bodySegments } from '../page-model/text';
import { isText, nextInDocument } from '../page-model/dom';
import { MAX_COMMENT_TEXT_LENGTH } from '../page-model/limits';
import type { CommentItem, DomRange } from '../page-model/types';

/** Nodes the mapping walk examines per comment (a comment body with more nodes is mapped on its beginning). */
export const MAX_MAP_NODES_PER_COMMENT = 20_000;
/** Quotation elements considered per page. */
export const MAX_QUOTES_PER_PAGE = 5_000;

/**
 * Elements whose text the comment quotes rather than says: HTML quotations and the quote templates of large
 * wikis (enwiki {{tq}} → span.inline-quote-talk, {{talkquote}} → .talkquote, {{quote}} → blockquote.templatequote,
 * {{cquote}}/{{quote box}}). Wikis that render quotes differently only lose the discount, not the highlight.
 */
export const QUOTE_SELECTOR = 'blockquote, q, .inline-quote-talk, .talkquote, .templatequote, .quotebox, .cquote, .pull-quote';

export interface TextPiece {
  /** Offset in the comment text. */
  textStart: number;
  node: Text;
  /** Offset in the text node where this piece starts. */
  nodeStart: number;
  length: number;
}

export interface CommentText {
  text: string;
  /** UTF-16 [start, end) ranges of `text` that are quotations. */
  quoted: Array<[number, number]>;
}

export interface CommentTextMap {
  text: string;
  pieces: TextPiece[];
  /** True when a budget cut the walk short (the text then ends early). */
  truncated: boolean;
}

function topOf(node: Node): Node {
  let n = node;
  while (n.parentNode) n = n.parentNode;
  return n;
}

function nodeAtBoundary(container: Node, offset: number, top: Node): Node | null {
  if (isText(container)) return container;
  return container.childNodes[offset] ?? nextInDocument(container, top, false);
}

/** The page's quotation elements in document order (one native query per scoring pass). */
export function findQuotes(root: Element): Element[] {
  return Array.from(root.querySelectorAll(QUOTE_SELECTOR)).slice(0, MAX_QUOTES_PER_PAGE);
}

/**
 * Walks the page's quotations alongside the comments (both in document order), so each comment only looks at the
 * quotations that start inside it: linear in comments + quotations.
 */
export class QuoteCursor {
  private next = 0;
  constructor(private readonly quotes: readonly Element[]) {}

  /** Quotations that start inside `range`; earlier ones are skipped for good. */
  within(range: Range): Element[] {
    const found: Element[] = [];
    while (this.next < this.quotes.length && range.comparePoint(this.quotes[this.next]!, 0) < 0) this.next += 1;
    for (let i = this.next; i < this.quotes.length; i++) {
      const where = range.comparePoint(this.quotes[i]!, 0);
      if (where > 0) break;
      found.push(this.quotes[i]!);
    }
    return found;
  }
}

/**
 * Which quotations start inside which comment: by binary search over the comments (in document order) for each
 * quotation — a few dozen position comparisons for a page's handful of quotes, instead of walking a cursor along
 * every comment (≥ 1 comparison each, ~5 µs apiece on a flat 1,000-comment archive because Chromium compares
 * positions by scanning siblings). Pages with many quotations use the cursor, which is then cheaper.
 */
export function quotesByComment(doc: Document, comments: readonly CommentItem[], quotes: readonly Element[]): Map<CommentItem, Element[]> {
  const found = new Map<CommentItem, Element[]>();
  if (!quotes.length || !comments.length) return found;
  const add = (comment: CommentItem, quote: Element) => {
    const list = found.get(comment);
    if (list) list.push(quote);
    else found.set(comment, [quote]);
  };
  const whole = doc.createRange();
  const setWhole = (comment: CommentItem) => {
    whole.setStart(comment.range.startContainer, comment.range.startOffset);
    whole.setEnd(comment.range.endContainer, comment.range.endOffset);
  };
  // A comment or quotation whose nodes the page removed since the model was built throws (another tree): it is
  // left out here, and the rebuild that follows reads it again.
  const skipRemoved = (error: unknown) => {
    if (!(error instanceof DOMException)) throw error;
  };
  if (quotes.length * Math.ceil(Math.log2(comments.length + 1)) >= comments.length) {
    const cursor = new QuoteCursor(quotes);
    for (const comment of comments) {
      try {
        setWhole(comment);
        for (const quote of cursor.within(whole)) add(comment, quote);
      } catch (error) {
        skipRemoved(error);
      }
    }
    return found;
  }
  const point = doc.createRange();
  for (const quote of quotes) {
    try {
      point.setStart(quote, 0);
      point.collapse(true);
      // The last comment that starts at or before the quotation (comparePoint: -1 = the point is before ours).
      let lo = 0;
      let hi = comments.length - 1;
      let last = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const { startContainer, startOffset } = comments[mid]!.range;
        if (point.comparePoint(startContainer, startOffset) <= 0) {
          last = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      if (last < 0) continue;
      const comment = comments[last]!;
      // Inside when it also starts at or before the comment's end (as Range.comparePoint counts both ends in).
      if (point.comparePoint(comment.range.endContainer, comment.range.endOffset) >= 0) add(comment, quote);
    } catch (error) {
      skipRemoved(error);
    }
  }
  return found;
}

/**
 * Reads comments' text by native Range.toString(), with their quoted ranges. One reader per scoring pass: it keeps
 * three Range objects for all comments instead of creating them per comment.
 */
export class CommentTextReader {
  private readonly whole: Range;
  private readonly segment: Range;
  private readonly probe: Range;

  constructor(doc: Document, private readonly quotes: QuoteCursor | null = null) {
    this.whole = doc.createRange();
    this.segment = doc.createRange();
    this.probe = doc.createRange();
  }

  /**
   * `inside`: the quotations that start inside the comment, when the caller knows them (quotesByComment); else
   * the reader's QuoteCursor finds them.
   */
  read(comment: CommentItem, inside?: readonly Element[]): CommentText {
    const { whole, segment, probe } = this;
    let quotes = inside ?? [];
    if (!inside && this.quotes) {
      whole.setStart(comment.range.startContainer, comment.range.startOffset);
      whole.setEnd(comment.range.endContainer, comment.range.endOffset);
      quotes = this.quotes.within(whole);
    }
    const parts: string[] = [];
    const quoted: Array<[number, number]> = [];
    let length = 0;
    for (const seg of bodySegments(comment)) {
      // After the last signature there is usually nothing (the comment ends where its signature does).
      if (seg.start === seg.end && seg.startOffset === seg.endOffset) continue;
      // Start inside the segment's own container first: setStart then compares with a nearby end, not with the
      // previous comment's end somewhere up the page.
      if (isText(seg.start)) segment.selectNodeContents(seg.start);
      segment.setStart(seg.start, seg.startOffset);
      segment.setEnd(seg.end, seg.endOffset);
      const text = segment.toString();
      for (const quote of quotes) {
        if (segment.comparePoint(quote, 0) !== 0) continue;
        probe.setStart(seg.start, seg.startOffset);
        probe.setEnd(quote, 0);
        const from = probe.toString().length;
        // A quotation that runs past the segment (into the signature) counts up to the segment's end.
        const to = Math.min(text.length, from + (quote.textContent ?? '').length);
        if (to > from) quoted.push([length + from, length + to]);
      }
      parts.push(text);
      length += text.length;
      if (length >= MAX_COMMENT_TEXT_LENGTH) break;
    }
    // Most comments have one segment and no quotation: no join, no copies of an empty list (less garbage per pass).
    const text = parts.length === 1 ? parts[0]! : parts.join('');
    return {
      text: text.length > MAX_COMMENT_TEXT_LENGTH ? text.slice(0, MAX_COMMENT_TEXT_LENGTH) : text,
      quoted: quoted.length === 0 ? quoted
        : quoted.filter(([a]) => a < MAX_COMMENT_TEXT_LENGTH).map(([a, b]) => [a, Math.min(b, MAX_COMMENT_TEXT_LENGTH)]),
    };
  }
}

/** One comment's text (see CommentTextReader; use one reader for many comments). */
export function commentText(doc: Document, comment: CommentItem, quotes: QuoteCursor | null = null): CommentText {
  return new CommentTextReader(doc, quotes).read(comment);
}

/** The same text as commentText(), with a source map; walks every node, so only used for flagged comments. */
export function commentTextMap(comment: CommentItem): CommentTextMap {
  const parts: string[] = [];
  const pieces: TextPiece[] = [];
  let length = 0;
  let steps = 0;
  let truncated = false;
  for (const seg of bodySegments(comment)) {
    const top = topOf(seg.start);
    const stop = isText(seg.end) ? null : nodeAtBoundary(seg.end, seg.endOffset, top);
    let n = nodeAtBoundary(seg.start, seg.startOffset, top);
    while (n && n !== stop) {
      if (++steps > MAX_MAP_NODES_PER_COMMENT || length >= MAX_COMMENT_TEXT_LENGTH) {
        truncated = true;
        break;
      }
      if (isText(n)) {
        const from = n === seg.start ? seg.startOffset : 0;
        const to = Math.min(n === seg.end ? seg.endOffset : n.data.length, from + MAX_COMMENT_TEXT_LENGTH - length);
        if (to > from) {
          pieces.push({ textStart: length, node: n, nodeStart: from, length: to - from });
          parts.push(n.data.slice(from, to));
          length += to - from;
        }
        if (n === seg.end) break;
      }
      n = nextInDocument(n, top, true);
    }
    if (truncated) break;
  }
  return { text: parts.join(''), pieces, truncated };
}

/** Index of the piece holding text offset `offset` (as a start: textStart <= offset < end), or -1. */
function pieceAt(pieces: readonly TextPiece[], offset: number): number {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = pieces[mid]!;
    if (offset < p.textStart) hi = mid - 1;
    else if (offset >= p.textStart + p.length) lo = mid + 1;
    else return mid;
  }
  // Pieces are contiguous; an offset past a piece's end belongs to the next one.
  return lo < pieces.length ? lo : -1;
}

/** The DOM range of text [start, end) of a comment, or null when it maps to no page text. */
export function spanToRange(map: CommentTextMap, start: number, end: number): DomRange | null {
  if (end <= start || map.pieces.length === 0) return null;
  const first = pieceAt(map.pieces, start);
  if (first < 0) return null;
  const a = map.pieces[first]!;
  let lastIndex = pieceAt(map.pieces, end - 1);
  if (lastIndex < 0) lastIndex = map.pieces.length - 1;
  // Defensive: a span ending before the piece found ends in the piece before it.
  if (map.pieces[lastIndex]!.textStart > end - 1) lastIndex -= 1;
  if (lastIndex < first) return null;
  const b = map.pieces[lastIndex]!;
  const startOffset = a.nodeStart + Math.max(0, start - a.textStart);
  const endOffset = b.nodeStart + Math.min(b.length, end - b.textStart);
  return { startContainer: a.node, startOffset, endContainer: b.node, endOffset };
}

/** FNV-1a (32-bit) of the text plus its length: a cheap cache key for "this comment's text did not change". */
export function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${(h >>> 0).toString(36)}.${text.length.toString(36)}`;
}
