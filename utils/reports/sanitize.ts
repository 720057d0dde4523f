/**
 * Turns a comment's DOM into a small, inert HTML snapshot for a report. Works on DOM nodes (never on HTML
 * strings with regexes): the source tree is walked and a new tree is built in an inert document made with
 * `createHTMLDocument`, so nothing in it loads or runs. Works with happy-dom in tests and in the browser.
 */

export const ALLOWED_TAGS: ReadonlySet<string> = new Set([
  'a', 'b', 'i', 'em', 'strong', 's', 'u', 'code', 'br', 'p', 'span', 'blockquote', 'dl', 'dt', 'dd', 'ul', 'ol',
  'li',
]);

/** Dropped with everything inside them: their content is not the comment's text. */
export const DROPPED_WITH_CONTENT: ReadonlySet<string> = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'noscript', 'template', 'svg', 'math',
  'textarea', 'select', 'button', 'input', 'head', 'title', 'link', 'meta', 'base', 'audio', 'video', 'canvas',
  'img', 'picture', 'source', 'form',
]);

// Only dir and lang survive on every tag: they keep RTL and mixed-script text readable. Everything else
// (style, class, on*, id) is dropped; a tags also keep a safe href and a title.
const DIR_VALUES: ReadonlySet<string> = new Set(['ltr', 'rtl', 'auto']);
const LANG_PATTERN = /^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$/;

/** Comments on busy pages can be long; past these budgets the rest is kept as plain text. */
export const MAX_SANITISE_NODES = 5_000;
export const MAX_SANITISE_DEPTH = 24;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const DOCUMENT_FRAGMENT_NODE = 11;

/**
 * True for http(s) URLs and for relative ones (path, query, fragment, protocol-relative). Control characters and
 * spaces are removed first because browsers ignore them inside a scheme ("java\tscript:").
 */
export function isSafeHref(href: string): boolean {
  const compact = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(compact);
  if (!scheme) return true;
  const name = (scheme[1] ?? '').toLowerCase();
  return name === 'http' || name === 'https';
}

interface Budget {
  nodes: number;
}

export function sanitizeCommentHtml(node: Node): string {
  const ownerDocument = node.nodeType === 9 ? (node as Document) : node.ownerDocument;
  if (!ownerDocument) throw new Error('sanitizeCommentHtml needs a node that belongs to a document.');
  const inert = ownerDocument.implementation.createHTMLDocument('');
  const container = inert.createElement('div');
  const budget: Budget = { nodes: 0 };
  if (node.nodeType === DOCUMENT_FRAGMENT_NODE || node.nodeType === 9) {
    copyChildren(node, container, inert, budget, 0);
  } else {
    copyNode(node, container, inert, budget, 0);
  }
  return container.innerHTML;
}

function copyChildren(source: Node, target: Node, inert: Document, budget: Budget, depth: number): void {
  for (let child = source.firstChild; child; child = child.nextSibling) copyNode(child, target, inert, budget, depth);
}

function copyNode(source: Node, target: Node, inert: Document, budget: Budget, depth: number): void {
  budget.nodes += 1;
  if (source.nodeType === TEXT_NODE) {
    target.appendChild(inert.createTextNode(source.nodeValue ?? ''));
    return;
  }
  if (source.nodeType !== ELEMENT_NODE) return; // comments, processing instructions: not the comment's text
  const element = source as Element;
  const tag = element.localName.toLowerCase();
  if (DROPPED_WITH_CONTENT.has(tag)) return;
  if (budget.nodes > MAX_SANITISE_NODES || depth >= MAX_SANITISE_DEPTH) {
    // Degraded mode: keep what the comment said, lose the formatting.
    target.appendChild(inert.createTextNode(element.textContent ?? ''));
    return;
  }
  if (!ALLOWED_TAGS.has(tag) || element.namespaceURI !== 'http://www.w3.org/1999/xhtml') {
    copyChildren(element, target, inert, budget, depth + 1); // unwrap: div, table, sup… keep their text
    return;
  }
  const copy = inert.createElement(tag);
  copyAllowedAttributes(element, copy, tag);
  target.appendChild(copy);
  if (tag !== 'br') copyChildren(element, copy, inert, budget, depth + 1);
}

function copyAllowedAttributes(source: Element, copy: Element, tag: string): void {
  for (const attribute of Array.from(source.attributes)) {
    const name = attribute.name.toLowerCase();
    const value = attribute.value;
    if (name === 'dir' && DIR_VALUES.has(value.toLowerCase())) copy.setAttribute('dir', value.toLowerCase());
    else if (name === 'lang' && LANG_PATTERN.test(value)) copy.setAttribute('lang', value);
    else if (tag === 'a' && name === 'href' && isSafeHref(value)) copy.setAttribute('href', value.trim());
    else if (tag === 'a' && name === 'title') copy.setAttribute('title', value);
  }
  if (tag === 'a' && copy.hasAttribute('href')) copy.setAttribute('rel', 'nofollow noopener noreferrer');
}
