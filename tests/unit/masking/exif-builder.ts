/**
 * Builds test images with EXIF metadata from scratch (no fixture files): a TIFF block with IFD0, Exif, GPS and
 * thumbnail IFDs in either byte order, wrapped in a JPEG APP1 segment or a PNG eXIf chunk. Shared by the unit tests
 * and tests/e2e/masking-upload.e2e.ts. Written independently of utils/masking/exif-location.ts so each checks the
 * other.
 */

export const TYPE = { BYTE: 1, ASCII: 2, SHORT: 3, LONG: 4, RATIONAL: 5, UNDEFINED: 7 } as const;

export interface Value {
  type: number;
  count: number;
  /** Encodes the value in the given byte order. */
  encode(little: boolean): number[];
}

export interface IfdSpec {
  entries: { tag: number; value: Value | IfdSpec }[];
  next?: IfdSpec;
}

function u16(v: number, little: boolean): number[] {
  return little ? [v & 0xff, v >>> 8] : [v >>> 8, v & 0xff];
}

function u32(v: number, little: boolean): number[] {
  const be = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return little ? be.reverse() : be;
}

export const value = {
  short: (v: number): Value => ({ type: TYPE.SHORT, count: 1, encode: (l) => u16(v, l) }),
  long: (v: number): Value => ({ type: TYPE.LONG, count: 1, encode: (l) => u32(v, l) }),
  ascii: (text: string): Value => ({ type: TYPE.ASCII, count: text.length + 1, encode: () => [...Array.from(text, (c) => c.charCodeAt(0)), 0] }),
  bytes: (bytes: number[]): Value => ({ type: TYPE.BYTE, count: bytes.length, encode: () => bytes }),
  rationals: (pairs: [number, number][]): Value => ({
    type: TYPE.RATIONAL, count: pairs.length, encode: (l) => pairs.flatMap(([n, d]) => [...u32(n, l), ...u32(d, l)]),
  }),
};

function isIfd(v: Value | IfdSpec): v is IfdSpec {
  return 'entries' in v;
}

/** Lays out a TIFF block: header, then each IFD followed by its out-of-line values, then its sub-IFDs. */
export function buildTiff(ifd0: IfdSpec, little: boolean, extra: { at?: (bytes: number[]) => void } = {}): Uint8Array {
  const out: number[] = [...(little ? [0x49, 0x49] : [0x4d, 0x4d]), ...u16(42, little), ...u32(8, little)];
  const put32 = (at: number, v: number) => out.splice(at, 4, ...u32(v, little));
  const place = (ifd: IfdSpec): number => {
    const offset = out.length;
    const sorted = [...ifd.entries].sort((a, b) => a.tag - b.tag);
    out.push(...u16(sorted.length, little));
    const pending: { at: number; data?: number[]; sub?: IfdSpec }[] = [];
    for (const { tag, value: v } of sorted) {
      const at = out.length;
      if (isIfd(v)) {
        out.push(...u16(tag, little), ...u16(TYPE.LONG, little), ...u32(1, little), 0, 0, 0, 0);
        pending.push({ at: at + 8, sub: v });
        continue;
      }
      const data = v.encode(little);
      out.push(...u16(tag, little), ...u16(v.type, little), ...u32(v.count, little));
      if (data.length <= 4) out.push(...data, ...new Array<number>(4 - data.length).fill(0));
      else {
        out.push(0, 0, 0, 0);
        pending.push({ at: at + 8, data });
      }
    }
    const nextAt = out.length;
    out.push(0, 0, 0, 0);
    for (const item of pending) {
      if (!item.data) continue;
      put32(item.at, out.length);
      out.push(...item.data);
      if (out.length % 2) out.push(0);
    }
    for (const item of pending) if (item.sub) put32(item.at, place(item.sub));
    if (ifd.next) put32(nextAt, place(ifd.next));
    return offset;
  };
  place(ifd0);
  extra.at?.(out);
  return new Uint8Array(out);
}

/** 42°52'30.5"N 74°35'12.25"E — Bishkek; the bytes of these rationals must not survive stripping. */
export const LATITUDE: [number, number][] = [[42, 1], [52, 1], [3050, 100]];
export const LONGITUDE: [number, number][] = [[74, 1], [35, 1], [1225, 100]];
export const LATITUDE_DEGREES = 42 + 52 / 60 + 30.5 / 3600;
export const LONGITUDE_DEGREES = 74 + 35 / 60 + 12.25 / 3600;

export function rationalBytes(pairs: [number, number][], little: boolean): Uint8Array {
  return new Uint8Array(value.rationals(pairs).encode(little));
}

export function gpsIfd(south = false): IfdSpec {
  return {
    entries: [
      { tag: 0, value: value.bytes([2, 3, 0, 0]) },
      { tag: 1, value: value.ascii(south ? 'S' : 'N') },
      { tag: 2, value: value.rationals(LATITUDE) },
      { tag: 3, value: value.ascii('E') },
      { tag: 4, value: value.rationals(LONGITUDE) },
      { tag: 6, value: value.rationals([[780, 1]]) },
    ],
  };
}

export interface PhotoOptions {
  little: boolean;
  gps?: boolean;
  orientation?: number;
  artist?: string;
  bodySerial?: string;
  /** A thumbnail IFD (IFD1) with a small fake JPEG thumbnail. */
  thumbnail?: boolean;
}

/** The bytes of the fake thumbnail, recognisable in the output. */
export const THUMBNAIL = [0xff, 0xd8, 0x54, 0x48, 0x55, 0x4d, 0x42, 0xff, 0xd9];

export function photoTiff(options: PhotoOptions): Uint8Array {
  const exif: IfdSpec = { entries: [{ tag: 0x9003, value: value.ascii('2026:05:01 10:00:00') }] };
  if (options.bodySerial !== undefined) exif.entries.push({ tag: 0xa431, value: value.ascii(options.bodySerial) });
  const ifd0: IfdSpec = {
    entries: [
      { tag: 0x010f, value: value.ascii('KalkanCam') },
      { tag: 0x0110, value: value.ascii('Model 7') },
      { tag: 0x0112, value: value.short(options.orientation ?? 1) },
      { tag: 0x8769, value: exif },
    ],
  };
  if (options.artist !== undefined) ifd0.entries.push({ tag: 0x013b, value: value.ascii(options.artist) });
  if (options.gps) ifd0.entries.push({ tag: 0x8825, value: gpsIfd() });
  if (!options.thumbnail) return buildTiff(ifd0, options.little);
  // The thumbnail's offset is patched once the layout is known: its bytes go at the end of the block.
  ifd0.next = { entries: [{ tag: 0x0201, value: value.long(0) }, { tag: 0x0202, value: value.long(THUMBNAIL.length) }, { tag: 0x0103, value: value.short(6) }] };
  return buildTiff(ifd0, options.little, {
    at: (bytes) => {
      const start = bytes.length;
      bytes.push(...THUMBNAIL);
      const patch = findThumbnailOffsetEntry(bytes, options.little);
      bytes.splice(patch, 4, ...u32(start, options.little));
    },
  });
}

function findThumbnailOffsetEntry(bytes: number[], little: boolean): number {
  const tag = u16(0x0201, little);
  const type = u16(TYPE.LONG, little);
  for (let i = 8; i + 12 <= bytes.length; i += 2) {
    if (bytes[i] === tag[0] && bytes[i + 1] === tag[1] && bytes[i + 2] === type[0] && bytes[i + 3] === type[1]) return i + 8;
  }
  throw new Error('thumbnail entry not found');
}

function segment(marker: number, payload: ArrayLike<number>): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >>> 8, length & 0xff, ...Array.from(payload)];
}

/** A structurally valid baseline JPEG without metadata: DQT, SOF0 (1×1, one component), DHT, SOS, scan data, EOI. */
export function bareJpeg(): Uint8Array {
  return new Uint8Array([
    0xff, 0xd8,
    ...segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, 0, 1, ...new Array<number>(14).fill(0), 0]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    0x12, 0x34, 0xff, 0x00, 0x56,
    0xff, 0xd9,
  ]);
}

/** `base` (a JPEG) with an APP1 Exif segment holding `tiff` right after SOI, plus other APP segments if given. */
export function withExif(base: Uint8Array, tiff: Uint8Array | null, more: number[][] = []): Uint8Array {
  const app1 = tiff ? segment(0xe1, [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff]) : [];
  return new Uint8Array([0xff, 0xd8, ...app1, ...more.flat(), ...base.subarray(2)]);
}

export function xmpSegment(xml: string): number[] {
  return segment(0xe1, Array.from(new TextEncoder().encode(`http://ns.adobe.com/xap/1.0/\0${xml}`)));
}

export function photoJpeg(options: PhotoOptions, base = bareJpeg()): Uint8Array {
  return withExif(base, photoTiff(options));
}

/** A PNG (signature, IHDR, optional eXIf, IDAT, IEND); CRCs are zero: the code under test never checks them. */
export function png(exif: Uint8Array | null): Uint8Array {
  const chunk = (type: string, data: ArrayLike<number>) => [
    ...u32(data.length, false), ...Array.from(type, (c) => c.charCodeAt(0)), ...Array.from(data), 0, 0, 0, 0,
  ];
  return new Uint8Array([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...chunk('IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
    ...(exif ? chunk('eXIf', exif) : []),
    ...chunk('IDAT', [0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1]),
    ...chunk('IEND', []),
  ]);
}

/** JPEG segments walked independently of the code under test: throws unless SOI … SOS … EOI with exact lengths. */
export function walkJpeg(bytes: Uint8Array): { marker: number; start: number; end: number }[] {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('no SOI');
  const segments: { marker: number; start: number; end: number }[] = [];
  let at = 2;
  for (;;) {
    if (bytes[at] !== 0xff) throw new Error(`no marker at ${at}`);
    const marker = bytes[at + 1] ?? -1;
    const end = at + 2 + (((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0));
    if (end > bytes.length) throw new Error(`segment ${marker.toString(16)} runs past the end`);
    segments.push({ marker, start: at, end });
    at = end;
    if (marker === 0xda) break;
  }
  if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) throw new Error('no EOI');
  return segments;
}

export function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** IFD0 tags of the first APP1 Exif segment, read independently of the code under test. */
export function ifd0Tags(jpeg: Uint8Array): { tags: number[]; orientation: number | null } {
  const app1 = walkJpeg(jpeg).find((s) => s.marker === 0xe1 && jpeg[s.start + 4] === 0x45);
  if (!app1) return { tags: [], orientation: null };
  const tiff = jpeg.subarray(app1.start + 10, app1.end);
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const little = tiff[0] === 0x49;
  const ifd = view.getUint32(4, little);
  const count = view.getUint16(ifd, little);
  const tags: number[] = [];
  let orientation: number | null = null;
  for (let i = 0; i < count; i++) {
    const tag = view.getUint16(ifd + 2 + i * 12, little);
    tags.push(tag);
    if (tag === 0x0112) orientation = view.getUint16(ifd + 2 + i * 12 + 8, little);
  }
  return { tags, orientation };
}
