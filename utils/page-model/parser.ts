/**
 * The signature parser: finds headings and signed comments in rendered talk-page HTML, the way
 * DiscussionTools' CommentParser does (one linear walk; a timestamp regexp per text node; a short backwards walk
 * from each timestamp to the author's user link; comment ranges from the previous comment's end to the end of the
 * signature's paragraph). Used when the page carries no DiscussionTools markers.
 */
import type { WikiProfile } from '../wiki-profile/schema';
import {
  childContaining, childIndexOf, commonAncestor, headingLevelOf, indentLevel, isBlockElement,
  isCommentContent, isCommentSeparator, isElement, isRenderingTransparentNode, isText, LinearWalk,
  nextInDocument, tagName,
} from './dom';
import {
  MAX_COMMENTS, MAX_HEADINGS, MAX_LINKS_PER_SIGNATURE_WALK, MAX_NODES_VISITED, MAX_PARAGRAPH_WALK_NODES,
  MAX_SIGNATURE_WALK_NODES, MAX_SIGNATURES_PER_COMMENT, MAX_START_SEARCH_NODES, MAX_TIMESTAMP_TEXT_LENGTH,
  SIGNATURE_SCAN_LIMIT,
} from './limits';
import { createTimestampMatcher, type TimestampMatcher } from './timestamp';
import { createTitleContext, parseTitle, userFromLink, type ParsedTitle, type TitleContext } from './titles';
import type { CommentItem, DomRange, HeadingItem, ParseStats, ThreadItem } from './types';

export interface TimestampMatch {
  match: RegExpExecArray;
  matcherIndex: number;
  /** Length of text from preceding nodes (Parsoid mw:Entity pieces) glued in front of the node's own text. */
  offset: number;
  range: DomRange;
}

export interface SignatureResult {
  /** Sibling nodes covering the signature, last first. */
  nodes: Node[];
  username: string | null;
  displayName: string | null;
}

/** What one parse needs, built once per profile and reusable across pages of that wiki. */
export interface ParserSetup {
  matchers: TimestampMatcher[];
  titles: TitleContext;
}

export function createParserSetup(profile: WikiProfile): ParserSetup {
  return {
    matchers: profile.dateLocales.map((locale) => createTimestampMatcher(locale, profile.localTimezone)),
    titles: createTitleContext(profile),
  };
}

type FilterResult = 'accept' | 'reject';

/** The part of acceptNodeForComments about an element itself: true when its whole subtree is skipped. */
function rejectsRegion(node: Element): boolean {
  if (node.id === 'toc') return true;
  const tag = tagName(node);
  if (tag === 'blockquote' || tag === 'cite' || tag === 'q') return true;
  const cls = node.getAttribute('class') ?? '';
  if (cls) {
    if (cls.includes('mw-notalk') && node.classList.contains('mw-notalk')) return true;
    if (tag === 'ol' && node.classList.contains('references')) return true;
    if (cls.includes('kalkan-')) return true;
  }
  return node.id.startsWith('kalkan-');
}

/** Parts of a page where DiscussionTools does not look for comments, plus Kalkan's own overlays. */
export function acceptNodeForComments(node: Node): FilterResult {
  if (isElement(node) && rejectsRegion(node)) return 'reject';
  const parent = node.parentNode;
  if (parent && headingLevelOf(parent) > 0) return 'reject';
  return 'accept';
}

/** NodeFilter.SHOW_TEXT (no global NodeFilter on happy-dom). */
const SHOW_TEXT = 0x4;
/** Node.DOCUMENT_POSITION_FOLLOWING. */
const DOCUMENT_POSITION_FOLLOWING = 0x4;

/** Text nodes the main walk passes between two chances for the caller to pause (see parseSteps). */
export const WALK_STEPS_PER_YIELD = 512;

/**
 * A superset of the elements acceptNodeForComments rejects, plus headings, in one native query; each hit is then
 * checked with the exact rule. Far fewer DOM calls than asking every element for its tag, id and class.
 */
const BLOCKER_SELECTOR =
  'h1,h2,h3,h4,h5,h6,#toc,blockquote,cite,q,.mw-notalk,ol.references,[id^="kalkan-"],[class*="kalkan-"]';

/** Elements that stop DT's walk, below the thread container. */
interface Blockers {
  /** Elements rejected with their subtree (acceptNodeForComments on the element itself). */
  regions: Set<Node>;
  /** Headings in document order (their contents are rejected; the heading itself may be accepted). */
  headings: Element[];
  headingSet: Set<Node>;
  isHeading(node: Node): boolean;
  /** Per node: whether any node from it up to the root is rejected (memoised, so each ancestor is asked once). */
  blockedCache: Map<Node, boolean>;
}

function candidateBlockers(root: Node): Element[] {
  const scope = root as ParentNode;
  try {
    return Array.from(scope.querySelectorAll(BLOCKER_SELECTOR));
  } catch (error) {
    // Recursive selector engines (happy-dom) overflow the stack on 5,000-deep pages: walk iteratively instead.
    if (!(error instanceof RangeError)) throw error;
    const out: Element[] = [];
    for (let n = nextInDocument(root, root, true); n; n = nextInDocument(n, root, true)) {
      if (isElement(n)) out.push(n);
    }
    return out;
  }
}

function collectBlockers(root: Node): Blockers {
  const regions = new Set<Node>();
  const headings: Element[] = [];
  const headingSet = new Set<Node>();
  for (const el of candidateBlockers(root)) {
    if (headingLevelOf(el) > 0) {
      headings.push(el);
      headingSet.add(el);
    }
    if (rejectsRegion(el)) regions.add(el);
  }
  const rootIsHeading = headingLevelOf(root) > 0;
  return {
    regions, headings, headingSet, blockedCache: new Map(),
    isHeading: (node) => headingSet.has(node) || (rootIsHeading && node === root),
  };
}

/** Whether acceptNodeForComments rejects `node` or any ancestor below `root` (memoised in blockers.blockedCache). */
function pathBlocked(node: Node, root: Node, blockers: Blockers): boolean {
  const cache = blockers.blockedCache;
  const path: Node[] = [];
  let top: Node | null = node;
  let blocked = false;
  while (top && top !== root) {
    const known = cache.get(top);
    if (known !== undefined) {
      blocked = known;
      break;
    }
    path.push(top);
    top = top.parentNode;
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i] as Node;
    const parent = i + 1 < path.length ? path[i + 1] as Node : top;
    if (!blocked) blocked = blockers.regions.has(n) || (parent !== null && blockers.isHeading(parent));
    cache.set(n, blocked);
  }
  return blocked;
}

function precedes(a: Node, b: Node): boolean {
  return (a.compareDocumentPosition(b) & DOCUMENT_POSITION_FOLLOWING) !== 0;
}

/**
 * Per heading (in document order), the first text node at or after its start, or null when no text follows.
 * `walker` is a SHOW_TEXT walker over the root; its position is left anywhere.
 */
function headingGates(walker: TreeWalker, headings: readonly Element[]): (Node | null)[] {
  return headings.map((heading) => {
    walker.currentNode = heading;
    return walker.nextNode();
  });
}

/** The main walk's position between calls of nextTimestampNode. */
interface WalkState {
  walker: TreeWalker;
  /** headingGates of the page's headings, and how many of them the walk has passed. */
  gates: (Node | null)[];
  gatesPassed: number;
  /** Why the walk stopped for good: the page ended, or a budget (limits.ts) cut it. */
  end: 'done' | 'truncated' | null;
  /** The timestamp of the node nextTimestampNode returned last. */
  ts: TimestampMatch | null;
}

/** Runs resumable steps to completion (the synchronous API). */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

function isHtmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/** codePointLength(htmlTrim(text)) without making the trimmed string (asked for every node a signature walk passes). */
function trimmedCodePointLength(text: string): number {
  let start = 0;
  let end = text.length;
  while (start < end && isHtmlSpace(text.charCodeAt(start))) start++;
  while (end > start && isHtmlSpace(text.charCodeAt(end - 1))) end--;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

export class SignatureParser {
  readonly stats: ParseStats = { nodesVisited: 0, timestampsFound: 0, truncated: null };
  private readonly timestampCache = new Map<Text, TimestampMatch | null>();
  private readonly selfTitle: ParsedTitle | null;
  private blockers: Blockers | null = null;
  /** Where the walk last resumed after a multi-signature paragraph, and (lazily) that point's ancestors. */
  private resumePoint: Node | null = null;
  private exempt: Set<Node> | null = null;

  constructor(
    private readonly root: Node,
    private readonly setup: ParserSetup,
    pageTitle: string,
  ) {
    this.selfTitle = parseTitle(pageTitle, setup.titles);
  }

  /** Timestamp in a text node (memoised: the paragraph walk and the main walk both ask). */
  findTimestamp(node: Text): TimestampMatch | null {
    const cached = this.timestampCache.get(node);
    if (cached !== undefined) return cached;
    const result = this.findTimestampUncached(node);
    this.timestampCache.set(node, result);
    return result;
  }

  private findTimestampUncached(start: Text): TimestampMatch | null {
    const own = start.data;
    // Every signature timestamp ends with "(zone)": skip the regexps for the vast majority of text nodes.
    if (!own.includes(')') || own.length > MAX_TIMESTAMP_TEXT_LENGTH) return null;
    let text = '';
    let offset = 0;
    const nodes: Text[] = [];
    let node: Text | null = start;
    // Parsoid writes &nbsp; as <span typeof="mw:Entity">; glue those pieces back together (ar "ت ع م").
    for (let guard = 0; node && guard < 16; guard++) {
      text = node.data + text;
      nodes.push(node);
      const prev: ChildNode | null = node.previousSibling;
      if (isElement(prev) && prev.getAttribute('typeof') === 'mw:Entity' && isText(prev.firstChild)) {
        const entityText: Text = prev.firstChild;
        text = entityText.data + text;
        offset += entityText.data.length;
        nodes.push(entityText);
        const before: ChildNode | null = prev.previousSibling;
        if (isText(before)) {
          offset += before.data.length;
          node = before;
        } else {
          node = null;
        }
      } else {
        node = null;
      }
    }
    for (let i = 0; i < this.setup.matchers.length; i++) {
      const matcher = this.setup.matchers[i] as TimestampMatcher;
      const match = matcher.regexp.exec(text);
      if (!match) continue;
      const matchLength = match[0].length;
      const tail = text.length - matchLength - match.index;
      const endContainer = nodes[0] as Text;
      let count = -tail;
      let startContainer: Text = endContainer;
      let startOffset = 0;
      for (const n of nodes) {
        count += n.data.length;
        if (count >= matchLength) {
          startContainer = n;
          startOffset = count - matchLength;
          break;
        }
      }
      return {
        match,
        matcherIndex: i,
        offset,
        range: { startContainer, startOffset, endContainer, endOffset: endContainer.data.length - tail },
      };
    }
    return null;
  }

  /** Walks back from a timestamp to the closest link to a user page (DT's findSignature). */
  findSignature(timestampNode: Text, until: Node | null): SignatureResult {
    let username: string | null = null;
    let displayName: string | null = null;
    let length = 0;
    let links = 0;
    let lastLinkNode: Node = timestampNode;
    const walk = new LinearWalk(timestampNode, true);
    for (let steps = 0; steps < MAX_SIGNATURE_WALK_NODES && walk.step(); steps++) {
      const node = walk.node;
      const leaving = walk.leaving;
      if (!leaving && node === until) break;
      if (length >= SIGNATURE_SCAN_LIMIT) break;
      // Don't reach into preceding paragraphs.
      if (isBlockElement(node)) break;
      if (!leaving) continue;
      if (node !== timestampNode && isText(node)) {
        length += trimmedCodePointLength(node.data);
      } else if (tagName(node) === 'a' && !(node as Element).classList.contains('ext-discussiontools-init-timestamplink')) {
        if (++links > MAX_LINKS_PER_SIGNATURE_WALK) break;
        const user = userFromLink(node as Element, this.setup.titles, this.selfTitle);
        if (user) {
          // The first user link found decides the author; further links only count if they agree.
          if (username === null) username = user.username;
          if (user.username === username) {
            lastLinkNode = node;
            if (user.displayName) displayName = user.displayName;
          }
        }
      }
    }

    const startContainer = lastLinkNode.parentNode;
    const endContainer = timestampNode.parentNode;
    if (!startContainer || !endContainer) return { nodes: [timestampNode], username, displayName };
    const ancestor = commonAncestor(startContainer, endContainer);
    if (!ancestor) return { nodes: [timestampNode], username, displayName };
    const first = ancestor === startContainer ? lastLinkNode : childContaining(ancestor, startContainer);
    const last = ancestor === endContainer ? timestampNode : childContaining(ancestor, endContainer);
    // Expand to the covering siblings, so wrapping formatting elements count as part of the signature.
    const nodes: Node[] = [];
    for (let n: Node | null = last; n; n = n.previousSibling) {
      nodes.push(n);
      if (n === first) break;
    }
    if (nodes[nodes.length - 1] !== first) return { nodes: [last ?? timestampNode], username, displayName };
    return { nodes, username, displayName };
  }

  private signatureRange(sigNodes: Node[], ts: TimestampMatch, node: Text): DomRange {
    const first = sigNodes[sigNodes.length - 1] as Node;
    const last = sigNodes[0] as Node;
    const endOffset = last === node ?
      ts.match.index + ts.match[0].length - ts.offset :
      childIndexOf(last) + 1;
    return {
      startContainer: first.parentNode as Node,
      startOffset: childIndexOf(first),
      endContainer: last === node ? node : last.parentNode as Node,
      endOffset,
    };
  }

  /** First node after `node` (or from the page start) that looks like comment content, not a separator. */
  private nextInterestingLeafNode(node: Node | null): Node | null {
    let cur: Node | null = node ? nextInDocument(node, this.root, false) : this.root.firstChild;
    for (let steps = 0; cur && steps < MAX_START_SEARCH_NODES; steps++) {
      if (isCommentSeparator(cur) || isRenderingTransparentNode(cur)) {
        cur = nextInDocument(cur, this.root, false);
      } else if ((isElement(cur) || isText(cur)) && isCommentContent(cur)) {
        return cur;
      } else {
        cur = nextInDocument(cur, this.root, true);
      }
    }
    return null;
  }

  headingItem(node: Element, level: number): HeadingItem {
    let headline: Element = node;
    if (node.hasAttribute('data-mw-comment-start') && isElement(node.parentNode)) headline = node.parentNode;
    let startOffset = 0;
    if (!headline.getAttribute('id') && !headline.getAttribute('data-mw-anchor')) {
      const inner = headline.querySelector('.mw-headline');
      if (inner) {
        headline = inner;
        if (inner.querySelector('.mw-headline-number')) startOffset = 1;
      }
    }
    return {
      type: 'heading',
      level: 0,
      headingLevel: level,
      placeholderHeading: false,
      headline,
      anchor: headline.getAttribute('id') ?? headline.getAttribute('data-mw-anchor') ?? '',
      text: (headline.textContent ?? '').trim(),
      range: { startContainer: headline, startOffset, endContainer: headline, endOffset: headline.childNodes.length },
      parent: null,
      replies: [],
      warnings: [],
      name: '',
      id: '',
    };
  }

  placeholderHeading(): HeadingItem {
    return {
      type: 'heading', level: 0, headingLevel: null, placeholderHeading: true, headline: null, anchor: '', text: '',
      range: { startContainer: this.root, startOffset: 0, endContainer: this.root, endOffset: 0 },
      parent: null, replies: [], warnings: [], name: '', id: '',
    };
  }

  /** Flat list of thread items in document order (headings and comments; replies not yet linked). */
  parse(): ThreadItem[] {
    return runToEnd(this.parseSteps());
  }

  /**
   * The parse as resumable steps: yields every WALK_STEPS_PER_YIELD text nodes and after each comment, so a
   * caller can spread a long page over several short tasks (model.ts buildPageModelAsync). Same result as parse().
   *
   * DiscussionTools walks every node with a TreeWalker whose filter rejects whole regions (quotes, notalk boxes,
   * the TOC, heading contents). Doing that node by node from a content script cost ~10 DOM calls per node
   * (≈ 60,000 nodes on the enwiki archive). Here one native query finds the regions and headings, a SHOW_TEXT
   * TreeWalker visits only text, and the (few) text nodes that hold a timestamp are checked against the regions
   * above them. Headings are merged in by document position. `reachable` keeps DT's one quirk exact: after a
   * multi-signature paragraph the walk resumes at its last timestamp, inside any region around it.
   */
  * parseSteps(): Generator<void, ThreadItem[]> {
    const items: ThreadItem[] = [];
    const root = this.root;
    const blockers = collectBlockers(root);
    this.blockers = blockers;
    const headings = blockers.headings;
    let nextHeading = 0;
    let commentCount = 0;
    let headingCount = 0;
    let curCommentEnd: Node | null = null;
    const doc = root.ownerDocument ?? (root as Document);
    const walker = doc.createTreeWalker(root, SHOW_TEXT);
    const addHeading = (el: Element): boolean => {
      if (!this.reachable(el)) return true;
      if (++headingCount > MAX_HEADINGS) {
        this.stats.truncated = 'MAX_HEADINGS';
        return false;
      }
      if (++this.stats.nodesVisited > MAX_NODES_VISITED) {
        this.stats.truncated = 'MAX_NODES_VISITED';
        return false;
      }
      items.push(this.headingItem(el, headingLevelOf(el)));
      curCommentEnd = el;
      return true;
    };

    // A heading comes before a text node exactly when its gate (the first text node at or after the heading's
    // start) has been walked: one identity check per node instead of a compareDocumentPosition per timestamp,
    // which cost ~10 ms on the enwiki archive.
    const walk: WalkState = { walker, gates: headingGates(walker, headings), gatesPassed: 0, end: null, ts: null };
    walker.currentNode = root;
    for (;;) {
      const textNode = this.nextTimestampNode(walk, WALK_STEPS_PER_YIELD);
      if (!textNode) {
        if (walk.end === 'truncated') return items;
        if (walk.end === 'done') break;
        yield; // the step budget is used up: let the caller pause
        continue;
      }
      const ts = walk.ts as TimestampMatch;
      // Headings before this node come first, as in one document-order walk.
      while (nextHeading < walk.gatesPassed) {
        if (!addHeading(headings[nextHeading++] as Element)) return items;
      }
      this.stats.timestampsFound++;
      const sig = this.findSignature(textNode, curCommentEnd);
      // A timestamp without a user link is a quoted or copy-pasted date, not a signature.
      if (!sig.username) continue;
      const author = sig.username;

      const signatureRanges = [this.signatureRange(sig.nodes, ts, textNode)];
      const timestampRanges = [ts.range];
      const startNode = this.nextInterestingLeafNode(curCommentEnd) ?? sig.nodes[sig.nodes.length - 1] as Node;
      // Extend to the end of the paragraph; further signatures on the same line belong to this comment.
      const paragraph = this.paragraphEnd(sig.nodes[0] as Node, textNode, signatureRanges, timestampRanges);
      const endNode = paragraph.endNode;
      const resumeAt = paragraph.resumeAt;
      if (resumeAt && root.contains(resumeAt)) {
        // DT's walk continues after the paragraph's last timestamp; nothing before it is visited again.
        walker.currentNode = resumeAt;
        this.resumePoint = resumeAt;
        this.exempt = null;
        while (nextHeading < headings.length && precedes(headings[nextHeading] as Element, resumeAt)) nextHeading++;
        // The gates of the headings just skipped lie behind the walk now.
        walk.gatesPassed = Math.max(walk.gatesPassed, nextHeading);
      }

      const endOffset = isText(endNode) ?
        endNode.data.replace(/[\t\n\f\r ]+$/, '').length :
        endNode.childNodes.length;
      const range: DomRange = {
        startContainer: startNode.parentNode ?? root,
        startOffset: startNode.parentNode ? childIndexOf(startNode) : 0,
        endContainer: endNode,
        endOffset,
      };
      const warnings: string[] = [];
      const startLevel = indentLevel(startNode, root) + 1;
      const endLevel = indentLevel(textNode, root) + 1;
      if (startLevel !== endLevel) warnings.push('Comment starts and ends with different indentation');
      const matcher = this.setup.matchers[ts.matcherIndex] as TimestampMatcher;
      const parsed = matcher.parse(ts.match);
      if (!parsed) continue;
      if (parsed.warning) warnings.push(parsed.warning);

      if (++commentCount > MAX_COMMENTS) {
        this.stats.truncated = 'MAX_COMMENTS';
        return items;
      }
      const comment: CommentItem = {
        type: 'comment',
        level: Math.min(startLevel, endLevel),
        range,
        signatureRanges,
        timestampRanges,
        utcMs: parsed.utcMs,
        author,
        displayName: sig.displayName,
        parent: null,
        replies: [],
        warnings,
        name: '',
        id: '',
      };
      if (items.length === 0) items.push(this.placeholderHeading());
      items.push(comment);
      curCommentEnd = endNode;
      yield;
    }
    while (nextHeading < headings.length) {
      if (!addHeading(headings[nextHeading++] as Element)) break;
    }
    return items;
  }

  /**
   * Where the paragraph of a signature ends (the last node left before a block or separator), adding the
   * paragraph's further signatures to the comment's ranges; `resumeAt` is its last other timestamp, where DT's
   * walk goes on.
   */
  private paragraphEnd(
    from: Node, textNode: Text, signatureRanges: DomRange[], timestampRanges: DomRange[],
  ): { endNode: Node; resumeAt: Text | null } {
    let endNode = from;
    let resumeAt: Text | null = null;
    const walk = new LinearWalk(from, false);
    for (let steps = 0; steps < MAX_PARAGRAPH_WALK_NODES && walk.step(); steps++) {
      const n = walk.node;
      const leaving = walk.leaving;
      if (isBlockElement(n) || isCommentSeparator(n)) break;
      if (!leaving) continue;
      if (n !== textNode && isText(n)) {
        const ts2 = this.findTimestamp(n);
        if (ts2) {
          resumeAt = n;
          if (signatureRanges.length < MAX_SIGNATURES_PER_COMMENT) {
            const sig2 = this.findSignature(n, textNode);
            if (sig2.username) {
              signatureRanges.push(this.signatureRange(sig2.nodes, ts2, n));
              timestampRanges.push(ts2.range);
            }
          }
        }
      }
      endNode = n;
    }
    return { endNode, resumeAt };
  }

  /**
   * Advances the main walk to the next reachable text node holding a timestamp (kept in walk.ts), passing at most
   * `budget` text nodes; null when the budget is used up or the walk has ended (walk.end says which). A plain
   * method rather than part of the generator, so the engine can optimise this hot loop while it runs.
   */
  private nextTimestampNode(walk: WalkState, budget: number): Text | null {
    const { walker, gates } = walk;
    for (let steps = 0; steps < budget; steps++) {
      const node = walker.nextNode();
      if (!node) {
        walk.end = 'done';
        return null;
      }
      while (walk.gatesPassed < gates.length && gates[walk.gatesPassed] === node) walk.gatesPassed++;
      if (++this.stats.nodesVisited > MAX_NODES_VISITED) {
        this.stats.truncated = 'MAX_NODES_VISITED';
        walk.end = 'truncated';
        return null;
      }
      const textNode = node as Text;
      const data = textNode.data;
      // Every signature timestamp ends with "(zone)": skip the regexps and the map for most text nodes.
      if (data.length > MAX_TIMESTAMP_TEXT_LENGTH || !data.includes(')')) continue;
      const ts = this.findTimestamp(textNode);
      if (!ts || !this.reachable(textNode)) continue;
      walk.ts = ts;
      return textNode;
    }
    return null;
  }

  /**
   * Whether DT's filtered walk reaches `node`: no region (or heading, for what is inside it) on the path up to
   * the root, except around the point where the walk last resumed, which it never re-enters.
   */
  private reachable(node: Node): boolean {
    const blockers = this.blockers;
    if (!blockers || !pathBlocked(node, this.root, blockers)) return true;
    const resumePoint = this.resumePoint;
    if (!resumePoint) return false;
    if (!this.exempt) {
      this.exempt = new Set();
      for (let n = resumePoint.parentNode; n && n !== this.root; n = n.parentNode) this.exempt.add(n);
    }
    for (let n: Node = node; ;) {
      if (this.exempt.has(n) || blockers.blockedCache.get(n) === false) return true;
      const parent = n.parentNode;
      if (blockers.regions.has(n) || (parent && blockers.isHeading(parent))) return false;
      if (!parent || parent === this.root) return true;
      n = parent;
    }
  }
}
