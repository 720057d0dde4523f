/**
 * The signature parser: finds headings and signed comments in rendered talk-page HTML, the way
 * DiscussionTools' CommentParser does (one linear walk; a timestamp regexp per text node; a short backwards walk
 * from each timestamp to the author's user link; comment ranges from the previous comment's end to the end of the
 * signature's paragraph). Used when the page carries no DiscussionTools markers.
 */
import type { WikiProfile } from '../wiki-profile/schema';
import {
  childContaining, childIndexOf, commonAncestor, headingLevelOf, htmlTrim, indentLevel, isBlockElement,
  isCommentContent, isCommentSeparator, isElement, isRenderingTransparentNode, isText, linearWalk,
  linearWalkBackwards, nextInDocument, tagName,
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

/** Parts of a page where DiscussionTools does not look for comments, plus Kalkan's own overlays. */
export function acceptNodeForComments(node: Node): FilterResult {
  if (isElement(node)) {
    const tag = tagName(node);
    if (node.id === 'toc') return 'reject';
    if (tag === 'blockquote' || tag === 'cite' || tag === 'q') return 'reject';
    const cls = node.getAttribute('class') ?? '';
    if (cls) {
      if (cls.includes('mw-notalk') && node.classList.contains('mw-notalk')) return 'reject';
      if (tag === 'ol' && node.classList.contains('references')) return 'reject';
      if (cls.includes('kalkan-')) return 'reject';
    }
    if (node.id.startsWith('kalkan-')) return 'reject';
  }
  const parent = node.parentNode;
  if (parent && headingLevelOf(parent) > 0) return 'reject';
  return 'accept';
}

function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

export class SignatureParser {
  readonly stats: ParseStats = { nodesVisited: 0, timestampsFound: 0, truncated: null };
  private readonly timestampCache = new Map<Text, TimestampMatch | null>();
  private readonly selfTitle: ParsedTitle | null;

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
    linearWalkBackwards(timestampNode, (event, node) => {
      if (event === 'enter' && node === until) return true;
      if (length >= SIGNATURE_SCAN_LIMIT) return true;
      // Don't reach into preceding paragraphs.
      if (isBlockElement(node)) return true;
      if (event === 'leave' && node !== timestampNode && isText(node)) length += codePointLength(htmlTrim(node.data));
      if (event === 'leave' && isElement(node) && tagName(node) === 'a' &&
        !node.classList.contains('ext-discussiontools-init-timestamplink')) {
        if (++links > MAX_LINKS_PER_SIGNATURE_WALK) return true;
        const user = userFromLink(node, this.setup.titles, this.selfTitle);
        if (user) {
          // The first user link found decides the author; further links only count if they agree.
          if (username === null) username = user.username;
          if (user.username === username) {
            lastLinkNode = node;
            if (user.displayName) displayName = user.displayName;
          }
        }
      }
      return false;
    }, MAX_SIGNATURE_WALK_NODES);

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
    const items: ThreadItem[] = [];
    const root = this.root;
    let commentCount = 0;
    let headingCount = 0;
    let curCommentEnd: Node | null = null;
    let node: Node = root;
    let descend = true;

    for (;;) {
      let next = nextInDocument(node, root, descend);
      while (next && acceptNodeForComments(next) === 'reject') next = nextInDocument(next, root, false);
      if (!next) break;
      node = next;
      descend = true;
      if (++this.stats.nodesVisited > MAX_NODES_VISITED) {
        this.stats.truncated = 'MAX_NODES_VISITED';
        break;
      }
      const level = headingLevelOf(node);
      if (level > 0) {
        if (++headingCount > MAX_HEADINGS) {
          this.stats.truncated = 'MAX_HEADINGS';
          break;
        }
        items.push(this.headingItem(node as Element, level));
        curCommentEnd = node;
        continue;
      }
      if (!isText(node)) continue;
      const textNode: Text = node;
      const ts = this.findTimestamp(textNode);
      if (!ts) continue;
      this.stats.timestampsFound++;
      const sig = this.findSignature(textNode, curCommentEnd);
      // A timestamp without a user link is a quoted or copy-pasted date, not a signature.
      if (!sig.username) continue;
      const author = sig.username;

      const signatureRanges = [this.signatureRange(sig.nodes, ts, textNode)];
      const timestampRanges = [ts.range];
      const startNode = this.nextInterestingLeafNode(curCommentEnd) ?? sig.nodes[sig.nodes.length - 1] as Node;
      let endNode: Node = sig.nodes[0] as Node;
      let resumeAt = null as Node | null;
      // Extend to the end of the paragraph; further signatures on the same line belong to this comment.
      linearWalk(endNode, (event, n) => {
        if (isBlockElement(n) || isCommentSeparator(n)) return true;
        if (event === 'leave' && isText(n) && n !== textNode) {
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
        if (event === 'leave') endNode = n;
        return false;
      }, MAX_PARAGRAPH_WALK_NODES);
      if (resumeAt) {
        node = resumeAt;
        descend = false;
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
        break;
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
    }
    return items;
  }
}
