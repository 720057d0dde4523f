import type { Translate } from '../../../utils/i18n';
import type { ScreenshotSafeState } from '../../../utils/masking/messages';
import {
  buildPseudonyms, MAX_PSEUDONYM_NAMES, normalizeUserName, pseudonymizeText, type PseudonymMap,
} from '../../../utils/masking/pseudonyms';
import type { WikiProfile } from '../../../utils/wiki-profile/schema';

/** NodeFilter constants, spelled out: the global is absent outside a window (unit tests run on happy-dom). */
const SHOW_TEXT = 0x4;
const FILTER_ACCEPT = 1;
const FILTER_REJECT = 2;
/**
 * The screenshot-safe view on the page. Unlike everything else Kalkan shows, this one must change the page's own
 * text nodes (a screenshot captures the page, not an overlay). It changes nothing else: no element is added,
 * removed or re-attributed, every changed node's original text is kept in a list, and restoring writes those
 * exact strings back, so the page's HTML is identical afterwards (tests/e2e/masking.e2e.ts). The wiki's stored
 * content is never touched.
 */

/** Text nodes visited per page; a longer page is left partly unchanged (and the popup says how many names). */
export const MAX_TEXT_NODES = 300_000;
/** Main-thread time per slice of the walk, well under the 50 ms long-task line. */
export const SLICE_BUDGET_MS = 8;
const NUMBER_USER = 2;
const NUMBER_USER_TALK = 3;
const NUMBER_SPECIAL = -1;
const SKIPPED_ELEMENTS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'TEMPLATE']);

/** The user a link points to (user page, user talk page, subpage, or Special:Contributions/NAME), if any. */
export function userOfLink(href: string, base: string, profile: WikiProfile): string | null {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    // Not a URL the browser can resolve: not a user link.
    return null;
  }
  if (url.origin !== new URL(base).origin) return null;
  const [pathBefore, pathAfter = ''] = profile.articlePath.split('$1');
  let title: string | null = null;
  if (pathBefore && url.pathname.startsWith(pathBefore) && url.pathname.endsWith(pathAfter)) {
    title = url.pathname.slice(pathBefore.length, url.pathname.length - pathAfter.length);
  }
  if (url.searchParams.has('title')) title = url.searchParams.get('title');
  if (!title) return null;
  try {
    title = decodeURIComponent(title);
  } catch {
    // A malformed escape in the page's link: read it as written.
  }
  const colon = title.indexOf(':');
  if (colon <= 0) return null;
  const ns = profile.namespaceIds[title.slice(0, colon).toLowerCase().replace(/ /g, '_')];
  const rest = title.slice(colon + 1);
  if (ns === NUMBER_USER || ns === NUMBER_USER_TALK) return rest.split('/')[0] || null;
  if (ns === NUMBER_SPECIAL) {
    const slash = rest.indexOf('/');
    if (slash <= 0) return null;
    const page = rest.slice(0, slash).replace(/_/g, ' ').toLowerCase();
    if (profile.specialContributionsNames.some((name) => name.replace(/_/g, ' ').toLowerCase() === page)) {
      return rest.slice(slash + 1) || null;
    }
  }
  return null;
}

export class PseudonymView {
  private changed: { node: Text; original: string }[] = [];
  private active = false;
  private names = 0;
  /** Bumped by every toggle, so a walk still in progress stops when the view is switched off. */
  private generation = 0;

  constructor(
    private readonly doc: Document,
    private readonly profile: WikiProfile,
    private readonly t: Translate,
    private readonly signal: AbortSignal,
  ) {}

  state(): ScreenshotSafeState {
    return { active: this.active, names: this.names };
  }

  async toggle(): Promise<ScreenshotSafeState> {
    if (this.active) this.restore();
    else await this.apply();
    return this.state();
  }

  /** Writes back every original text, newest change first. */
  restore(): void {
    this.generation++;
    for (let i = this.changed.length - 1; i >= 0; i--) {
      const entry = this.changed[i];
      if (entry) entry.node.data = entry.original;
    }
    this.changed = [];
    this.active = false;
    this.names = 0;
  }

  private collectNames(): { map: PseudonymMap; linkTexts: Map<Element, string> } {
    const names: string[] = [];
    const linkTexts = new Map<Element, string>();
    const base = this.doc.baseURI;
    for (const link of Array.from(this.doc.querySelectorAll('a[href]'))) {
      if (names.length >= MAX_PSEUDONYM_NAMES) break;
      const name = userOfLink(link.getAttribute('href') ?? '', base, this.profile);
      if (!name) continue;
      names.push(name);
      linkTexts.set(link, normalizeUserName(name));
    }
    return { map: buildPseudonyms(names, (letters) => this.t('kalkan-screenshot-pseudonym', letters)), linkTexts };
  }

  private async apply(): Promise<void> {
    const generation = ++this.generation;
    this.active = true;
    const { map, linkTexts } = this.collectNames();
    this.names = map.byName.size;
    if (map.byName.size === 0) return;
    const roots = [this.doc.querySelector('title'), this.doc.body].filter((root): root is HTMLElement => root !== null);
    let visited = 0;
    for (const root of roots) {
      const walker = this.doc.createTreeWalker(root, SHOW_TEXT, {
        acceptNode: (node) => {
          const parent = node.parentElement;
          if (!parent || SKIPPED_ELEMENTS.has(parent.tagName) || parent.isContentEditable) return FILTER_REJECT;
          return FILTER_ACCEPT;
        },
      });
      let sliceStart = performance.now();
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        if (++visited > MAX_TEXT_NODES) return;
        const text = node as Text;
        const replaced = pseudonymizeText(text.data, map) ?? this.wholeLinkText(text, map, linkTexts);
        if (replaced !== null && replaced !== text.data) {
          this.changed.push({ node: text, original: text.data });
          text.data = replaced;
        }
        if (performance.now() - sliceStart > SLICE_BUDGET_MS) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (generation !== this.generation || this.signal.aborted) return;
          sliceStart = performance.now();
        }
      }
    }
  }

  /** Short names ("Al") are only replaced where they are a user link's whole text. */
  private wholeLinkText(text: Text, map: PseudonymMap, linkTexts: Map<Element, string>): string | null {
    const link = text.parentElement?.closest('a[href]');
    const name = link ? linkTexts.get(link) : undefined;
    if (!name || normalizeUserName(text.data) !== name) return null;
    const pseudonym = map.byName.get(name);
    if (!pseudonym) return null;
    const lead = /^\s*/.exec(text.data)?.[0] ?? '';
    const trail = /\s*$/.exec(text.data)?.[0] ?? '';
    return lead + pseudonym + trail;
  }
}
