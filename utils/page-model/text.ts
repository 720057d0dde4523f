/**
 * Comment bodies without their signatures: plain text and mentioned users. Computed on demand (features that
 * need it pay for it; building the model does not). Walks nodes itself instead of using DOM Range, whose
 * toString() is not implemented in happy-dom and costs a layout-free but allocation-heavy clone in browsers.
 */
import { isElement, isText, nextInDocument, tagName } from './dom';
import { MAX_COMMENT_TEXT_LENGTH } from './limits';
import { userFromLink, type ParsedTitle, type TitleContext } from './titles';
import type { CommentItem } from './types';

/** Nodes examined per comment body (text and mentions). */
export const MAX_BODY_NODES_PER_COMMENT = 20_000;

interface Segment {
  start: Node;
  startOffset: number;
  end: Node;
  endOffset: number;
}

/** The comment's range minus its signature ranges. */
export function bodySegments(comment: CommentItem): Segment[] {
  const out: Segment[] = [];
  let start: Node = comment.range.startContainer;
  let startOffset = comment.range.startOffset;
  for (const sig of comment.signatureRanges) {
    out.push({ start, startOffset, end: sig.startContainer, endOffset: sig.startOffset });
    start = sig.endContainer;
    startOffset = sig.endOffset;
  }
  out.push({ start, startOffset, end: comment.range.endContainer, endOffset: comment.range.endOffset });
  return out;
}

function topOf(node: Node): Node {
  let n = node;
  while (n.parentNode) n = n.parentNode;
  return n;
}

/** First node at or after a boundary point, or null when the point is at the very end. */
function nodeAtBoundary(container: Node, offset: number, top: Node): Node | null {
  if (isText(container)) return container;
  const child = container.childNodes[offset];
  return child ?? nextInDocument(container, top, false);
}

/** Visits text (with the part inside the segment) and elements that start inside the segment. */
function walkSegment(seg: Segment, visit: (node: Node, text: string | null) => boolean | void): void {
  const top = topOf(seg.start);
  const stop = isText(seg.end) ? null : nodeAtBoundary(seg.end, seg.endOffset, top);
  let n = nodeAtBoundary(seg.start, seg.startOffset, top);
  for (let steps = 0; n && n !== stop && steps < MAX_BODY_NODES_PER_COMMENT; steps++) {
    if (isText(n)) {
      const from = n === seg.start ? seg.startOffset : 0;
      const to = n === seg.end ? seg.endOffset : n.data.length;
      if (visit(n, n.data.slice(from, Math.max(from, to)))) return;
      if (n === seg.end) return;
    } else if (visit(n, null)) {
      return;
    }
    n = nextInDocument(n, top, true);
  }
}

export function commentText(comment: CommentItem): string {
  const parts: string[] = [];
  let length = 0;
  for (const seg of bodySegments(comment)) {
    walkSegment(seg, (node, text) => {
      if (text !== null) {
        parts.push(text);
        length += text.length;
      } else if (isElement(node) && (tagName(node) === 'br' || tagName(node) === 'p' || tagName(node) === 'dd' ||
        tagName(node) === 'li')) {
        parts.push(' ');
      }
      return length > MAX_COMMENT_TEXT_LENGTH;
    });
    parts.push(' ');
  }
  return parts.join('').replace(/\s+/g, ' ').trim().slice(0, MAX_COMMENT_TEXT_LENGTH);
}

/** Users linked from the body (not the signature), excluding the author; in order of first appearance. */
export function commentMentions(comment: CommentItem, titles: TitleContext, selfTitle: ParsedTitle | null): string[] {
  const found: string[] = [];
  for (const seg of bodySegments(comment)) {
    walkSegment(seg, (node) => {
      if (!isElement(node) || tagName(node) !== 'a') return false;
      const user = userFromLink(node, titles, selfTitle);
      if (user && user.username !== comment.author && !found.includes(user.username)) found.push(user.username);
      return false;
    });
  }
  return found;
}
