/**
 * Comment bodies without their signatures: plain text and mentioned users. Computed on demand (features that
 * need it pay for it; building the model does not).
 */
import { isElement, nextInDocument, tagName } from './dom';
import { MAX_COMMENT_TEXT_LENGTH } from './limits';
import { userFromLink, type ParsedTitle, type TitleContext } from './titles';
import type { CommentItem, DomRange } from './types';

/** Nodes examined per comment body when looking for mentions. */
export const MAX_MENTION_NODES_PER_COMMENT = 20_000;

function toRange(doc: Document, start: Node, startOffset: number, end: Node, endOffset: number): Range | null {
  const range = doc.createRange();
  try {
    range.setStart(start, startOffset);
    range.setEnd(end, endOffset);
  } catch (error) {
    // The page changed under the model (offsets out of bounds): no body for this comment until the rescan.
    void error;
    return null;
  }
  return range;
}

/** The comment's range minus its signature ranges, as DOM Ranges. */
export function bodyRanges(comment: CommentItem): Range[] {
  const doc = comment.range.startContainer.ownerDocument;
  if (!doc) return [];
  const bounds: DomRange[] = comment.signatureRanges;
  const out: Range[] = [];
  let start: [Node, number] = [comment.range.startContainer, comment.range.startOffset];
  for (const sig of bounds) {
    const r = toRange(doc, start[0], start[1], sig.startContainer, sig.startOffset);
    if (r && !r.collapsed) out.push(r);
    start = [sig.endContainer, sig.endOffset];
  }
  const tail = toRange(doc, start[0], start[1], comment.range.endContainer, comment.range.endOffset);
  if (tail && !tail.collapsed) out.push(tail);
  return out;
}

export function commentText(comment: CommentItem): string {
  const text = bodyRanges(comment).map((r) => r.toString()).join(' ');
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_COMMENT_TEXT_LENGTH);
}

/** Users linked from the body (not the signature), excluding the author; in order of first appearance. */
export function commentMentions(comment: CommentItem, titles: TitleContext, selfTitle: ParsedTitle | null): string[] {
  const found: string[] = [];
  let examined = 0;
  for (const range of bodyRanges(comment)) {
    const container = range.startContainer;
    const first = container.childNodes.length ? container.childNodes[range.startOffset] ?? null : container;
    const root = range.commonAncestorContainer;
    for (let n: Node | null = first; n; n = nextInDocument(n, root, true)) {
      if (++examined > MAX_MENTION_NODES_PER_COMMENT) return found;
      if (range.comparePoint(n, 0) > 0) break;
      if (!isElement(n) || tagName(n) !== 'a' || !range.intersectsNode(n)) continue;
      const user = userFromLink(n, titles, selfTitle);
      if (user && user.username !== comment.author && !found.includes(user.username)) found.push(user.username);
    }
  }
  return found;
}
