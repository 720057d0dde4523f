/**
 * Budgets for every loop whose length the page controls. A page that exceeds one gets a partial model
 * (stats.truncated names the budget), never a hang or an exception.
 */

/** Nodes the main walk may visit. The 1.2 MB enwiki archive has ≈ 60,000; this leaves room for 30× that. */
export const MAX_NODES_VISITED = 2_000_000;

/**
 * How much signature text (code points, like DiscussionTools' SIGNATURE_SCAN_LIMIT) the backwards walk from a
 * timestamp reads before giving up. Not a hard limit on signature length.
 */
export const SIGNATURE_SCAN_LIMIT = 100;

/** Nodes one backwards signature walk may visit (empty links add no text, so the text limit alone is not enough). */
export const MAX_SIGNATURE_WALK_NODES = 400;

/** User links examined in one signature walk. */
export const MAX_LINKS_PER_SIGNATURE_WALK = 40;

/** Extra signatures merged into one comment when a paragraph holds several (10,000-signature paragraphs exist only in attacks). */
export const MAX_SIGNATURES_PER_COMMENT = 50;

/** Ancestors examined when computing an indentation level; deeper nesting is reported as this depth. */
export const MAX_INDENT_DEPTH = 256;

/** Comments kept per page; the largest real archive in the fixtures has 1,070. */
export const MAX_COMMENTS = 20_000;

/** Headings kept per page. */
export const MAX_HEADINGS = 5_000;

/** Nodes the forward walk to the end of a signature's paragraph may visit. */
export const MAX_PARAGRAPH_WALK_NODES = 20_000;

/** Text examined per text node for a timestamp (signatures sit in short text nodes; megabyte nodes are not talk). */
export const MAX_TIMESTAMP_TEXT_LENGTH = 100_000;

/** Nodes the search for the start of a comment may skip. */
export const MAX_START_SEARCH_NODES = 200_000;

/** Characters of comment body text kept per comment in the model. */
export const MAX_COMMENT_TEXT_LENGTH = 20_000;

/** Distinct tag names whose facts are memoised (real pages use a few dozen; custom elements could add more). */
export const MAX_TAG_NAMES_CACHED = 1_000;

/** Distinct link targets whose parsed titles are memoised per wiki (kept across rebuilds of the same page). */
export const MAX_HREFS_CACHED = 20_000;
