/**
 * Where Kalkan runs without asking: the Wikimedia projects. Any other MediaWiki site is added by the user in the
 * options page and granted at runtime (optional host permissions), so the manifest never asks for <all_urls>.
 */
export const WIKIMEDIA_DOMAINS = [
  'wikipedia.org',
  'wiktionary.org',
  'wikibooks.org',
  'wikinews.org',
  'wikiquote.org',
  'wikisource.org',
  'wikiversity.org',
  'wikivoyage.org',
  'wikimedia.org',
  'wikidata.org',
  'mediawiki.org',
] as const;

/** `*.domain` in a match pattern also matches the bare domain (e.g. mediawiki.org itself). */
export const WIKIMEDIA_MATCH_PATTERNS: string[] = WIKIMEDIA_DOMAINS.flatMap((domain) => [
  `https://*.${domain}/*`,
  `http://*.${domain}/*`,
]);

/** Loopback hosts used only by the end-to-end test build (KALKAN_E2E=1). */
export const E2E_MATCH_PATTERNS = ['http://localhost/*', 'http://127.0.0.1/*'];
