/**
 * Accessibility helpers for e2e tests: axe-core on an extension page or on Kalkan's in-page overlay (its shadow
 * root is open in the e2e build only), keyboard-only navigation, and the user-interface language of extension
 * pages.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Id of the overlay's host element (OVERLAY_HOST_ID in entrypoints/content/overlay.ts). Repeated, not imported:
 * that module pulls in the overlay's stylesheets, which Node scripts using these helpers cannot load.
 */
export const OVERLAY_HOST_ID = 'kalkan-overlay';

/** WCAG 2.2 A/AA rules plus axe's best practices (landmarks, heading order, one h1). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] as const;
/** Tab presses a keyboard-only walk may take before the test calls the target unreachable. */
export const MAX_TAB_PRESSES = 600;

let axeSource: string | null = null;

interface AxeNode { target: unknown; failureSummary?: string; html: string }
interface AxeRule { id: string; impact?: string | null; nodes: AxeNode[] }

/**
 * Runs axe-core in the page and returns its violations as "rule: target — summary" lines (empty when clean).
 * `scope` 'overlay' checks only Kalkan's in-page overlay (the wiki's own markup is not ours to fix); 'page' checks
 * the whole document (extension pages). The source is evaluated, not added as a script tag: extension pages'
 * CSP allows only their own scripts, and evaluation from the test harness is not subject to it.
 */
export async function axeViolations(page: Page, scope: 'page' | 'overlay', options: { disable?: readonly string[] } = {}): Promise<string[]> {
  axeSource ??= readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async ({ scope: where, host, tags, disable }) => {
    type Run = (context: unknown, options: unknown) => Promise<{ violations: AxeRule[]; passes: AxeRule[] }>;
    const axe = (window as unknown as { axe: { run: Run } }).axe;
    const rules = Object.fromEntries(disable.map((id) => [id, { enabled: false }]));
    const context = where === 'overlay' ? { include: [[`#${host}`]] } : document;
    const result = await axe.run(context, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations', 'passes'] });
    // No rule passing would mean the scope missed the view and the check proved nothing.
    if (result.passes.length === 0) return ['nothing checked'];
    return result.violations.flatMap((rule) =>
      rule.nodes.map((node) => `${rule.id}: ${JSON.stringify(node.target)} — ${(node.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`));
  }, { scope, host: OVERLAY_HOST_ID, tags: [...AXE_TAGS], disable: [...(options.disable ?? [])] });
}

/** What has keyboard focus, looking into the overlay's shadow root: enough to recognise one control. */
export interface FocusInfo {
  inOverlay: boolean;
  tag: string;
  id: string;
  label: string;
  testId: string;
  action: string;
  /** data-testid of the nearest ancestor dialog (role=dialog or <dialog>), or "". */
  dialog: string;
}

export function focusInfo(page: Page): Promise<FocusInfo> {
  return page.evaluate((host) => {
    let element = document.activeElement;
    let inOverlay = false;
    if (element?.id === host) {
      inOverlay = true;
      element = element.shadowRoot?.activeElement ?? element;
    }
    const el = element as HTMLElement | null;
    const dialog = el?.closest('dialog, [role="dialog"], [role="alertdialog"]') as HTMLElement | null;
    return {
      inOverlay,
      tag: el?.tagName.toLowerCase() ?? '',
      id: el?.id ?? '',
      // The accessible name as far as a test needs it: aria-label, else the <label>'s text, else the content.
      label: (el?.getAttribute('aria-label') ?? (el as HTMLInputElement | null)?.labels?.[0]?.textContent ?? el?.textContent ?? '').trim().slice(0, 80),
      testId: el?.dataset.testid ?? '',
      action: el?.dataset.action ?? '',
      dialog: dialog ? (dialog.dataset.testid ?? dialog.tagName.toLowerCase()) : '',
    };
  }, OVERLAY_HOST_ID);
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until the focused element matches, and returns how many presses it
 * took (0 when `orCurrent` and focus is already there); throws after MAX_TAB_PRESSES. Only key presses: no mouse
 * event and no programmatic focus. Inside a modal <dialog>, use `orCurrent` and a small `max`: Tab past its last
 * control leaves the page for the browser's own toolbar, and keys pressed then never reach the page.
 */
export async function tabUntil(page: Page, matches: (focus: FocusInfo) => boolean, options: { backwards?: boolean; max?: number; orCurrent?: boolean } = {}): Promise<number> {
  const max = options.max ?? MAX_TAB_PRESSES;
  if (options.orCurrent && matches(await focusInfo(page))) return 0;
  for (let presses = 1; presses <= max; presses += 1) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    if (matches(await focusInfo(page))) return presses;
  }
  throw new Error(`Not reachable with ${max} Tab presses; last focus: ${JSON.stringify(await focusInfo(page))}`);
}

/**
 * Makes extension pages of this context see `language` as the browser's UI language. Debian's Chromium ships
 * only en-US (the chromium-l10n package holds the rest), so --lang cannot switch it; extension pages run their
 * scripts in the page's own world, so an init script can answer chrome.i18n.getUILanguage() for them. Wiki pages
 * and content scripts are not affected (use ?uselang= there). Test-only: the extension itself never does this.
 */
export async function emulateUiLanguage(target: BrowserContext | Page, language: string): Promise<void> {
  await target.addInitScript((lang: string) => {
    if (location.protocol !== 'chrome-extension:') return;
    const i18n = (globalThis as unknown as { chrome?: { i18n?: object } }).chrome?.i18n;
    if (i18n) Object.defineProperty(i18n, 'getUILanguage', { value: () => lang, configurable: true });
  }, language);
}

/** Label of the options page's interface-language control (being added alongside the language resolver). */
export const INTERFACE_LANGUAGE_LABEL = /^Interface language/i;
/** The same control found by what it offers, whatever language the options page is in. */
const LANGUAGE_SELECT = 'select:has(option[value="ar"]):has(option[value="ru"])';

/** The "language" setting's override as stored in Kalkan's database (runs in an extension page). */
async function storedLanguageOverride(): Promise<string | null> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('kalkan');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  try {
    const row = await new Promise<unknown>((resolve, reject) => {
      const get = db.transaction('settings').objectStore('settings').get('language');
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    });
    const value = (row as { value?: { override?: unknown } } | undefined)?.value?.override;
    return typeof value === 'string' ? value : null;
  } finally {
    db.close();
  }
}

/** Chooses the interface language in Kalkan's own settings when the options page offers it; returns whether it did. */
export async function chooseInterfaceLanguage(context: BrowserContext, extensionId: string, language: string): Promise<boolean> {
  const options = await context.newPage();
  try {
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await options.locator('main h1').waitFor();
    // By role: the settings section is labelled by a heading of the same words.
    const byLabel = options.getByRole('combobox', { name: INTERFACE_LANGUAGE_LABEL });
    const control = (await byLabel.count()) > 0 ? byLabel.first() : options.locator(LANGUAGE_SELECT).first();
    if ((await control.count()) === 0 || (await control.evaluate((el) => el.tagName)) !== 'SELECT') return false;
    await control.selectOption(language);
    // Stored asynchronously (and the page then switches language, so its labels change): wait for the database.
    await expect.poll(() => options.evaluate(storedLanguageOverride)).toBe(language);
    return true;
  } finally {
    await options.close();
  }
}

/** axe-core on one of Kalkan's views inside the overlay's shadow root (open in e2e builds), by its selector. */
export async function axeViolationsIn(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ path: resolve('node_modules/axe-core/axe.min.js') });
  return page.evaluate(async (sel: string) => {
    type Rule = { id: string; nodes: unknown[] };
    const axe = (window as unknown as { axe: { run(context: unknown): Promise<{ violations: Rule[]; passes: Rule[] }> } }).axe;
    const result = await axe.run({ include: [{ fromShadowDom: ['#kalkan-overlay', sel] }] });
    // No rule passing would mean the selector missed the view and the check proved nothing.
    if (result.passes.length === 0) return ['nothing checked'];
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  }, selector);
}
