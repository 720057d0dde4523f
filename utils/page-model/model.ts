/**
 * The page model features read: threads, comments, headings, from DiscussionTools markers when the page has
 * them, else from the signature parser. Parse once, read the model (STYLE.md principle 3).
 */
import { z } from 'zod';
import type { WikiProfile } from '../wiki-profile/schema';
import { childIndexOf, isElement } from './dom';
import { hasDiscussionToolsMarkers, markerDisplayName, readMarkersSteps } from './markers';
import { createParserSetup, runToEnd, SignatureParser, type ParserSetup } from './parser';
import { commentMentions, commentText } from './text';
import { computeIdsAndNamesSteps, linkThreads } from './threads';
import { parseTitle } from './titles';
import type { CommentItem, DomRange, HeadingItem, ParseStats, ThreadItem } from './types';

export type ModelSource = 'markers' | 'parser';

export interface BuildOptions {
  /** 'auto' (default) reads DT markers when present, else parses signatures. */
  source?: 'auto' | ModelSource;
  /** Reuse a setup across calls for the same wiki (regexps are compiled once). */
  setup?: ParserSetup;
}

export interface ModelStats extends ParseStats {
  comments: number;
  headings: number;
  /** Wall-clock time of the build (for the asynchronous build, including the page's work between slices). */
  buildMs: number;
  /** Main-thread time spent building (equals buildMs for the synchronous build). */
  busyMs: number;
  /** Tasks the build ran in (1 for the synchronous build). */
  slices: number;
  /** Longest of those tasks (equals busyMs for the synchronous build). */
  longestSliceMs: number;
}

export interface PageModel {
  root: Element;
  title: string;
  profile: WikiProfile;
  setup: ParserSetup;
  source: ModelSource;
  /** Every heading, each with its replies (sub-headings appear under their parent too, as in DT). */
  threads: HeadingItem[];
  headings: HeadingItem[];
  comments: CommentItem[];
  /** All items in document order. */
  items: ThreadItem[];
  byId: Map<string, ThreadItem>;
  stats: ModelStats;
}

/** How deep below <body> (or #mw-content-text) the thread container is looked for; skins put it 1–3 deep. */
export const CONTAINER_SEARCH_DEPTH = 6;

function findParserOutput(scope: Element): Element | null {
  // Breadth-first and shallow: a document-wide selector scan would also visit every comment node.
  let level: Element[] = [scope];
  for (let depth = 0; depth <= CONTAINER_SEARCH_DEPTH && level.length; depth++) {
    const next: Element[] = [];
    for (const el of level) {
      if (el.classList.contains('mw-parser-output')) return el;
      for (const child of Array.from(el.children)) next.push(child);
    }
    level = next;
  }
  return null;
}

/** The element DiscussionTools treats as the thread container. */
export function threadContainer(root: Element | Document): Element {
  if (isElement(root as Node)) return root as Element;
  const doc = root as Document;
  const body = doc.body ?? doc.documentElement;
  const content = doc.getElementById('mw-content-text');
  return (content && findParserOutput(content)) ?? findParserOutput(body) ?? body;
}

/** Longest stretch the asynchronous build runs before letting the page handle input (one ~120 Hz frame). */
export const MODEL_SLICE_MS = 8;

export interface AsyncBuildOptions extends BuildOptions {
  /** Stops the build between slices (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  sliceMs?: number;
}

/**
 * The whole build as resumable steps (yields between pieces of the walk). `buildPageModel` runs them at once;
 * `buildPageModelAsync` runs them in short slices. Both give the same model.
 */
function* buildSteps(
  rootOrDocument: Element | Document, profile: WikiProfile, title: string, options: BuildOptions,
): Generator<void, PageModel> {
  const root = threadContainer(rootOrDocument);
  const setup = options.setup ?? createParserSetup(profile);
  const wanted = options.source ?? 'auto';
  const useMarkers = wanted === 'markers' || (wanted === 'auto' && hasDiscussionToolsMarkers(root));
  // The look for markers scans the whole page when there are none: a pause before the read itself.
  yield;
  let items: ThreadItem[];
  let stats: ParseStats;
  let markerIds = new Map<ThreadItem, string>();
  let authorParts: Map<CommentItem, string> | undefined;
  if (useMarkers) {
    const read = yield* readMarkersSteps(root, setup, title);
    items = read.items;
    stats = read.stats;
    markerIds = read.markerIds;
    authorParts = read.authorParts;
  } else {
    const parser = new SignatureParser(root, setup, title);
    items = yield* parser.parseSteps();
    stats = parser.stats;
  }
  yield;
  linkThreads(items);
  // Marker ids are DT's own: kept as they are (computeIdsAndNamesSteps only names those items).
  yield* computeIdsAndNamesSteps(items, markerIds, authorParts);
  yield;
  const headings = items.filter((i): i is HeadingItem => i.type === 'heading');
  const comments = items.filter((i): i is CommentItem => i.type === 'comment');
  const byId = new Map<string, ThreadItem>();
  for (const item of items) byId.set(item.id, item);
  return {
    root, title, profile, setup,
    source: useMarkers ? 'markers' : 'parser',
    threads: headings,
    headings,
    comments,
    items,
    byId,
    stats: {
      ...stats, comments: comments.length, headings: headings.length,
      buildMs: 0, busyMs: 0, slices: 1, longestSliceMs: 0,
    },
  };
}

export function buildPageModel(
  rootOrDocument: Element | Document, profile: WikiProfile, title: string, options: BuildOptions = {},
): PageModel {
  const started = performance.now();
  const model = runToEnd(buildSteps(rootOrDocument, profile, title, options));
  model.stats.buildMs = performance.now() - started;
  model.stats.busyMs = model.stats.buildMs;
  model.stats.longestSliceMs = model.stats.buildMs;
  return model;
}

/** Lets the page run input and rendering between slices (scheduler.yield keeps our place in the queue). */
function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler && typeof scheduler.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => { setTimeout(resolve, 0); });
}

/**
 * The same model as buildPageModel, built in slices of at most ~`sliceMs` (MODEL_SLICE_MS) of main-thread time,
 * so even the 1,311-comment archive never blocks the page for a long task. stats.buildMs is the wall time
 * (slices plus the page's work in between), stats.busyMs the time spent in the slices.
 */
export async function buildPageModelAsync(
  rootOrDocument: Element | Document, profile: WikiProfile, title: string, options: AsyncBuildOptions = {},
): Promise<PageModel> {
  const { signal } = options;
  const sliceMs = options.sliceMs ?? MODEL_SLICE_MS;
  const started = performance.now();
  signal?.throwIfAborted();
  const steps = buildSteps(rootOrDocument, profile, title, options);
  let busyMs = 0;
  let slices = 0;
  let longestSliceMs = 0;
  for (;;) {
    const sliceStart = performance.now();
    slices++;
    let next = steps.next();
    while (!next.done && performance.now() - sliceStart < sliceMs) next = steps.next();
    const sliceMsTaken = performance.now() - sliceStart;
    busyMs += sliceMsTaken;
    longestSliceMs = Math.max(longestSliceMs, sliceMsTaken);
    if (next.done) {
      const model = next.value;
      model.stats.buildMs = performance.now() - started;
      model.stats.busyMs = busyMs;
      model.stats.slices = slices;
      model.stats.longestSliceMs = longestSliceMs;
      return model;
    }
    await yieldToPage();
    signal?.throwIfAborted();
  }
}

/** The heading a comment belongs to (nearest heading ancestor in the reply tree). */
export function headingOf(item: ThreadItem): HeadingItem | null {
  for (let p = item.parent; p; p = p.parent) if (p.type === 'heading') return p;
  return null;
}

/** A comment's display name (read from its signature on first use for pages built from DT markers). */
export function displayNameOf(model: PageModel, comment: CommentItem): string | null {
  if (comment.displayName === undefined) {
    comment.displayName = markerDisplayName(comment, model.root, model.setup, parseTitle(model.title, model.setup.titles));
  }
  return comment.displayName;
}

/** Position "i1/i2/…/offset" relative to the thread container, as in DT's expected JSON. */
export function offsetPath(root: Node, container: Node, offset: number): string {
  const path: number[] = [];
  for (let n: Node | null = container; n && n !== root; n = n.parentNode) path.push(childIndexOf(n));
  path.reverse();
  path.push(offset);
  return path.join('/');
}

function rangeJson(root: Node, r: DomRange): [string, string] {
  return [offsetPath(root, r.startContainer, r.startOffset), offsetPath(root, r.endContainer, r.endOffset)];
}

const WarningsSchema = z.array(z.string());
const RangeJsonSchema = z.tuple([z.string(), z.string()]);

const CommentJsonBaseSchema = z.object({
  type: z.literal('comment'),
  id: z.string(),
  name: z.string(),
  level: z.number().int(),
  author: z.string(),
  displayName: z.string().optional(),
  /** ISO 8601 UTC. */
  timestamp: z.string(),
  timestampMs: z.number(),
  parentId: z.string().nullable(),
  headingId: z.string().nullable(),
  warnings: WarningsSchema,
  text: z.string().optional(),
  mentions: z.array(z.string()).optional(),
  range: RangeJsonSchema.optional(),
  signatureRanges: z.array(RangeJsonSchema).optional(),
  timestampRanges: z.array(RangeJsonSchema).optional(),
});

const HeadingJsonBaseSchema = z.object({
  type: z.literal('heading'),
  id: z.string(),
  name: z.string(),
  level: z.literal(0),
  headingLevel: z.number().int().nullable(),
  placeholderHeading: z.boolean(),
  text: z.string(),
  anchor: z.string(),
  warnings: WarningsSchema,
  range: RangeJsonSchema.optional(),
});

export type CommentJson = z.infer<typeof CommentJsonBaseSchema> & { replies: ThreadItemJson[] };
export type HeadingJson = z.infer<typeof HeadingJsonBaseSchema> & { replies: ThreadItemJson[] };
export type ThreadItemJson = CommentJson | HeadingJson;

/** Validates serialised threads (e.g. read back from storage or a worker). */
export const ThreadItemJsonSchema: z.ZodType<ThreadItemJson> = z.lazy(() => z.discriminatedUnion('type', [
  CommentJsonBaseSchema.extend({ replies: z.array(ThreadItemJsonSchema) }),
  HeadingJsonBaseSchema.extend({ replies: z.array(ThreadItemJsonSchema) }),
]));

export interface JsonOptions {
  /** Include DOM positions as offset paths (costly on big pages; for tests and the CLI). */
  ranges?: boolean;
  /** Include body text and mentions (computed on demand). */
  text?: boolean;
}

export function itemToJson(model: PageModel, item: ThreadItem, options: JsonOptions = {}): ThreadItemJson {
  const replies = item.replies.map((r) => itemToJson(model, r, options));
  if (item.type === 'heading') {
    const json: HeadingJson = {
      type: 'heading', id: item.id, name: item.name, level: 0, headingLevel: item.headingLevel,
      placeholderHeading: item.placeholderHeading, text: item.text, anchor: item.anchor,
      warnings: [...item.warnings], replies,
    };
    if (options.ranges) json.range = rangeJson(model.root, item.range);
    return json;
  }
  const heading = headingOf(item);
  const json: CommentJson = {
    type: 'comment', id: item.id, name: item.name, level: item.level, author: item.author,
    timestamp: new Date(item.utcMs).toISOString(), timestampMs: item.utcMs,
    parentId: item.parent && item.parent.type === 'comment' ? item.parent.id : null,
    headingId: heading ? heading.id : null,
    warnings: [...item.warnings], replies,
  };
  const displayName = displayNameOf(model, item);
  if (displayName) json.displayName = displayName;
  if (options.text) {
    json.text = commentText(item);
    json.mentions = commentMentions(item, model.setup.titles, parseTitle(model.title, model.setup.titles));
  }
  if (options.ranges) {
    json.range = rangeJson(model.root, item.range);
    json.signatureRanges = item.signatureRanges.map((r) => rangeJson(model.root, r));
    json.timestampRanges = item.timestampRanges.map((r) => rangeJson(model.root, r));
  }
  return json;
}

/** Plain-data threads (one entry per heading, like DT's expected JSON). */
export function modelToJson(model: PageModel, options: JsonOptions = {}): ThreadItemJson[] {
  return model.threads.map((t) => itemToJson(model, t, options));
}

export const InteractionSchema = z.object({
  from: z.string(),
  to: z.string(),
  kind: z.enum(['reply', 'mention']),
  commentId: z.string(),
});
export type Interaction = z.infer<typeof InteractionSchema>;

/** Who addressed whom: replies (to the parent comment's author, not to oneself) and mentions in comment bodies. */
export function interactions(model: PageModel): Interaction[] {
  const out: Interaction[] = [];
  const selfTitle = parseTitle(model.title, model.setup.titles);
  for (const c of model.comments) {
    const parent = c.parent;
    if (parent && parent.type === 'comment' && parent.author !== c.author) {
      out.push({ from: c.author, to: parent.author, kind: 'reply', commentId: c.id });
    }
    for (const user of commentMentions(c, model.setup.titles, selfTitle)) {
      out.push({ from: c.author, to: user, kind: 'mention', commentId: c.id });
    }
  }
  return out;
}
