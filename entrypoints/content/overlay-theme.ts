import lightTokens from '@wikimedia/codex-design-tokens/dist/theme-wikimedia-ui-root.css?raw';
import darkTokens from '@wikimedia/codex-design-tokens/dist/theme-wikimedia-ui-mode-dark.css?raw';

/**
 * The overlay's look: Codex design tokens (the same as MediaWiki's and Kalkan's extension pages) defined on each
 * overlay layer, so capability styles write var(--color-base) etc. The page's own CSS variables would otherwise
 * inherit into the shadow root (custom properties cross it), letting any page restyle Kalkan's controls.
 *
 * Dark values follow the wiki's theme, not only the browser's: MediaWiki puts skin-theme-clientpref-night (dark),
 * -day (light) or -os (follow prefers-color-scheme) on <html>; a wiki without the classes (1.39, legacy skins)
 * renders light, so the overlay does too.
 */

export type PageTheme = 'day' | 'night' | 'os';
/** Attribute on every overlay layer carrying the page theme. */
export const THEME_ATTRIBUTE = 'data-kalkan-theme';
const THEME_CLASS = /^skin-theme-clientpref-(day|night|os)$/;

export function pageThemeOf(classNames: Iterable<string>): PageTheme {
  for (const name of classNames) {
    const match = THEME_CLASS.exec(name);
    if (match?.[1] === 'night' || match?.[1] === 'os' || match?.[1] === 'day') return match[1];
  }
  return 'day';
}

const LAYER = '.kalkan-layer';
const onLayers = (css: string, selector: string) => css.replace(/:root\s*\{/g, `${selector} {`);

/** Token definitions for light, night and os-dark layers, plus the reduced-motion rule for everything inside. */
export const OVERLAY_THEME_CSS = [
  onLayers(lightTokens, LAYER),
  onLayers(darkTokens, `${LAYER}[${THEME_ATTRIBUTE}="night"]`),
  `@media (prefers-color-scheme: dark) {\n${onLayers(darkTokens, `${LAYER}[${THEME_ATTRIBUTE}="os"]`)}\n}`,
  `${LAYER} { color-scheme: light; }`,
  `${LAYER}[${THEME_ATTRIBUTE}="night"] { color-scheme: dark; }`,
  `@media (prefers-color-scheme: dark) { ${LAYER}[${THEME_ATTRIBUTE}="os"] { color-scheme: dark; } }`,
  // Motion can make people ill; nothing of Kalkan's moves when the user asked the system for less motion.
  '@media (prefers-reduced-motion: reduce) { *, *::before, *::after { transition: none !important; animation: none !important; scroll-behavior: auto !important; } }',
].join('\n');

/** Calls `onChange` with the page theme now and whenever the wiki switches it (Vector 2022 does so without reload). */
export function watchPageTheme(doc: Document, onChange: (theme: PageTheme) => void, signal: AbortSignal): void {
  const root = doc.documentElement;
  let current = pageThemeOf(root.classList);
  onChange(current);
  const View = doc.defaultView?.MutationObserver;
  if (!View) return;
  // Only <html>'s class attribute: this never sees the page's content mutations.
  const observer = new View(() => {
    const next = pageThemeOf(root.classList);
    if (next !== current) onChange((current = next));
  });
  observer.observe(root, { attributes: true, attributeFilter: ['class'] });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}
