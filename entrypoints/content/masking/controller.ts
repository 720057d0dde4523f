import { h, render, type ComponentChild } from 'preact';
import { I18nContext } from '../../../components/I18nContext';
import {
  EXCERPT_CONTEXT, ExposureWarning, MASKING_CSS, MaskingBadges, MaskingDialog, type BadgeView, type DialogItem,
} from '../../../components/MaskingViews';
import type { Translate } from '../../../utils/i18n';
import { baselineCounts, newFindings } from '../../../utils/masking/baseline';
import { rescanChangedInChunks, scanInChunks } from '../../../utils/masking/chunked';
import { warmUpScanner } from '../../../utils/masking/warmup';
import { PLACEHOLDER_KEYS } from '../../../utils/masking/mask';
import { findOwnIdentifiers, type OwnIdentifierIndex } from '../../../utils/masking/own-identifiers';
import { resolveOverlaps, type ScanOptionsInput } from '../../../utils/masking/scan';
import type { Finding } from '../../../utils/masking/schema';
import type { Viewer } from '../../../utils/wiki-profile/schema';
import type { Overlay } from '../overlay';
import { editFieldFor, fieldElementOf, FIELD_SELECTORS, type EditField } from './fields';

/**
 * The masking helpers on a page: watches the edit fields as the user types (debounced, incremental), shows a quiet
 * count next to each field, and holds a save that would publish identifying details until the user decides
 * (mask, edit, publish anyway). Runs in the content script's isolated world: the page cannot see the findings,
 * and its own listeners run after ours because ours are on the window in the capture phase.
 */

/** Quiet time after the last keystroke before a field is rescanned. */
export const SCAN_DEBOUNCE_MS = 300;
/** Fields tracked on one page (DiscussionTools can open many reply boxes). */
export const MAX_TRACKED_FIELDS = 32;
/** Longest wait for an idle period before a warm-up step runs anyway. */
const IDLE_TIMEOUT_MS = 2_000;
const IDLE_FALLBACK_MS = 50;
/** Badge size used to keep it inside the field's corner. */
const BADGE_INSET_PX = 6;
const BADGE_ESTIMATED_WIDTH_PX = 170;

/** Buttons that publish without a form submit event of their own: VisualEditor and DiscussionTools. */
// VisualEditor's toolbar button only opens its save dialog; the decisive click is that dialog's primary action.
const PUBLISH_BUTTONS = [
  '.ve-ui-mwSaveDialog .oo-ui-processDialog-actions-primary .oo-ui-buttonElement-button',
  '.ext-discussiontools-ui-replyWidget-actions .oo-ui-flaggedElement-primary .oo-ui-buttonElement-button',
].join(', ');
/** Form submit buttons that do not publish. */
const NON_PUBLISHING_SUBMITTERS = new Set(['wpPreview', 'wpDiff']);

interface Tracked {
  key: string;
  field: EditField;
  text: string;
  findings: Finding[];
  baseline: Map<string, number>;
  truncated: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  /** Scans run one after another per field (own-identifier matching is async). */
  chain: Promise<void>;
}

export interface MaskingOptions {
  doc: Document;
  overlay: Overlay;
  t: Translate;
  scanOptions: ScanOptionsInput;
  own: OwnIdentifierIndex | null;
  viewer: Viewer;
  /** Whether the text a field opens with counts as already published (false on previews: it is the user's). */
  baselineFromInitialText: boolean;
  /** Show the logged-out notice right away (an edit page). */
  warnOnLoad: boolean;
  signal: AbortSignal;
}

type Hold = { resume: () => void } | null;

export class MaskingController {
  private readonly tracked = new Map<Element, Tracked>();
  private nextKey = 0;
  private dialog: { holding: Hold } | null = null;
  /** Where focus was when the dialog opened (Publish, or the count badge): it goes back there on close. */
  private returnFocus: HTMLElement | null = null;
  private bypass = false;
  private warningShown = false;
  private acknowledged = false;
  private stylesAdded = false;
  private warmed = false;
  private readonly mounted = new Set<string>();

  constructor(private readonly o: MaskingOptions) {}

  start(): void {
    const { doc, signal } = this.o;
    const view = doc.defaultView;
    if (!view) return;
    for (const [, selector] of FIELD_SELECTORS) {
      for (const element of Array.from(doc.querySelectorAll(selector))) void this.track(element);
    }
    // Fields that appear later (DiscussionTools, VisualEditor) are picked up when focused or typed into.
    doc.addEventListener('focusin', (event) => {
      const element = fieldElementOf(event.target);
      if (element) void this.track(element);
    }, { capture: true, signal });
    doc.addEventListener('input', (event) => {
      // Only the user's typing: a page script that fills the field and watches for our badge would otherwise get
      // an oracle for guessing the user's own identifiers.
      if (!event.isTrusted) return;
      const element = fieldElementOf(event.target);
      if (element) this.schedule(element);
    }, { capture: true, signal });
    view.addEventListener('submit', (event) => this.onSubmit(event), { capture: true, signal });
    view.addEventListener('click', (event) => this.onClick(event), { capture: true, signal });
    view.addEventListener('keydown', (event) => this.onKeydown(event), { capture: true, signal });
    this.o.overlay.onRelayout(() => this.renderBadges(), signal);
    if (this.o.warnOnLoad && this.o.viewer.kind !== 'registered') this.showWarning();
  }

  /** Findings the edit adds, per tracked field. */
  pending(): { tracked: Tracked; findings: Finding[] }[] {
    return [...this.tracked.values()]
      .map((tracked) => ({ tracked, findings: newFindings(tracked.findings, tracked.baseline) }))
      .filter((entry) => entry.findings.length > 0);
  }

  private async track(element: Element): Promise<Tracked | null> {
    const existing = this.tracked.get(element);
    if (existing) return existing;
    if (this.tracked.size >= MAX_TRACKED_FIELDS) return null;
    const field = editFieldFor(element);
    if (!field) return null;
    this.warmUp();
    const initial = field.initial();
    const tracked: Tracked = {
      key: `field-${this.nextKey++}`, field, text: initial, findings: [], baseline: new Map(), truncated: false, timer: null,
      chain: Promise.resolve(),
    };
    this.tracked.set(element, tracked);
    tracked.chain = (async () => {
      // The opening text is scanned in slices so a long page never blocks typing for more than one slice. With own
      // identifiers they are matched in the baseline too: a user's nickname is all over the talk pages they sign.
      const result = await scanInChunks(initial, this.o.scanOptions, { pause: yieldToPage, signal: this.o.signal });
      if (this.o.own) {
        const own = await findOwnIdentifiers(initial, this.o.own, { regions: this.o.scanOptions.regions });
        result.findings = resolveOverlaps([...result.findings, ...own.findings]);
        result.truncated ||= own.truncated;
      }
      tracked.findings = result.findings;
      tracked.truncated = result.truncated;
      if (this.o.baselineFromInitialText && field.kind !== 'summary') tracked.baseline = baselineCounts(result.findings);
    })().catch((error: unknown) => reportError('initial scan', error));
    // Whatever was typed before Kalkan started (and own identifiers, which need the async scan) is read now.
    void this.rescan(tracked, this.o.own !== null);
    await tracked.chain;
    return tracked;
  }

  /** Compiles the scanner's patterns in short idle tasks once a field exists, rather than in one long task at the
   * first street word the user types. */
  private warmUp(): void {
    const view = this.o.doc.defaultView;
    if (this.warmed || !view) return;
    this.warmed = true;
    void warmUpScanner(this.o.scanOptions, () => idle(view), this.o.signal)
      .catch((error: unknown) => reportError('warm-up', error));
  }

  private schedule(element: Element): void {
    void this.track(element).then((tracked) => {
      if (!tracked) return;
      if (tracked.timer) clearTimeout(tracked.timer);
      tracked.timer = setTimeout(() => {
        tracked.timer = null;
        void this.rescan(tracked);
      }, SCAN_DEBOUNCE_MS);
    });
  }

  /** Rescans the edited window of a field (incremental), after any scan already running for it. */
  private rescan(tracked: Tracked, force = false): Promise<void> {
    tracked.chain = tracked.chain.then(async () => {
      const next = tracked.field.read();
      if (next === tracked.text && !force) return;
      const own = this.o.own;
      const result = await rescanChangedInChunks(force ? '' : tracked.text, force ? [] : tracked.findings, next,
        { ...this.o.scanOptions, own }, { pause: yieldToPage, signal: this.o.signal });
      tracked.text = next;
      tracked.findings = result.findings;
      tracked.truncated = result.truncated;
    }).catch((error: unknown) => reportError('rescan', error)).finally(() => {
      this.renderBadges();
      this.renderDialog();
    });
    return tracked.chain;
  }

  /** Brings every field of a save up to date, including keystrokes still inside the debounce. */
  private async flush(trackedList: readonly Tracked[]): Promise<void> {
    await Promise.all(trackedList.map((tracked) => {
      if (tracked.timer) {
        clearTimeout(tracked.timer);
        tracked.timer = null;
      }
      return this.rescan(tracked);
    }));
  }

  // --- save interception -------------------------------------------------------------------------------------

  private onSubmit(event: Event): void {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const submitter = (event as SubmitEvent).submitter;
    if (submitter && NON_PUBLISHING_SUBMITTERS.has(submitter.getAttribute('name') ?? '')) return;
    const fields = this.fieldsIn(form);
    if (fields.length === 0) return;
    this.hold(event, fields, () => {
      if (submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement) form.requestSubmit(submitter);
      else form.requestSubmit();
    });
  }

  private onClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target.closest(PUBLISH_BUTTONS) : null;
    if (!(target instanceof HTMLElement)) return;
    const scope = target.closest('.ext-discussiontools-ui-replyWidget, .ve-init-target, .ve-ui-mwSaveDialog')
      ?? this.o.doc.body;
    const fields = [...this.tracked.values()].filter((t) => scope.contains(t.field.element) || t.field.kind === 'visual');
    if (fields.length === 0) return;
    this.hold(event, fields, () => target.click());
  }

  /** DiscussionTools publishes on Ctrl+Enter / Cmd+Enter. */
  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    const element = fieldElementOf(event.target);
    const tracked = element ? this.tracked.get(element) : undefined;
    if (!tracked || tracked.field.kind !== 'reply') return;
    const widget = tracked.field.element.closest('.ext-discussiontools-ui-replyWidget');
    const button = widget?.querySelector<HTMLElement>(PUBLISH_BUTTONS);
    if (!button) return;
    this.hold(event, [tracked], () => button.click());
  }

  private fieldsIn(form: HTMLFormElement): Tracked[] {
    for (const [, selector] of FIELD_SELECTORS) {
      for (const element of Array.from(form.querySelectorAll(selector))) void this.track(element);
    }
    return [...this.tracked.values()].filter((t) => form.contains(t.field.element));
  }

  /**
   * Holds one publish attempt: stops it before the page's own handlers see it, brings the scans up to date and
   * either lets it through again (nothing new) or opens the dialog.
   */
  private hold(event: Event, fields: readonly Tracked[], resume: () => void): void {
    if (this.bypass) {
      this.bypass = false;
      return;
    }
    if (this.dialog) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    // Without own identifiers the scans are synchronous and nearly always current: let a clean save through at once.
    const quiet = !this.o.own && fields.every((t) => !t.timer && t.text === t.field.read());
    if (quiet && this.pendingIn(fields).length === 0) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const release = () => {
      this.bypass = true;
      try {
        resume();
      } finally {
        // If resuming did not dispatch synchronously (the page removed the button), do not let a later save skip.
        this.bypass = false;
      }
    };
    void this.flush(fields).then(() => {
      if (this.pendingIn(fields).length > 0) {
        this.openDialog({ resume: release });
        return;
      }
      // A task later, not in this microtask: when the scans were already current, the flush resolves while the
      // held submit (or click) is still being dispatched, and the browser ignores requestSubmit() and click()
      // until that dispatch has finished — the save was held and never released (a save pressed within the
      // debounce of the last keystroke, tests/e2e/masking.e2e.ts "a save right after typing").
      const view = this.o.doc.defaultView;
      if (view) view.setTimeout(release, 0);
      else release();
    });
  }

  private pendingIn(fields: readonly Tracked[]): Finding[] {
    return fields.flatMap((t) => newFindings(t.findings, t.baseline));
  }

  // --- views -------------------------------------------------------------------------------------------------

  private ensureStyles(): void {
    if (this.stylesAdded) return;
    this.stylesAdded = true;
    this.o.overlay.addStyles(MASKING_CSS);
  }

  private mount(layerName: string, node: ComponentChild): void {
    this.ensureStyles();
    this.mounted.add(layerName);
    render(h(I18nContext.Provider, { value: this.o.t }, node), this.o.overlay.layer(layerName));
  }

  private unmount(layerName: string): void {
    if (!this.mounted.delete(layerName)) return;
    render(null, this.o.overlay.layer(layerName));
    this.o.overlay.removeLayer(layerName);
  }

  private renderBadges(): void {
    if (this.o.signal.aborted) return;
    const view = this.o.doc.defaultView;
    const badges: BadgeView[] = [];
    for (const entry of this.pending()) {
      const element = entry.tracked.field.element;
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      const rtl = view?.getComputedStyle(element).direction === 'rtl';
      const x = rtl ? rect.left + BADGE_INSET_PX : Math.max(rect.left, rect.right - BADGE_ESTIMATED_WIDTH_PX - BADGE_INSET_PX);
      badges.push({
        key: entry.tracked.key, count: entry.findings.length, truncated: entry.tracked.truncated,
        top: rect.top + (view?.scrollY ?? 0) + BADGE_INSET_PX, left: x + (view?.scrollX ?? 0),
      });
    }
    if (badges.length === 0) {
      this.unmount('masking-badges');
      return;
    }
    this.mount('masking-badges', h(MaskingBadges, { badges, onOpen: () => this.openDialog(null) }));
  }

  private dialogItems(): DialogItem[] {
    const items: DialogItem[] = [];
    for (const { tracked, findings } of this.pending()) {
      for (const finding of findings) {
        items.push({
          key: `${tracked.key}:${finding.start}:${finding.end}`,
          fieldKind: tracked.field.kind,
          finding,
          before: tracked.text.slice(Math.max(0, finding.start - EXCERPT_CONTEXT), finding.start),
          after: tracked.text.slice(finding.end, finding.end + EXCERPT_CONTEXT),
        });
      }
    }
    return items;
  }

  private trackedByKey(item: DialogItem): Tracked | undefined {
    const key = item.key.split(':')[0];
    return [...this.tracked.values()].find((t) => t.key === key);
  }

  private openDialog(holding: Hold): void {
    if (!this.dialog) {
      const { doc, overlay } = this.o;
      // Focus inside the overlay shows as its host on the page; the badge is the element to come back to.
      const active = doc.activeElement === overlay.shadowRoot.host ? overlay.shadowRoot.activeElement : doc.activeElement;
      this.returnFocus = active instanceof HTMLElement ? active : null;
    }
    this.dialog = { holding };
    this.renderDialog();
  }

  private closeDialog(): void {
    this.dialog = null;
    this.unmount('masking-dialog');
    const back = this.returnFocus;
    this.returnFocus = null;
    // Removing an open modal dialog drops focus to the body; put it back where the user was.
    if (back?.isConnected) back.focus({ preventScroll: true });
  }

  private renderDialog(): void {
    const state = this.dialog;
    if (!state || this.o.signal.aborted) return;
    this.mount('masking-dialog', h(MaskingDialog, {
      items: this.dialogItems(),
      holding: state.holding !== null,
      anonymous: this.o.viewer.kind === 'anonymous',
      onMask: (item) => void this.mask([item]),
      onMaskAll: () => void this.mask(this.dialogItems()),
      onEdit: (item) => {
        this.closeDialog();
        this.trackedByKey(item)?.field.select(item.finding.start, item.finding.end);
      },
      onPublish: () => {
        const resume = state.holding?.resume;
        this.closeDialog();
        resume?.();
      },
      onClose: () => this.closeDialog(),
    }));
  }

  /** Replaces findings with their placeholders through the editor (one undo step each), then rescans. */
  private async mask(items: readonly DialogItem[]): Promise<void> {
    // A modal dialog makes the page inert, and an inert field cannot take the edit that undo records: step out of
    // the dialog for the edit, then open it again with what is left.
    this.unmount('masking-dialog');
    const byField = new Map<Tracked, DialogItem[]>();
    for (const item of items) {
      const tracked = this.trackedByKey(item);
      if (!tracked) continue;
      byField.set(tracked, [...(byField.get(tracked) ?? []), item]);
    }
    for (const [tracked, list] of byField) {
      // From the end, so earlier offsets stay valid.
      for (const item of [...list].sort((a, b) => b.finding.start - a.finding.start)) {
        const placeholder = this.o.t(PLACEHOLDER_KEYS[item.finding.type]);
        if (!tracked.field.replace(item.finding.start, item.finding.end, placeholder, item.finding.text)) {
          console.warn('[kalkan] the text changed before it could be masked; it was scanned again.');
        }
      }
      await this.rescan(tracked);
    }
    this.renderDialog();
  }

  private showWarning(): void {
    if (this.warningShown || this.acknowledged) return;
    const viewer = this.o.viewer;
    if (viewer.kind === 'registered') return;
    this.warningShown = true;
    this.mount('masking-warning', h(ExposureWarning, {
      viewer,
      onAcknowledge: () => {
        this.acknowledged = true;
        this.unmount('masking-warning');
      },
    }));
  }
}

/** Resolves at the next idle period (or after a short timeout where requestIdleCallback is missing). */
function idle(view: Window): Promise<void> {
  return new Promise((resolve) => {
    if (typeof view.requestIdleCallback === 'function') view.requestIdleCallback(() => resolve(), { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(resolve, IDLE_FALLBACK_MS);
  });
}

function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function reportError(phase: string, error: unknown): void {
  console.error(`[kalkan] masking ${phase} failed; identifying details in this field may be missed until you reload:`, error);
}
