/**
 * Standard-DOM helpers shared by the parser and the marker reader. Node types are compared by number so the
 * code needs no global `Node` (it runs on happy-dom in Node and in the content script alike). All walks are
 * iterative: pages nest 5,000 deep in attacks.
 */
import { MAX_INDENT_DEPTH, MAX_TAG_NAMES_CACHED } from './limits';

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const COMMENT_NODE = 8;

export function isElement(node: Node | null | undefined): node is Element {
  return !!node && node.nodeType === ELEMENT_NODE;
}

export function isText(node: Node | null | undefined): node is Text {
  return !!node && node.nodeType === TEXT_NODE;
}

/** Block elements as VisualEditor counts them (ve.elementTypes.block), which DiscussionTools relies on. */
export const BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  'div', 'p', 'table', 'tbody', 'thead', 'tfoot', 'caption', 'th', 'tr', 'td',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hgroup',
  'article', 'aside', 'body', 'nav', 'section', 'footer', 'header', 'figure', 'figcaption', 'fieldset',
  'details', 'blockquote', 'hr', 'button', 'canvas', 'center', 'col', 'colgroup', 'embed', 'map',
  'object', 'pre', 'progress', 'video',
]);

const HEADING = /^h([1-6])$/;

/** Facts about a tag name, as bits: the heading level (h1–h6) in the low bits, then the flags below. */
const TAG_HEADING_LEVEL_MASK = 0b111;
const TAG_BLOCK = 1 << 3;

interface TagFacts {
  lower: string;
  bits: number;
}

/**
 * Per local name, computed once: the walks ask for the tag of every node they pass, and lower-casing plus a
 * regexp per node was a third of a Chromium build (profile of the 1,311-comment enwiki archive). Pages have a few
 * dozen distinct names; the cap only stops a hostile page from growing the map without bound.
 */
const tagFactsCache = new Map<string, TagFacts>();

function computeTagFacts(localName: string): TagFacts {
  const lower = localName.toLowerCase();
  const m = HEADING.exec(lower);
  let bits = m ? Number(m[1]) : 0;
  if (BLOCK_ELEMENTS.has(lower)) bits |= TAG_BLOCK;
  return { lower, bits };
}

function tagFacts(el: Element): TagFacts {
  const name = el.localName;
  let facts = tagFactsCache.get(name);
  if (facts === undefined) {
    facts = computeTagFacts(name);
    if (tagFactsCache.size < MAX_TAG_NAMES_CACHED) tagFactsCache.set(name, facts);
  }
  return facts;
}

export function tagName(node: Node): string {
  return isElement(node) ? tagFacts(node).lower : '';
}

/** 1–6 for h1–h6, otherwise 0. */
export function headingLevelOf(node: Node): number {
  return isElement(node) ? tagFacts(node).bits & TAG_HEADING_LEVEL_MASK : 0;
}

export function isBlockElement(node: Node): boolean {
  return isElement(node) && (tagFacts(node).bits & TAG_BLOCK) !== 0;
}

/** Trim ASCII whitespace as HTML defines it (not NBSP). */
export function htmlTrim(text: string): string {
  return text.replace(/^[\t\n\f\r ]+/, '').replace(/[\t\n\f\r ]+$/, '');
}

const SOL_TRANSPARENT_LINK = /(?:^|\s)mw:PageProp\/(?:Category|redirect|Language)(?=$|\s)/;

/** Nodes with no rendering that would disturb indentation detection (Parsoid meta/link, empty tracking spans). */
export function isRenderingTransparentNode(node: Node): boolean {
  if (node.nodeType === COMMENT_NODE) return true;
  if (!isElement(node)) return false;
  const tag = tagName(node);
  if (tag === 'meta') return true;
  if (tag === 'link' && SOL_TRANSPARENT_LINK.test(node.getAttribute('rel') ?? '')) return true;
  if (tag === 'span' && (node.getAttribute('typeof') ?? '').split(' ').includes('mw:Transclusion') &&
    !htmlTrim(node.innerHTML)) {
    const next = node.nextSibling;
    return !next || !isElement(next) || next.getAttribute('about') !== node.getAttribute('about');
  }
  return false;
}

const NO_ELEMENT_CHILDREN: ReadonlySet<string> = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
  'script', 'style', 'textarea', 'title', 'math', 'svg', 'noscript', 'audio', 'canvas', 'iframe', 'object', 'video',
]);

export function cantHaveElementChildren(node: Node): boolean {
  let n: Node | null = node;
  // Iterative form of DT's recursion through <a>/<span> thumbnail wrappers (T301427).
  for (let guard = 0; n && guard < MAX_INDENT_DEPTH; guard++) {
    if (n.nodeType === COMMENT_NODE) return true;
    if (!isElement(n)) return false;
    const tag = tagName(n);
    if (NO_ELEMENT_CHILDREN.has(tag)) return true;
    if (tag !== 'a' && tag !== 'span') return false;
    n = n.firstChild;
  }
  return false;
}

/** Separators between comments rather than parts of one: <br>, <hr>, templates named below, `;` fake headings. */
export function isCommentSeparator(node: Node): boolean {
  if (!isElement(node)) return false;
  const tag = tagName(node);
  if (tag === 'br' || tag === 'hr') return true;
  // {{outdent}}, {{tracked}} (T313097), and blocks marked "not talk" (suppressed-talk fixture: a notalk
  // box between comments must not decide the next comment's indentation). Most elements have no class: one
  // attribute read rules them out before the class list is asked.
  const cls = node.getAttribute('class');
  if (cls && (cls.includes('outdent-template') || cls.includes('mw-trackedTemplate') || cls.includes('mw-notalk'))) {
    const cl = node.classList;
    if (cl.contains('outdent-template') || cl.contains('mw-trackedTemplate') || cl.contains('mw-notalk')) return true;
  }
  return tag === 'dl' && node.childNodes.length === 1 && tagName(node.firstChild as Node) === 'dt';
}

export function isCommentContent(node: Node): boolean {
  return (isText(node) && htmlTrim(node.data) !== '') || cantHaveElementChildren(node);
}

export function childIndexOf(node: Node): number {
  let i = 0;
  let n = node.previousSibling;
  while (n) {
    i++;
    n = n.previousSibling;
  }
  return i;
}

const LIST_ITEM_SELECTOR = 'li, dd';

/** List items (li, dd) among the node and its ancestors, up to `limit`. */
function listItemsFrom(node: Node, limit: number): number {
  let el: Element | null = isElement(node) ? node : node.parentElement;
  let count = 0;
  while (el && count < limit) {
    // closest() walks up natively: one call per list item instead of three DOM calls per ancestor (a comment
    // sits under ~10 elements, most of them no list item), which were a fifth of reading a marked page.
    el = el.closest(LIST_ITEM_SELECTOR);
    if (!el) break;
    count++;
    el = el.parentElement;
  }
  return count;
}

/** Number of list items (li, dd) between node and root: the comment's indentation. */
export function indentLevel(node: Node, root: Node): number {
  const aboveRoot = listItemsFrom(root, Number.MAX_SAFE_INTEGER);
  return Math.min(Math.max(0, listItemsFrom(node, aboveRoot + MAX_INDENT_DEPTH) - aboveRoot), MAX_INDENT_DEPTH);
}

/** Next node in document order inside root; `descend` false skips node's subtree. */
export function nextInDocument(node: Node, root: Node, descend: boolean): Node | null {
  if (descend && node.firstChild) return node.firstChild;
  let n: Node | null = node;
  while (n && n !== root) {
    if (n.nextSibling) return n.nextSibling;
    n = n.parentNode;
  }
  return null;
}

/**
 * DT's linear walk (enter/leave events, depth first) as a cursor starting before `start`, forwards or backwards.
 * A cursor rather than a walker with a callback: a call per node through a closure cost a tenth of a Chromium
 * build of the enwiki archive, and the two walks of the parser (signature, paragraph) share this one.
 */
export class LinearWalk {
  /** The node of the current event, and whether the event is leaving it (else entering it). */
  node: Node;
  leaving = false;
  private within: Node | null;
  private before: Node | null;

  constructor(start: Node, private readonly backwards: boolean) {
    this.node = start;
    this.within = start.parentNode;
    this.before = start;
  }

  /** Moves to the next event; false when the document has none left. */
  step(): boolean {
    const before = this.before;
    if (before) {
      this.node = before;
      this.leaving = false;
      this.within = before;
      this.before = this.backwards ? before.lastChild : before.firstChild;
      return true;
    }
    const within = this.within;
    if (!within) return false;
    this.node = within;
    this.leaving = true;
    this.before = this.backwards ? within.previousSibling : within.nextSibling;
    this.within = within.parentNode;
    return true;
  }
}

/** The child of `ancestor` that contains `node` (or node itself when it is a child). */
export function childContaining(ancestor: Node, node: Node): Node | null {
  let n: Node | null = node;
  while (n && n.parentNode !== ancestor) n = n.parentNode;
  return n;
}

export function commonAncestor(a: Node, b: Node): Node | null {
  const seen = new Set<Node>();
  for (let n: Node | null = a; n; n = n.parentNode) seen.add(n);
  for (let n: Node | null = b; n; n = n.parentNode) if (seen.has(n)) return n;
  return null;
}

export function closestElement(node: Node, tags: ReadonlySet<string>): Element | null {
  for (let n: Node | null = node; n; n = n.parentNode) {
    if (isElement(n) && tags.has(tagName(n))) return n;
  }
  return null;
}
