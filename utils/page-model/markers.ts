/**
 * Fast path for pages DiscussionTools has already parsed on the server: today's Wikipedia talk pages carry
 * `<span data-mw-comment-start id="c-…">`, `data-mw-comment-sig`, `data-mw-comment-end` and timestamp links whose
 * title is the Unix time. One querySelectorAll in document order gives every comment boundary; no regexps.
 */
import { childIndexOf, headingLevelOf, indentLevel, isElement, isText, nextInDocument, tagName } from './dom';
import {
  MAX_COMMENTS, MAX_HEADINGS, MAX_LINKS_PER_SIGNATURE_WALK, MAX_NODES_VISITED, MAX_SIGNATURE_WALK_NODES,
} from './limits';
import type { ParserSetup } from './parser';
import { runToEnd, SignatureParser } from './parser';
import { parseTimestampString } from './timestamp';
import { truncateForId } from './threads';
import { parseTitle, userFromLink, type ParsedTitle } from './titles';
import type { CommentItem, DomRange, HeadingItem, ParseStats, ThreadItem } from './types';

const MARKER_SELECTOR = 'h1,h2,h3,h4,h5,h6,[data-mw-comment-start],[data-mw-comment-sig],[data-mw-comment-end]';
/** Regions DiscussionTools does not parse (and Kalkan's own overlays). */
const EXCLUDED_REGIONS = '#toc, blockquote, cite, q, .mw-notalk, ol.references, [id^="kalkan-"], [class*="kalkan-"]';
const TIMESTAMP_LINK_CLASS = 'ext-discussiontools-init-timestamplink';
/** c-<Author_with_underscores>-<ISO or YYYYMMDDHHMMSS>[-<parent>] */
const COMMENT_ID = /^c-(.+?)-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z|\d{14})(?=-|$)/;

export function hasDiscussionToolsMarkers(root: Element): boolean {
  try {
    return root.querySelector('[data-mw-comment-start][id^="c-"]') !== null;
  } catch (error) {
    // Recursive selector engines (happy-dom) overflow the stack on 5,000-deep pages: walk iteratively instead.
    if (!(error instanceof RangeError)) throw error;
    let n: Node | null = root;
    for (let steps = 0; n && steps < MAX_NODES_VISITED; steps++) {
      if (isElement(n) && n.hasAttribute('data-mw-comment-start') && n.id.startsWith('c-')) return true;
      n = nextInDocument(n, root, true);
    }
    return false;
  }
}

/** Author and timestamp encoded in a DT comment id (authors are truncated to 80 bytes there). */
export function parseCommentId(id: string): { author: string; utcMs: number } | null {
  const m = COMMENT_ID.exec(id);
  if (!m) return null;
  const utcMs = parseTimestampString(m[2] ?? '');
  if (utcMs === null) return null;
  return { author: (m[1] ?? '').replace(/_/g, ' '), utcMs };
}

interface PendingComment {
  id: string;
  start: Element;
  sigs: Element[];
}

export interface MarkerReadResult {
  items: ThreadItem[];
  /** Marker id for items that carried one (the model keeps DT's ids over recomputed ones). */
  markerIds: Map<ThreadItem, string>;
  stats: ParseStats;
}

interface SignatureFacts {
  username: string | null;
  displayName: string | null;
  timestampLink: Element | null;
}

function readSignature(sig: Element, root: Node, setup: ParserSetup, selfTitle: ParsedTitle | null): SignatureFacts {
  const users: { username: string; displayName: string | null }[] = [];
  let timestampLink: Element | null = null;
  let links = 0;
  let n: Node | null = nextInDocument(sig, root, true);
  for (let steps = 0; n && steps < MAX_SIGNATURE_WALK_NODES; steps++) {
    if (isElement(n)) {
      if (n.hasAttribute('data-mw-comment-end') || n.hasAttribute('data-mw-comment-start')) break;
      if (tagName(n) === 'a') {
        if (n.classList.contains(TIMESTAMP_LINK_CLASS)) {
          timestampLink = n;
          break;
        }
        if (++links > MAX_LINKS_PER_SIGNATURE_WALK) break;
        const user = userFromLink(n, setup.titles, selfTitle);
        if (user) users.push(user);
      }
    }
    n = nextInDocument(n, root, true);
  }
  // As in the parser: the user link closest to the timestamp decides; earlier links to the same user may
  // carry the display name.
  const last = users[users.length - 1];
  let displayName: string | null = null;
  if (last) {
    for (let i = users.length - 1; i >= 0; i--) {
      const u = users[i];
      if (u && u.username === last.username && u.displayName) displayName = u.displayName;
    }
  }
  return { username: last?.username ?? null, displayName, timestampLink };
}

function textRangeOf(link: Element): DomRange {
  const first = link.firstChild;
  if (isText(first) && first === link.lastChild) {
    return { startContainer: first, startOffset: 0, endContainer: first, endOffset: first.data.length };
  }
  return { startContainer: link, startOffset: 0, endContainer: link, endOffset: link.childNodes.length };
}

/** Markers read between two chances for the caller to pause (see model.ts buildPageModelAsync). */
export const MARKERS_PER_YIELD = 64;

export function readMarkers(root: Element, setup: ParserSetup, pageTitle: string): MarkerReadResult {
  return runToEnd(readMarkersSteps(root, setup, pageTitle));
}

/** readMarkers as resumable steps (yields every MARKERS_PER_YIELD markers). */
export function* readMarkersSteps(root: Element, setup: ParserSetup, pageTitle: string): Generator<void, MarkerReadResult> {
  const stats: ParseStats = { nodesVisited: 0, timestampsFound: 0, truncated: null };
  const selfTitle = parseTitle(pageTitle, setup.titles);
  // Reuse the parser's heading construction so both paths agree on anchors and ranges.
  const headingMaker = new SignatureParser(root, setup, pageTitle);
  const items: ThreadItem[] = [];
  const markerIds = new Map<ThreadItem, string>();
  const pending = new Map<string, PendingComment>();
  let lastHeading: { item: HeadingItem; element: Element } | null = null;
  let comments = 0;
  let headings = 0;

  let sinceYield = 0;
  for (const el of root.querySelectorAll(MARKER_SELECTOR)) {
    if (++sinceYield >= MARKERS_PER_YIELD) {
      sinceYield = 0;
      yield;
    }
    stats.nodesVisited++;
    const level = headingLevelOf(el);
    if (level > 0) {
      if (el.closest(EXCLUDED_REGIONS)) continue;
      if (++headings > MAX_HEADINGS) {
        stats.truncated = 'MAX_HEADINGS';
        break;
      }
      const item = headingMaker.headingItem(el, level);
      items.push(item);
      lastHeading = { item, element: el };
      continue;
    }
    const startId = el.hasAttribute('data-mw-comment-start') ? el.getAttribute('id') ?? '' : '';
    if (startId.startsWith('h-')) {
      if (lastHeading && lastHeading.element.contains(el)) markerIds.set(lastHeading.item, startId);
      continue;
    }
    if (startId.startsWith('c-')) {
      pending.set(startId, { id: startId, start: el, sigs: [] });
      continue;
    }
    const sigId = el.getAttribute('data-mw-comment-sig');
    if (sigId !== null) {
      pending.get(sigId)?.sigs.push(el);
      continue;
    }
    const endId = el.getAttribute('data-mw-comment-end') ?? '';
    const open = pending.get(endId);
    if (!open) continue;
    pending.delete(endId);
    if (++comments > MAX_COMMENTS) {
      stats.truncated = 'MAX_COMMENTS';
      break;
    }
    const comment = commentFromMarkers(open, el, root, setup, selfTitle);
    if (!comment) continue;
    stats.timestampsFound += comment.timestampRanges.length;
    if (items.length === 0) items.push(headingMaker.placeholderHeading());
    items.push(comment);
    markerIds.set(comment, open.id);
  }
  return { items, markerIds, stats };
}

function commentFromMarkers(
  open: PendingComment, end: Element, root: Element, setup: ParserSetup, selfTitle: ParsedTitle | null,
): CommentItem | null {
  const fromId = parseCommentId(open.id);
  const signatureRanges: DomRange[] = [];
  const timestampRanges: DomRange[] = [];
  let author: string | null = null;
  let displayName: string | null = null;
  let utcMs: number | null = null;
  for (const sig of open.sigs) {
    const facts = readSignature(sig, root, setup, selfTitle);
    const tsLink = facts.timestampLink;
    if (author === null && facts.username) {
      author = facts.username;
      displayName = facts.displayName;
    }
    if (tsLink && tsLink.parentNode) {
      const seconds = Number(tsLink.getAttribute('title'));
      if (utcMs === null && Number.isFinite(seconds) && seconds > 0) utcMs = seconds * 1000;
      signatureRanges.push({
        startContainer: sig.parentNode as Node, startOffset: childIndexOf(sig) + 1,
        endContainer: tsLink.parentNode, endOffset: childIndexOf(tsLink) + 1,
      });
      timestampRanges.push(textRangeOf(tsLink));
    }
  }
  // The id is DiscussionTools' own record of author and time; links only add the untruncated name.
  if (fromId) {
    const idAuthor = fromId.author.replace(/ /g, '_');
    const agrees = author !== null && truncateForId(author.replace(/ /g, '_')) === idAuthor;
    if (!agrees) {
      author = fromId.author;
      displayName = null;
    }
    utcMs = fromId.utcMs;
  }
  if (author === null || utcMs === null || !end.parentNode || !open.start.parentNode) return null;
  const levelAnchor = open.sigs[open.sigs.length - 1] ?? end;
  const startLevel = indentLevel(open.start, root) + 1;
  const endLevel = indentLevel(levelAnchor, root) + 1;
  const warnings = startLevel !== endLevel ? ['Comment starts and ends with different indentation'] : [];
  return {
    type: 'comment',
    level: Math.min(startLevel, endLevel),
    range: {
      startContainer: open.start.parentNode, startOffset: childIndexOf(open.start) + 1,
      endContainer: end.parentNode, endOffset: childIndexOf(end),
    },
    signatureRanges,
    timestampRanges,
    utcMs,
    author,
    displayName,
    parent: null,
    replies: [],
    warnings,
    name: '',
    id: '',
  };
}
