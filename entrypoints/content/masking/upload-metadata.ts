import { h, render } from 'preact';
import { I18nContext } from '../../../components/I18nContext';
import { UPLOAD_NOTICE_CSS, UploadMetadataNotice, type UploadNoticeState } from '../../../components/UploadMetadataNotice';
import type { Translate } from '../../../utils/i18n';
import {
  MAX_EXIF_REWRITE_BYTES, MAX_EXIF_SCAN_BYTES, scanImageMetadata, stripImageMetadata,
} from '../../../utils/masking/exif-location';
import type { Overlay } from '../overlay';

/**
 * The upload form's photo check: when the user chooses a file in Special:Upload, its first MAX_EXIF_SCAN_BYTES are
 * read in the content script (the file never leaves the page's memory, nothing is sent) and, if it records where
 * it was taken or who took it, a notice offers to remove that. Removing rewrites the file in memory and puts the
 * copy back into the same input (DataTransfer → input.files), with the input/change events MediaWiki's upload
 * script listens to (it fills the destination name and the preview from them).
 *
 * UploadWizard is not covered: it takes the file from its input on the change event itself, before a user could
 * press anything, so a cleaned copy put back later would be a second upload rather than a replacement.
 */

/** Special:Upload's file input (MediaWiki 1.39 and later). */
export const UPLOAD_FILE_INPUT = 'input#wpUploadFile[type="file"]';
const LAYER = 'masking-upload';
const BYTES_PER_MEGABYTE = 1024 * 1024;

export interface UploadMetadataOptions {
  doc: Document;
  overlay: Overlay;
  t: Translate;
  signal: AbortSignal;
}

export function watchUploadMetadata(o: UploadMetadataOptions): void {
  let stylesAdded = false;
  let mounted = false;
  /** Increases with every file chosen, so a slow read of an earlier file cannot show its notice late. */
  let generation = 0;

  const show = (state: UploadNoticeState, input: HTMLInputElement, file: File) => {
    if (o.signal.aborted) return;
    if (!stylesAdded) {
      o.overlay.addStyles(UPLOAD_NOTICE_CSS);
      stylesAdded = true;
    }
    mounted = true;
    const node = h(UploadMetadataNotice, {
      state,
      onRemove: () => {
        remove(input, file, state).catch((error: unknown) => {
          console.error('[kalkan] the location data could not be removed:', error);
          show({ kind: 'failed', fileName: file.name }, input, file);
        });
      },
      onDismiss: hide,
    });
    render(h(I18nContext.Provider, { value: o.t }, node), o.overlay.layer(LAYER));
  };

  const hide = () => {
    if (!mounted) return;
    mounted = false;
    render(null, o.overlay.layer(LAYER));
    o.overlay.removeLayer(LAYER);
  };

  const check = async (input: HTMLInputElement) => {
    const token = ++generation;
    const file = input.files?.[0];
    hide();
    if (!file) return;
    const head = new Uint8Array(await file.slice(0, MAX_EXIF_SCAN_BYTES).arrayBuffer());
    if (token !== generation || o.signal.aborted) return;
    const scan = scanImageMetadata(head);
    // Formats whose metadata Kalkan does not read, and files without any, get no notice: a warning on every upload
    // would be a warning nobody reads.
    if (scan.kind === 'found') show({ kind: 'found', fileName: file.name, items: scan.items, busy: false }, input, file);
    else if (scan.kind === 'unreadable') show({ kind: 'unreadable', fileName: file.name }, input, file);
  };

  const remove = async (input: HTMLInputElement, file: File, state: UploadNoticeState) => {
    if (state.kind !== 'found') return;
    const token = generation;
    if (file.size > MAX_EXIF_REWRITE_BYTES) {
      show({ kind: 'too-large', fileName: file.name, megabytes: Math.round(file.size / BYTES_PER_MEGABYTE) }, input, file);
      return;
    }
    show({ ...state, busy: true }, input, file);
    const result = stripImageMetadata(new Uint8Array(await file.arrayBuffer()));
    // The user chose another file meanwhile: that one has its own check, this result would replace it.
    if (token !== generation || input.files?.[0] !== file) return;
    // The copy is checked again before it replaces the original: a file that still scans as identifying is refused.
    if (result.kind !== 'stripped' || scanImageMetadata(result.bytes).kind !== 'clean') {
      show({ kind: 'failed', fileName: file.name }, input, file);
      return;
    }
    const cleaned = new File([result.bytes.slice()], file.name, { type: file.type, lastModified: file.lastModified });
    const transfer = new DataTransfer();
    transfer.items.add(cleaned);
    input.files = transfer.files;
    // Untrusted events: our own change listener ignores them, MediaWiki's upload script does not.
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    show({ kind: 'removed', fileName: file.name, items: result.removed, wholeSegment: result.wholeSegment }, input, cleaned);
  };

  o.doc.addEventListener('change', (event) => {
    // Only the user's own choice of file; a page script cannot choose files from the user's disk anyway.
    if (!event.isTrusted) return;
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches(UPLOAD_FILE_INPUT)) return;
    check(input).catch((error: unknown) => {
      console.error('[kalkan] the chosen file could not be checked for location data; choose it again to retry:', error);
    });
  }, { capture: true, signal: o.signal });
  o.signal.addEventListener('abort', hide, { once: true });
}
