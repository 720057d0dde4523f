import { z } from 'zod';

/**
 * Location and identifying metadata in a photo the user is about to upload: finds the GPS position and a few
 * identifying EXIF tags in a JPEG (APP1 Exif, and GPS in an XMP packet) or a PNG (eXIf chunk), and writes a copy
 * without them. Pure byte work on ArrayBuffers: no DOM, no network; never throws on a malformed file.
 *
 * Why hand-written: exifr and exifreader only read; piexifjs writes but works on binary strings, has no types and
 * rebuilds the whole segment (moving maker notes, whose offsets then point at the wrong bytes). Here the segment is
 * edited in place: the removed entries leave their IFD (the rest move up), and every byte they pointed at is
 * overwritten with zeros, so no coordinate survives unreferenced; all other offsets, the orientation and the image
 * data stay byte-identical.
 */

/** Bytes read from the start of a file to look for metadata (it sits before the image data). */
export const MAX_EXIF_SCAN_BYTES = 1024 * 1024;
/** Largest file rewritten in memory; Special:Upload's own default limit is 100 MB. */
export const MAX_EXIF_REWRITE_BYTES = 200 * 1024 * 1024;
/** Entries read per IFD; real cameras write under 100, more means a damaged or hostile file. */
export const MAX_IFD_ENTRIES = 1_000;

export const EXIF_ITEM_KINDS = [
  'gps', 'xmp-gps', 'artist', 'copyright', 'xp-author', 'host-computer', 'owner-name', 'body-serial', 'lens-serial',
  'camera-serial',
] as const;
export const ExifItemKindSchema = z.enum(EXIF_ITEM_KINDS);
export type ExifItemKind = z.infer<typeof ExifItemKindSchema>;
export const ExifItemSchema = z.object({
  kind: ExifItemKindSchema,
  /** Decimal degrees, when the GPS IFD holds a readable position. */
  coordinates: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
});
export type ExifItem = z.infer<typeof ExifItemSchema>;

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'heic' | 'other';

export type ExifScan =
  | { kind: 'clean'; format: ImageFormat }
  | { kind: 'found'; format: 'jpeg' | 'png'; items: ExifItem[] }
  /** A format whose metadata Kalkan does not read (WebP, HEIC, anything else). */
  | { kind: 'unsupported'; format: ImageFormat }
  /** The metadata is damaged or runs past the bytes scanned: the location may be in it, unseen. */
  | { kind: 'unreadable'; format: 'jpeg' | 'png'; reason: string };

export type ExifStrip =
  | { kind: 'stripped'; bytes: Uint8Array; removed: ExifItem[]; wholeSegment: boolean }
  | { kind: 'unchanged'; bytes: Uint8Array }
  | { kind: 'failed'; reason: string };

const TAG_GPS_IFD = 0x8825;
const TAG_EXIF_IFD = 0x8769;
const TAG_INTEROP_IFD = 0xa005;
const TAG_THUMBNAIL_OFFSET = 0x0201;
const TAG_THUMBNAIL_LENGTH = 0x0202;
const GPS_LATITUDE_REF = 1;
const GPS_LATITUDE = 2;
const GPS_LONGITUDE_REF = 3;
const GPS_LONGITUDE = 4;
/** The highest tag the Exif standard defines in the GPS IFD (GPSHPositioningError). */
const GPS_MAX_TAG = 0x1f;
/** Tags whose layout the standard fixes (three RATIONALs: degrees, minutes, seconds). */
const GPS_DMS_TAGS = new Set([GPS_LATITUDE, GPS_LONGITUDE, 7, 20, 22]);
/** Identifying tags of IFD0 and of the Exif IFD, by the item they are reported as. */
const IFD0_TAGS = new Map<number, ExifItemKind>([
  [0x013b, 'artist'], [0x8298, 'copyright'], [0x9c9d, 'xp-author'], [0x013c, 'host-computer'], [0xc62f, 'camera-serial'],
]);
const EXIF_IFD_TAGS = new Map<number, ExifItemKind>([
  [0xa430, 'owner-name'], [0xa431, 'body-serial'], [0xa435, 'lens-serial'],
]);
/** Bytes per value of each TIFF type (1 BYTE … 12 DOUBLE); 13 is an IFD pointer. */
const TYPE_SIZES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
const IFD_ENTRY_BYTES = 12;
const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"
const XMP_HEADER = 'http://ns.adobe.com/xap/1.0/\0';
/** XMP properties that carry a position (exif:GPSLatitude in a Lightroom or phone-edited photo). */
const XMP_GPS = /GPS(?:Latitude|Longitude)/;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SOI = 0xd8;
const JPEG_SOS = 0xda;
const JPEG_EOI = 0xd9;
const JPEG_APP1 = 0xe1;

class FormatError extends Error {}

function fail(reason: string): never {
  throw new FormatError(reason);
}

export function imageFormat(bytes: Uint8Array): ImageFormat {
  if (bytes[0] === 0xff && bytes[1] === JPEG_SOI) return 'jpeg';
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp' && /^(heic|heix|mif1|msf1|hevc|avif)$/.test(ascii(8, 12))) return 'heic';
  return 'other';
}

// --- TIFF structure ------------------------------------------------------------------------------------------

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Offset of the 12-byte entry, relative to the TIFF header. */
  at: number;
  /** Where the value is, relative to the TIFF header (inside the entry when it fits in 4 bytes). */
  valueAt: number;
  valueBytes: number;
  inline: boolean;
}

interface Ifd {
  offset: number;
  entries: Entry[];
  nextAt: number;
}

class Tiff {
  readonly little: boolean;
  private readonly view: DataView;

  /** `bytes` is the TIFF block (from the byte-order mark to the end of the segment or chunk). */
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const order = this.u16(0, false);
    if (order === 0x4949) this.little = true;
    else if (order === 0x4d4d) this.little = false;
    else fail('no TIFF byte-order mark');
    if (this.u16(2) !== 42) fail('not a TIFF header');
  }

  u16(at: number, little = this.little): number {
    if (at < 0 || at + 2 > this.bytes.length) fail('offset outside the metadata');
    return this.view.getUint16(at, little);
  }

  u32(at: number): number {
    if (at < 0 || at + 4 > this.bytes.length) fail('offset outside the metadata');
    return this.view.getUint32(at, this.little);
  }

  ifd0(): Ifd {
    return this.ifd(this.u32(4));
  }

  ifd(offset: number): Ifd {
    const count = this.u16(offset);
    if (count > MAX_IFD_ENTRIES) fail('too many entries in one IFD');
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * IFD_ENTRY_BYTES;
      const tag = this.u16(at);
      const type = this.u16(at + 2);
      const valueCount = this.u32(at + 4);
      const size = TYPE_SIZES[type] ?? 0;
      // An unknown type has no known size: its value cannot be found, so it is kept as it is (never removed).
      const valueBytes = size * valueCount;
      const inline = valueBytes <= 4;
      const valueAt = inline ? at + 8 : this.u32(at + 8);
      if (!inline && (valueAt + valueBytes > this.bytes.length || valueAt < 8)) fail('a value points outside the metadata');
      entries.push({ tag, type, count: valueCount, at, valueAt, valueBytes, inline });
    }
    const nextAt = offset + 2 + count * IFD_ENTRY_BYTES;
    this.u32(nextAt);
    return { offset, entries, nextAt };
  }

  subIfd(parent: Ifd, tag: number): Ifd | null {
    const entry = parent.entries.find((e) => e.tag === tag);
    if (!entry) return null;
    if (entry.valueBytes !== 4) fail('an IFD pointer of the wrong size');
    return this.ifd(this.u32(entry.valueAt));
  }

  rationals(entry: Entry): number[] {
    if (entry.type !== 5 || entry.inline) return [];
    const values: number[] = [];
    for (let i = 0; i < entry.count; i++) {
      const denominator = this.u32(entry.valueAt + i * 8 + 4);
      values.push(denominator === 0 ? Number.NaN : this.u32(entry.valueAt + i * 8) / denominator);
    }
    return values;
  }

  ascii(entry: Entry): string {
    return String.fromCharCode(...this.bytes.subarray(entry.valueAt, entry.valueAt + Math.min(entry.valueBytes, 256)));
  }
}

/** Whether a text-like value says anything (cameras write blanks or NULs into unused serial fields). */
function hasText(tiff: Tiff, entry: Entry): boolean {
  return entry.valueBytes > 0 && /[^\0\s]/.test(tiff.ascii(entry));
}

function gpsCoordinates(tiff: Tiff, gps: Ifd): ExifItem['coordinates'] {
  const get = (tag: number) => gps.entries.find((e) => e.tag === tag);
  const degrees = (tag: number) => {
    const entry = get(tag);
    const [d, m = 0, s = 0] = entry ? tiff.rationals(entry) : [];
    return d === undefined ? Number.NaN : d + m / 60 + s / 3600;
  };
  const sign = (tag: number, negative: string) => {
    const entry = get(tag);
    return entry && String.fromCharCode(tiff.bytes[entry.valueAt] ?? 0) === negative ? -1 : 1;
  };
  const latitude = degrees(GPS_LATITUDE) * sign(GPS_LATITUDE_REF, 'S');
  const longitude = degrees(GPS_LONGITUDE) * sign(GPS_LONGITUDE_REF, 'W');
  return Number.isFinite(latitude) && Number.isFinite(longitude) ? { latitude, longitude } : undefined;
}

interface TiffPlan {
  items: ExifItem[];
  /** Entries to drop, per IFD. */
  drop: Map<Ifd, Set<Entry>>;
  /** Byte ranges [start, end) to overwrite with zeros (values of dropped entries, the GPS IFD itself). */
  zero: [number, number][];
  /** Byte ranges that must survive (kept IFDs and their values): zeroing may not touch them. */
  keep: [number, number][];
  /** A kept part (thumbnail IFD, interoperability IFD) could not be read: what zeroing would hit is unknown. */
  uncertain: boolean;
  /** Start of the GPS IFD: the unused bytes after it are cleared too (see applyPlan). */
  gpsAt: number | null;
}

function ifdRange(ifd: Ifd): [number, number] {
  return [ifd.offset, ifd.nextAt + 4];
}

function planTiff(tiff: Tiff): TiffPlan {
  const plan: TiffPlan = { items: [], drop: new Map(), zero: [], keep: [], uncertain: false, gpsAt: null };
  const ifd0 = tiff.ifd0();
  const exif = tiff.subIfd(ifd0, TAG_EXIF_IFD);
  const gps = tiff.subIfd(ifd0, TAG_GPS_IFD);
  const drop = (ifd: Ifd, entry: Entry) => {
    const set = plan.drop.get(ifd) ?? new Set<Entry>();
    set.add(entry);
    plan.drop.set(ifd, set);
    if (!entry.inline) plan.zero.push([entry.valueAt, entry.valueAt + entry.valueBytes]);
  };
  if (gps) {
    const pointer = ifd0.entries.find((e) => e.tag === TAG_GPS_IFD);
    if (pointer) drop(ifd0, pointer);
    plan.zero.push(ifdRange(gps));
    for (const entry of gps.entries) if (!entry.inline) plan.zero.push([entry.valueAt, entry.valueAt + entry.valueBytes]);
    // Where a GPS IFD breaks the standard, where its values are is a guess: the whole segment goes instead.
    plan.uncertain ||= gps.entries.length === 0 || gps.entries.some((entry) =>
      entry.tag > GPS_MAX_TAG || (TYPE_SIZES[entry.type] ?? 0) === 0
      || (GPS_DMS_TAGS.has(entry.tag) && (entry.type !== 5 || entry.count !== 3)));
    plan.gpsAt = gps.offset;
    const coordinates = gpsCoordinates(tiff, gps);
    plan.items.push(coordinates ? { kind: 'gps', coordinates } : { kind: 'gps' });
  }
  for (const [ifd, tags] of [[ifd0, IFD0_TAGS], [exif, EXIF_IFD_TAGS]] as const) {
    if (!ifd) continue;
    plan.keep.push(ifdRange(ifd));
    for (const entry of ifd.entries) {
      const kind = tags.get(entry.tag);
      if (kind && hasText(tiff, entry)) {
        drop(ifd, entry);
        if (!plan.items.some((item) => item.kind === kind)) plan.items.push({ kind });
      } else if (!plan.drop.get(ifd)?.has(entry) && !entry.inline) {
        plan.keep.push([entry.valueAt, entry.valueAt + entry.valueBytes]);
      }
    }
  }
  keepOthers(tiff, ifd0, exif, plan);
  return plan;
}

/** The thumbnail IFD (with its JPEG) and the interoperability IFD are kept; their bytes may not be zeroed. */
function keepOthers(tiff: Tiff, ifd0: Ifd, exif: Ifd | null, plan: TiffPlan): void {
  try {
    const keepIfd = (ifd: Ifd) => {
      plan.keep.push(ifdRange(ifd));
      for (const entry of ifd.entries) if (!entry.inline) plan.keep.push([entry.valueAt, entry.valueAt + entry.valueBytes]);
    };
    const next = tiff.u32(ifd0.nextAt);
    if (next !== 0) {
      const ifd1 = tiff.ifd(next);
      keepIfd(ifd1);
      const offset = ifd1.entries.find((e) => e.tag === TAG_THUMBNAIL_OFFSET);
      const length = ifd1.entries.find((e) => e.tag === TAG_THUMBNAIL_LENGTH);
      if (offset && length) {
        const start = tiff.u32(offset.valueAt);
        plan.keep.push([start, start + (length.type === 3 ? tiff.u16(length.valueAt) : tiff.u32(length.valueAt))]);
      }
    }
    const interop = exif ? tiff.subIfd(exif, TAG_INTEROP_IFD) : null;
    if (interop) keepIfd(interop);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    plan.uncertain = true;
  }
}

function overlaps(a: readonly [number, number][], b: readonly [number, number][]): boolean {
  return a.some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1));
}

/** Applies a plan to the TIFF block in place; false when it cannot be done without touching kept data. */
function applyPlan(tiff: Tiff, plan: TiffPlan): boolean {
  if (plan.uncertain || overlaps(plan.zero, plan.keep)) return false;
  const { bytes } = tiff;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const [ifd, dropped] of plan.drop) {
    const kept = ifd.entries.filter((entry) => !dropped.has(entry));
    const rows = kept.map((entry) => bytes.slice(entry.at, entry.at + IFD_ENTRY_BYTES));
    const next = bytes.slice(ifd.nextAt, ifd.nextAt + 4);
    view.setUint16(ifd.offset, kept.length, tiff.little);
    rows.forEach((row, i) => bytes.set(row, ifd.offset + 2 + i * IFD_ENTRY_BYTES));
    const nextAt = ifd.offset + 2 + kept.length * IFD_ENTRY_BYTES;
    bytes.set(next, nextAt);
    // The rows freed at the end of the IFD held the dropped entries (inline values included).
    bytes.fill(0, nextAt + 4, ifd.nextAt + 4);
  }
  for (const [start, end] of plan.zero) bytes.fill(0, start, end);
  // Cameras write the GPS values right after the GPS IFD. Clearing everything from there up to the next byte a kept
  // part uses also catches a value whose offset or count was damaged and so pointed elsewhere than its bytes.
  if (plan.gpsAt !== null) {
    const gpsAt = plan.gpsAt;
    const nextKept = Math.min(bytes.length, ...plan.keep.map(([start]) => start).filter((start) => start > gpsAt));
    bytes.fill(0, gpsAt, nextKept);
  }
  return true;
}

// --- JPEG ----------------------------------------------------------------------------------------------------

interface Segment {
  marker: number;
  /** Offset of the 0xFF of the marker. */
  start: number;
  /** Offset just past the segment. */
  end: number;
  /** Offset of the payload (after the two length bytes). */
  data: number;
}

/** Segments before the image data; `complete` is false when the bytes end before the start of scan. */
function jpegSegments(bytes: Uint8Array): { segments: Segment[]; complete: boolean } {
  const segments: Segment[] = [];
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) fail('a JPEG segment does not start with a marker');
    const marker = bytes[at + 1] ?? 0;
    // Fill bytes: any number of 0xFF may precede a marker.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === JPEG_EOI) return { segments, complete: true };
    const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
    if (length < 2) fail('a JPEG segment has an impossible length');
    const segment = { marker, start: at, end: at + 2 + length, data: at + 4 };
    if (segment.end > bytes.length) return { segments, complete: false };
    segments.push(segment);
    if (marker === JPEG_SOS) return { segments, complete: true };
    at = segment.end;
  }
  return { segments, complete: false };
}

function isExif(bytes: Uint8Array, segment: Segment): boolean {
  return segment.marker === JPEG_APP1 && EXIF_HEADER.every((b, i) => bytes[segment.data + i] === b);
}

function isXmpWithGps(bytes: Uint8Array, segment: Segment): boolean {
  if (segment.marker !== JPEG_APP1) return false;
  const head = String.fromCharCode(...bytes.subarray(segment.data, segment.data + XMP_HEADER.length));
  if (head !== XMP_HEADER) return false;
  return XMP_GPS.test(new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(segment.data, segment.end)));
}

function tiffOf(bytes: Uint8Array, segment: Segment): Tiff {
  return new Tiff(bytes.subarray(segment.data + EXIF_HEADER.length, segment.end));
}

// --- PNG -----------------------------------------------------------------------------------------------------

interface Chunk {
  type: string;
  start: number;
  data: number;
  length: number;
  end: number;
}

function pngChunks(bytes: Uint8Array): { chunks: Chunk[]; complete: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Chunk[] = [];
  let at = PNG_SIGNATURE.length;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const chunk = { type, start: at, data: at + 8, length, end: at + 12 + length };
    if (chunk.end > bytes.length) return { chunks, complete: false };
    chunks.push(chunk);
    // Metadata chunks may come after the image data in PNG; IEND is the real end.
    if (type === 'IEND') return { chunks, complete: true };
    at = chunk.end;
  }
  return { chunks, complete: false };
}

// --- public API ----------------------------------------------------------------------------------------------

function mergeItems(into: ExifItem[], more: readonly ExifItem[]): void {
  for (const item of more) if (!into.some((known) => known.kind === item.kind)) into.push(item);
}

/**
 * What identifying metadata a file holds. `bytes` may be only the first MAX_EXIF_SCAN_BYTES of the file: a JPEG
 * whose metadata runs past them is `unreadable` rather than `clean`.
 */
export function scanImageMetadata(bytes: Uint8Array): ExifScan {
  const format = imageFormat(bytes);
  try {
    if (format === 'jpeg') {
      const { segments, complete } = jpegSegments(bytes);
      const items: ExifItem[] = [];
      for (const segment of segments) {
        if (isExif(bytes, segment)) mergeItems(items, planTiff(tiffOf(bytes, segment)).items);
        else if (isXmpWithGps(bytes, segment)) mergeItems(items, [{ kind: 'xmp-gps' }]);
      }
      if (items.length > 0) return { kind: 'found', format, items };
      return complete ? { kind: 'clean', format } : { kind: 'unreadable', format, reason: 'the metadata continues past the part read' };
    }
    if (format === 'png') {
      const { chunks } = pngChunks(bytes);
      const exif = chunks.find((chunk) => chunk.type === 'eXIf');
      if (!exif) return { kind: 'clean', format };
      const items = planTiff(new Tiff(bytes.subarray(exif.data, exif.data + exif.length))).items;
      return items.length > 0 ? { kind: 'found', format, items } : { kind: 'clean', format };
    }
    return { kind: 'unsupported', format };
  } catch (error) {
    // Only the JPEG and PNG readers throw FormatError.
    if (error instanceof FormatError && (format === 'jpeg' || format === 'png')) return { kind: 'unreadable', format, reason: error.message };
    throw error;
  }
}

/**
 * A copy of the whole file without its location and identifying metadata. JPEG: the entries are removed in place
 * (orientation, other tags and image data untouched); if the file's layout makes that unsafe (a removed value
 * shares bytes with a kept one), the whole Exif segment is dropped instead (`wholeSegment`). An XMP packet with a
 * position is dropped whole (it is text metadata only). PNG: the eXIf chunk is dropped whole, which needs no CRC
 * rewrite and loses nothing a PNG viewer uses.
 */
export function stripImageMetadata(input: Uint8Array): ExifStrip {
  const format = imageFormat(input);
  try {
    if (format === 'jpeg') return stripJpeg(input);
    if (format === 'png') return stripPng(input);
    return { kind: 'unchanged', bytes: input };
  } catch (error) {
    if (error instanceof FormatError) return { kind: 'failed', reason: error.message };
    throw error;
  }
}

function stripJpeg(input: Uint8Array): ExifStrip {
  const { segments, complete } = jpegSegments(input);
  if (!complete) fail('the file ends inside its metadata');
  const bytes = input.slice();
  const removed: ExifItem[] = [];
  const dropSegments: Segment[] = [];
  let wholeSegment = false;
  for (const segment of segments) {
    if (isExif(bytes, segment)) {
      const tiff = tiffOf(bytes, segment);
      const plan = planTiff(tiff);
      if (plan.items.length === 0) continue;
      mergeItems(removed, plan.items);
      if (!applyPlan(tiff, plan)) {
        dropSegments.push(segment);
        wholeSegment = true;
      }
    } else if (isXmpWithGps(bytes, segment)) {
      mergeItems(removed, [{ kind: 'xmp-gps' }]);
      dropSegments.push(segment);
    }
  }
  if (removed.length === 0) return { kind: 'unchanged', bytes: input };
  return { kind: 'stripped', bytes: without(bytes, dropSegments), removed, wholeSegment };
}

function stripPng(input: Uint8Array): ExifStrip {
  const { chunks } = pngChunks(input);
  const exif = chunks.filter((chunk) => chunk.type === 'eXIf');
  const removed: ExifItem[] = [];
  for (const chunk of exif) mergeItems(removed, planTiff(new Tiff(input.subarray(chunk.data, chunk.data + chunk.length))).items);
  if (removed.length === 0) return { kind: 'unchanged', bytes: input };
  return { kind: 'stripped', bytes: without(input, exif), removed, wholeSegment: true };
}

/** The bytes with the given [start, end) spans cut out. */
function without(bytes: Uint8Array, spans: readonly { start: number; end: number }[]): Uint8Array {
  if (spans.length === 0) return bytes;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out = new Uint8Array(bytes.length - sorted.reduce((sum, s) => sum + s.end - s.start, 0));
  let from = 0;
  let to = 0;
  for (const span of sorted) {
    out.set(bytes.subarray(from, span.start), to);
    to += span.start - from;
    from = span.end;
  }
  out.set(bytes.subarray(from), to);
  return out;
}
