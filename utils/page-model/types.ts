/**
 * In-memory thread items. They hold DOM positions (for highlighting and overlays), so they are never sent as
 * JSON directly: see serialise.ts for the plain-data form and its zod schema.
 */

/** A DOM Range-like position that does not need a live Range object (cheap, and works in any DOM). */
export interface DomRange {
  startContainer: Node;
  startOffset: number;
  endContainer: Node;
  endOffset: number;
}

interface ThreadItemBase {
  /** Heading 0; comment = indentation depth + 1. */
  level: number;
  range: DomRange;
  parent: ThreadItem | null;
  replies: ThreadItem[];
  warnings: string[];
  /** Stable across pages/revisions (DiscussionTools "name"). */
  name: string;
  /** Unique within the page (DiscussionTools "id"). */
  id: string;
}

export interface HeadingItem extends ThreadItemBase {
  type: 'heading';
  /** 2 for <h2> …; null for the placeholder that holds comments before the first heading. */
  headingLevel: number | null;
  placeholderHeading: boolean;
  /** The element carrying the anchor id (span.mw-headline or the hN itself); null for the placeholder. */
  headline: Element | null;
  /** Anchor id of the heading ("" for the placeholder). */
  anchor: string;
  text: string;
}

export interface CommentItem extends ThreadItemBase {
  type: 'comment';
  author: string;
  /**
   * Signature link text when it differs from the user name. Undefined until asked for on pages read from DT
   * markers (the build does not read signature links there): use displayNameOf in model.ts.
   */
  displayName: string | null | undefined;
  /** Signature time, UTC epoch ms. */
  utcMs: number;
  signatureRanges: DomRange[];
  timestampRanges: DomRange[];
}

export type ThreadItem = HeadingItem | CommentItem;

export interface ParseStats {
  nodesVisited: number;
  timestampsFound: number;
  /** Name of the budget (limits.ts) that cut the parse short, or null. */
  truncated: string | null;
}
