/**
 * A comment's body text (signature left out, like utils/page-model/text.ts) together with where every character
 * came from, so the detector's UTF-16 spans can be turned back into DOM ranges for highlighting. Text inside
 * quotations (blockquote, <q>, the wikis' quote templates) is reported as quoted ranges, which the detector
 * ignores: quoting an insult to complain about it is not an attack.
 *
 * Differences from commentText(): whitespace is kept as it is in the page (offsets must stay exact; the
 * detector tokenises words anyway), block boundaries and <br> become "\n", and <style>/<script> text is skipped.
 */
import { bodySegments } from '../page-model/text';
import { isElement, isText, nextInDocument, tagName } from '../page-model/dom';
import { MAX_COMMENT_TEXT_LENGTH } from '../page-model/limits';
import type { CommentItem, DomRange } from '../page-model/types';

/** Nodes examined per comment (a comment body with more nodes is judged on its beginning). */
export const MAX_MAP_NODES_PER_COMMENT = 20_000;

/**
 * Elements whose text the comment quotes rather than says: HTML quotations and the quote templates of large
 * wikis (enwiki {{tq}} → span.inline-quote-talk, {{talkquote}} → .talkquote, {{quote}} → blockquote.templatequote,
 * {{cquote}}/{{quote box}}). Wikis that render quotes differently only lose the discount, not the highlight.
 */
export const QUOTE_SELECTOR = 'blockquote, q, .inline-quote-talk, .talkquote, .templatequote, .quotebox, .cquote, .pull-quote';

/** Elements whose start ends a line of text (the detector reads sentences and "> " quote lines by line). */
const LINE_BREAKING = new Set(['br', 'p', 'div', 'dd', 'dt', 'li', 'blockquote', 'tr', 'table', 'ul', 'ol', 'dl', 'pre']);
/** Elements whose text is not prose. */
const SKIPPED_TEXT_PARENTS = new Set(['style', 'script', 'noscript', 'template']);

export interface TextPiece {
  /** Offset in the comment text. */
  textStart: number;
  node: Text;
  /** Offset in the text node where this piece starts. */
  nodeStart: number;
  length: number;
}

export interface CommentTextMap {
  text: string;
  pieces: TextPiece[];
  /** UTF-16 [start, end) ranges of `text` that are quotations. */
  quoted: Array<[number, number]>;
  /** True when a budget cut the text short. */
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

/** Builds the text and its source map for one comment. */
export function commentTextMap(comment: CommentItem): CommentTextMap {
  const parts: string[] = [];
  const pieces: TextPiece[] = [];
  const quoted: Array<[number, number]> = [];
  const quoteOf = new Map<Element, Element | null>();
  const commentStart = comment.range.startContainer;
  let length = 0;
  let steps = 0;
  let truncated = false;

  const quoteAncestor = (parent: Element): Element | null => {
    let found = quoteOf.get(parent);
    if (found === undefined) {
      const candidate = parent.closest(QUOTE_SELECTOR);
      // A quote element that wraps the whole comment (someone indenting with <blockquote>) is not a quotation.
      found = candidate && !candidate.contains(commentStart) ? candidate : null;
      quoteOf.set(parent, found);
    }
    return found;
  };
  const newline = () => {
    if (length > 0 && parts[parts.length - 1] !== '\n') {
      parts.push('\n');
      length += 1;
    }
  };

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
        const parent = n.parentElement;
        if (!parent || !SKIPPED_TEXT_PARENTS.has(tagName(parent))) {
          const from = n === seg.start ? seg.startOffset : 0;
          const to = Math.min(n === seg.end ? seg.endOffset : n.data.length, from + MAX_COMMENT_TEXT_LENGTH - length);
          if (to > from) {
            pieces.push({ textStart: length, node: n, nodeStart: from, length: to - from });
            parts.push(n.data.slice(from, to));
            if (parent && quoteAncestor(parent)) {
              const last = quoted[quoted.length - 1];
              if (last && last[1] === length) last[1] = length + to - from;
              else quoted.push([length, length + to - from]);
            }
            length += to - from;
          }
        }
        if (n === seg.end) break;
      } else if (isElement(n) && LINE_BREAKING.has(tagName(n))) {
        newline();
      }
      n = nextInDocument(n, top, true);
    }
    if (truncated) break;
    newline();
  }
  return { text: parts.join(''), pieces, quoted, truncated };
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
  // Between pieces (a synthetic "\n"): the next piece starts after it.
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
  // A span ending in a synthetic character ends in the piece before it.
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
