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
import { parseCanonicalTimestampString, parseTimestampString } from './timestamp';
import { ID_PART_MAX_BYTES, truncateForId } from './threads';
import { parseTitle, userFromLink, type ParsedTitle } from './titles';
import type { CommentItem, DomRange, HeadingItem, ParseStats, ThreadItem } from './types';

const TIMESTAMP_LINK_CLASS = 'ext-discussiontools-init-timestamplink';
/**
 * Boundaries and timestamp links in one query, in document order: finding each signature's timestamp link by
 * walking from its marker was a third of the build (Chromium profile of the enwiki archive). Headings are not
 * in it: each heading DT read as a thread carries an `h-` start marker, and the query's cost grows with each
 * part of the selector (25,000 elements tried against each one).
 */
const MARKER_SELECTOR = `[data-mw-comment-start],[data-mw-comment-sig],[data-mw-comment-end],a.${TIMESTAMP_LINK_CLASS}`;
const HEADING_SELECTOR = 'h1,h2,h3,h4,h5,h6';
/** Regions DiscussionTools does not parse (and Kalkan's own overlays). */
const EXCLUDED_REGIONS = '#toc, blockquote, cite, q, .mw-notalk, ol.references, [id^="kalkan-"], [class*="kalkan-"]';
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
  const parsed = readCommentId(id);
  return parsed && { author: parsed.author, utcMs: parsed.utcMs };
}

interface CommentIdParts {
  author: string;
  /** UTF-8 length of the author as the id spells it (spaces and underscores are one byte each). */
  authorBytes: number;
  utcMs: number;
  /**
   * "<Author>-<timestamp>" as the id spells it, when that is exactly what the comment's own name would be
   * (threads.ts authorPart: author with underscores, cut to 80 bytes, trimmed; timestamp in the format of its
   * date): the build then names the comment from its id instead of cutting and writing both again. Else null.
   */
  authorPart: string | null;
}

function readCommentId(id: string): CommentIdParts | null {
  const m = COMMENT_ID.exec(id);
  if (!m) return null;
  const idAuthor = m[1] ?? '';
  const stamp = m[2] ?? '';
  const canonicalMs = parseCanonicalTimestampString(stamp);
  const utcMs = canonicalMs ?? parseTimestampString(stamp);
  if (utcMs === null) return null;
  const authorBytes = utf8Bytes(idAuthor);
  const asWritten = canonicalMs !== null && !idAuthor.includes(' ') && !idAuthor.startsWith('_') && !idAuthor.endsWith('_') &&
    authorBytes <= ID_PART_MAX_BYTES;
  return { author: idAuthor.replace(/_/g, ' '), authorBytes, utcMs, authorPart: asWritten ? `${idAuthor}-${stamp}` : null };
}

interface PendingComment {
  id: string;
  start: Element;
  sigs: Element[];
  /** Timestamp link of each signature (same index), or null. */
  links: (Element | null)[];
}

export interface MarkerReadResult {
  items: ThreadItem[];
  /** Marker id for items that carried one (the model keeps DT's ids over recomputed ones). */
  markerIds: Map<ThreadItem, string>;
  /** Comments whose name part the id already spells (see CommentIdParts.authorPart), for computeIdsAndNamesSteps. */
  authorParts: Map<CommentItem, string>;
  stats: ParseStats;
}

interface SignatureFacts {
  username: string | null;
  displayName: string | null;
  timestampLink: Element | null;
}

/**
 * What a signature holds, walking from its marker to its timestamp link: only needed where the comment id
 * cannot name the author (see commentFromMarkers), and for display names on demand.
 */
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

/**
 * DT cuts authors to ID_PART_MAX_BYTES in ids; a name this close to the cut may have lost its end, so its
 * signature links are read for the full name. (A cut name keeps at least 80 − 3 bytes, one less when a
 * trailing space is stripped.)
 */
const AUTHOR_MAY_BE_CUT_BYTES = ID_PART_MAX_BYTES - 8;

function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair is 4 bytes: 2 for each half.
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xe000 ? 2 : 3;
  }
  return bytes;
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
  const reader = new MarkerReader(root, setup, pageTitle);
  const markers = root.querySelectorAll(MARKER_SELECTOR);
  // The per-marker work lives in a plain method, not in this generator, so the engine can optimise it early
  // (the build runs once per page, mostly before the JIT has warmed up).
  for (let from = 0; from < markers.length; from += MARKERS_PER_YIELD) {
    if (!reader.readBatch(markers, from, Math.min(markers.length, from + MARKERS_PER_YIELD))) break;
    yield;
  }
  return { items: reader.items, markerIds: reader.markerIds, authorParts: reader.authorParts, stats: reader.stats };
}

class MarkerReader {
  readonly stats: ParseStats = { nodesVisited: 0, timestampsFound: 0, truncated: null };
  readonly items: ThreadItem[] = [];
  readonly markerIds = new Map<ThreadItem, string>();
  readonly authorParts = new Map<CommentItem, string>();
  private readonly selfTitle: ParsedTitle | null;
  /** Reuses the parser's heading construction so both paths agree on anchors and ranges. */
  private readonly headingMaker: SignatureParser;
  private readonly pending = new Map<string, PendingComment>();
  /**
   * Signatures still looking for their timestamp link. As a walk from each signature would: the next
   * timestamp link is theirs, unless a comment boundary comes first.
   */
  private readonly awaitingLink: { open: PendingComment; index: number }[] = [];
  private lastHeading: { item: HeadingItem; element: Element } | null = null;
  private comments = 0;
  private headings = 0;

  constructor(private readonly root: Element, private readonly setup: ParserSetup, pageTitle: string) {
    this.selfTitle = parseTitle(pageTitle, setup.titles);
    this.headingMaker = new SignatureParser(root, setup, pageTitle);
  }

  /** Reads markers[from, to); false when a budget (limits.ts) stopped the read. */
  readBatch(markers: NodeListOf<Element>, from: number, to: number): boolean {
    for (let i = from; i < to; i++) {
      if (!this.read(markers[i] as Element)) return false;
    }
    return true;
  }

  private read(el: Element): boolean {
    this.stats.nodesVisited++;
    if (tagName(el) === 'a') {
      for (const { open, index } of this.awaitingLink) open.links[index] = el;
      this.awaitingLink.length = 0;
      return true;
    }
    // One attribute read per kind, most telling first: markers are plain spans, thousands of them.
    const start = el.getAttribute('data-mw-comment-start');
    if (start !== null) {
      this.awaitingLink.length = 0;
      const id = el.id;
      if (id.startsWith('h-')) return this.readHeading(el, id);
      if (id.startsWith('c-')) {
        this.pending.set(id, { id, start: el, sigs: [], links: [] });
        return true;
      }
    }
    const sigId = start === null ? el.getAttribute('data-mw-comment-sig') : null;
    if (sigId !== null) {
      if (el.hasAttribute('data-mw-comment-end')) this.awaitingLink.length = 0;
      const open = this.pending.get(sigId);
      if (open) {
        this.awaitingLink.push({ open, index: open.sigs.length });
        open.sigs.push(el);
        open.links.push(null);
      }
      return true;
    }
    const endId = el.getAttribute('data-mw-comment-end');
    if (endId === null) return true;
    this.awaitingLink.length = 0;
    return this.readEnd(el, endId);
  }

  /** A heading, from the `h-` marker DT puts inside it (the placeholder heading's marker sits in none). */
  private readHeading(marker: Element, id: string): boolean {
    const el = marker.closest(HEADING_SELECTOR);
    if (!el) return true;
    const last = this.lastHeading;
    if (last && last.element === el) {
      this.markerIds.set(last.item, id);
      return true;
    }
    if (el.closest(EXCLUDED_REGIONS)) return true;
    if (++this.headings > MAX_HEADINGS) {
      this.stats.truncated = 'MAX_HEADINGS';
      return false;
    }
    const item = this.headingMaker.headingItem(el, headingLevelOf(el));
    this.items.push(item);
    this.markerIds.set(item, id);
    this.lastHeading = { item, element: el };
    return true;
  }

  private readEnd(el: Element, endId: string): boolean {
    const open = this.pending.get(endId);
    if (!open) return true;
    this.pending.delete(endId);
    if (++this.comments > MAX_COMMENTS) {
      this.stats.truncated = 'MAX_COMMENTS';
      return false;
    }
    const comment = commentFromMarkers(open, el, this.root, this.setup, this.selfTitle, this.authorParts);
    if (!comment) return true;
    this.stats.timestampsFound += comment.timestampRanges.length;
    if (this.items.length === 0) this.items.push(this.headingMaker.placeholderHeading());
    this.items.push(comment);
    this.markerIds.set(comment, open.id);
    return true;
  }
}

function commentFromMarkers(
  open: PendingComment, end: Element, root: Element, setup: ParserSetup, selfTitle: ParsedTitle | null,
  authorParts: Map<CommentItem, string>,
): CommentItem | null {
  const fromId = readCommentId(open.id);
  // The id is DiscussionTools' own record of author and time. Links are read only where it cannot be
  // trusted whole: no id, or an author long enough to have been cut.
  const readUsers = !fromId || fromId.authorBytes >= AUTHOR_MAY_BE_CUT_BYTES;
  const signatureRanges: DomRange[] = [];
  const timestampRanges: DomRange[] = [];
  let author: string | null = null;
  let displayName: string | null | undefined = readUsers ? null : undefined;
  let utcMs: number | null = null;
  // The last position found, to count the next one from (end markers follow their timestamp link closely;
  // counting every one from the paragraph's start was a tenth of the build).
  let known: { node: Node; index: number } | null = null;
  for (let i = 0; i < open.sigs.length; i++) {
    const sig = open.sigs[i] as Element;
    let tsLink = open.links[i] ?? null;
    if (readUsers) {
      const facts = readSignature(sig, root, setup, selfTitle);
      tsLink = facts.timestampLink;
      if (author === null && facts.username) {
        author = facts.username;
        displayName = facts.displayName;
      }
    }
    if (tsLink && tsLink.parentNode) {
      if (utcMs === null && !fromId) {
        const seconds = Number(tsLink.getAttribute('title'));
        if (Number.isFinite(seconds) && seconds > 0) utcMs = seconds * 1000;
      }
      const sigIndex = indexAfter(known, sig);
      const linkIndex = indexAfter({ node: sig, index: sigIndex }, tsLink);
      known = { node: tsLink, index: linkIndex };
      signatureRanges.push({
        startContainer: sig.parentNode as Node, startOffset: sigIndex + 1,
        endContainer: tsLink.parentNode, endOffset: linkIndex + 1,
      });
      timestampRanges.push(textRangeOf(tsLink));
    }
  }
  if (fromId) {
    if (!readUsers || !authorAgreesWithId(author, fromId.author)) {
      author = fromId.author;
      if (readUsers) displayName = null;
    }
    utcMs = fromId.utcMs;
  }
  if (author === null || utcMs === null || !end.parentNode || !open.start.parentNode) return null;
  const levelAnchor = open.sigs[open.sigs.length - 1] ?? end;
  const startLevel = indentLevel(open.start, root) + 1;
  // Most comments start and end in one paragraph: the same level, without a second walk up.
  const endLevel = levelAnchor.parentNode === open.start.parentNode ? startLevel : indentLevel(levelAnchor, root) + 1;
  const warnings = startLevel !== endLevel ? ['Comment starts and ends with different indentation'] : [];
  const comment: CommentItem = {
    type: 'comment',
    level: Math.min(startLevel, endLevel),
    range: {
      startContainer: open.start.parentNode, startOffset: childIndexOf(open.start) + 1,
      endContainer: end.parentNode, endOffset: indexAfter(known, end),
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
  // The author and time came from the id (the links, if read, agreed with it): its own spelling names the comment.
  if (fromId?.authorPart) authorParts.set(comment, fromId.authorPart);
  return comment;
}

/** Siblings looked through for a node just after a known one before counting from the start instead. */
export const NEAR_SIBLING_STEPS = 32;

/**
 * childIndexOf(node), counted from a known earlier sibling when `node` follows it closely (the same result,
 * fewer steps: a paragraph's markers sit near its end).
 */
export function indexAfter(known: { node: Node; index: number } | null, node: Node): number {
  if (known && known.node.parentNode === node.parentNode) {
    let n = known.node.nextSibling;
    for (let steps = 1; n && steps <= NEAR_SIBLING_STEPS; steps++) {
      if (n === node) return known.index + steps;
      n = n.nextSibling;
    }
  }
  if (known && known.node === node) return known.index;
  return childIndexOf(node);
}

function authorAgreesWithId(author: string | null, idAuthor: string): boolean {
  return author !== null && truncateForId(author.replace(/ /g, '_')) === idAuthor.replace(/ /g, '_');
}

/**
 * The display name of a comment read from markers, on demand (the build skips signature links when the id
 * names the author): the first signature that links a user decides, as in commentFromMarkers.
 */
export function markerDisplayName(
  comment: CommentItem, root: Element, setup: ParserSetup, selfTitle: ParsedTitle | null,
): string | null {
  const idAuthor = comment.id.startsWith('c-') ? parseCommentId(comment.id)?.author ?? null : null;
  for (const range of comment.signatureRanges) {
    const sig = range.startContainer.childNodes[range.startOffset - 1];
    if (!sig || !isElement(sig)) continue;
    const facts = readSignature(sig, root, setup, selfTitle);
    if (!facts.username) continue;
    return idAuthor === null || authorAgreesWithId(facts.username, idAuthor) ? facts.displayName : null;
  }
  return null;
}
