/**
 * The edit surfaces Kalkan watches, behind one interface: read the text, replace a range so the editor's own undo
 * history records it, select a range. Plain fields (wikitext textarea, summary, upload description, the
 * DiscussionTools source-mode reply box) are exact; contenteditable surfaces (VisualEditor, DiscussionTools visual
 * mode) are best effort: their text is the surface's text nodes, and edits go through the browser's editing
 * commands, which those editors observe.
 */

export const FIELD_KINDS = ['wikitext', 'summary', 'reply', 'visual', 'upload'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/** NodeFilter constants, spelled out: the global is absent outside a window (unit tests run on happy-dom). */
const SHOW_TEXT = 0x4;
/** Where each kind is found. Order matters: the first matching selector names the kind. */
export const FIELD_SELECTORS: ReadonlyArray<readonly [FieldKind, string]> = [
  ['wikitext', 'textarea#wpTextbox1'],
  ['summary', 'input#wpSummary'],
  ['upload', 'textarea#wpUploadDescription'],
  ['reply', '.ext-discussiontools-ui-replyWidget textarea, .ext-discussiontools-ui-newTopic input[type="text"], .ext-discussiontools-ui-newTopic textarea'],
  ['visual', '.ve-ce-documentNode[contenteditable="true"], .ext-discussiontools-ui-replyWidget [contenteditable="true"]'],
];

/** Text nodes read from one contenteditable surface; a bigger surface is only partly checked. */
export const MAX_SURFACE_TEXT_NODES = 20_000;

export interface EditField {
  readonly kind: FieldKind;
  readonly element: HTMLElement;
  read(): string;
  /** The text the field had when the page was served (what is already published, or empty for a new section). */
  initial(): string;
  /** Replaces text[start, end) through the editor (undo works); false when the text changed under us. */
  replace(start: number, end: number, replacement: string, expected: string): boolean;
  /** Focuses the field and selects text[start, end). */
  select(start: number, end: number): void;
}

export function fieldKindOf(element: Element): FieldKind | null {
  for (const [kind, selector] of FIELD_SELECTORS) if (element.matches(selector)) return kind;
  return null;
}

type PlainField = HTMLTextAreaElement | HTMLInputElement;

function insertText(doc: Document, text: string): boolean {
  // execCommand is deprecated but still the only way to edit a field that the browser records for undo (Ctrl+Z);
  // setRangeText is the fallback and fires the input event ourselves.
  try {
    return doc.execCommand('insertText', false, text);
  } catch (error) {
    console.warn('[kalkan] insertText command failed, falling back to setRangeText:', error);
    return false;
  }
}

function plainField(kind: FieldKind, element: PlainField): EditField {
  return {
    kind,
    element,
    read: () => element.value,
    // defaultValue is the served text even if the user typed before Kalkan started.
    initial: () => element.defaultValue,
    replace(start, end, replacement, expected) {
      if (element.value.slice(start, end) !== expected) return false;
      element.focus();
      element.setSelectionRange(start, end);
      if (!insertText(element.ownerDocument, replacement) || element.value.slice(start, start + replacement.length) !== replacement) {
        if (element.value.slice(start, end) === expected) {
          element.setRangeText(replacement, start, end, 'end');
          element.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText', data: replacement }));
        }
      }
      return element.value.slice(start, start + replacement.length) === replacement;
    },
    select(start, end) {
      element.focus();
      element.setSelectionRange(start, end);
      if (element instanceof HTMLTextAreaElement) scrollTextareaTo(element, start);
    },
  };
}

/** Scrolls a textarea so that offset `at` is roughly in the middle (browsers do not scroll to a set selection). */
function scrollTextareaTo(area: HTMLTextAreaElement, at: number): void {
  const lines = area.value.split('\n').length;
  const line = area.value.slice(0, at).split('\n').length - 1;
  area.scrollTop = Math.max(0, (line / Math.max(1, lines)) * area.scrollHeight - area.clientHeight / 2);
}

/** Text nodes of a surface with their offsets in the concatenated text. */
function surfaceNodes(root: HTMLElement): { node: Text; start: number }[] {
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, SHOW_TEXT);
  const out: { node: Text; start: number }[] = [];
  let at = 0;
  for (let n = walker.nextNode(); n !== null && out.length < MAX_SURFACE_TEXT_NODES; n = walker.nextNode()) {
    const text = n as Text;
    out.push({ node: text, start: at });
    at += text.data.length;
  }
  return out;
}

function rangeAt(root: HTMLElement, start: number, end: number): Range | null {
  const nodes = surfaceNodes(root);
  const range = root.ownerDocument.createRange();
  let startSet = false;
  for (const { node, start: s } of nodes) {
    const e = s + node.data.length;
    if (!startSet && start >= s && start <= e) {
      range.setStart(node, start - s);
      startSet = true;
    }
    if (startSet && end >= s && end <= e) {
      range.setEnd(node, end - s);
      return range;
    }
  }
  return null;
}

function surfaceField(kind: FieldKind, element: HTMLElement): EditField {
  const select = (start: number, end: number): boolean => {
    const range = rangeAt(element, start, end);
    const selection = element.ownerDocument.getSelection();
    if (!range || !selection) return false;
    element.focus();
    selection.removeAllRanges();
    selection.addRange(range);
    range.startContainer.parentElement?.scrollIntoView({ block: 'center' });
    return true;
  };
  const read = () => surfaceNodes(element).map(({ node }) => node.data).join('');
  return {
    kind,
    element,
    read,
    initial: read,
    replace(start, end, replacement, expected) {
      if (read().slice(start, end) !== expected || !select(start, end)) return false;
      insertText(element.ownerDocument, replacement);
      return !read().slice(start).startsWith(expected) || expected === replacement;
    },
    select: (start, end) => void select(start, end),
  };
}

export function editFieldFor(element: Element): EditField | null {
  const kind = fieldKindOf(element);
  if (!kind) return null;
  const view = element.ownerDocument.defaultView;
  if (view && (element instanceof view.HTMLTextAreaElement || element instanceof view.HTMLInputElement)) {
    return plainField(kind, element);
  }
  if (view && element instanceof view.HTMLElement && element.isContentEditable) return surfaceField(kind, element);
  return null;
}

/** The edit field an event target belongs to (the target itself, or the contenteditable surface around it). */
export function fieldElementOf(target: EventTarget | null): Element | null {
  if (!(target instanceof Element)) return null;
  if (fieldKindOf(target)) return target;
  const surface = target.closest('[contenteditable="true"]');
  return surface && fieldKindOf(surface) ? surface : null;
}
