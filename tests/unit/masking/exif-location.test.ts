import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_IFD_ENTRIES, scanImageMetadata, stripImageMetadata, type ExifItem } from '../../../utils/masking/exif-location';
import {
  bareJpeg, buildTiff, gpsIfd, ifd0Tags, indexOf, LATITUDE, LATITUDE_DEGREES, LONGITUDE, LONGITUDE_DEGREES, photoJpeg,
  photoTiff, png, rationalBytes, THUMBNAIL, value, walkJpeg, withExif, xmpSegment,
} from './exif-builder';

const ORDERS = [['II', true], ['MM', false]] as const;
const TAG_GPS = 0x8825;

function kinds(items: readonly ExifItem[]): string[] {
  return items.map((item) => item.kind).sort();
}

function stripped(bytes: Uint8Array) {
  const result = stripImageMetadata(bytes);
  if (result.kind !== 'stripped') throw new Error(`expected stripped, got ${result.kind}`);
  return result;
}

describe.each(ORDERS)('JPEG with GPS, byte order %s', (_name, little) => {
  const input = photoJpeg({ little, gps: true, orientation: 6, artist: 'Aigerim K.', bodySerial: '0420 1234', thumbnail: true });

  it('finds the position (decoded) and the identifying tags', () => {
    const scan = scanImageMetadata(input);
    expect(scan.kind).toBe('found');
    if (scan.kind !== 'found') return;
    expect(kinds(scan.items)).toEqual(['artist', 'body-serial', 'gps']);
    const gps = scan.items.find((item) => item.kind === 'gps');
    expect(gps?.coordinates?.latitude).toBeCloseTo(LATITUDE_DEGREES, 6);
    expect(gps?.coordinates?.longitude).toBeCloseTo(LONGITUDE_DEGREES, 6);
  });

  it('the input really holds the coordinate bytes the output must lose', () => {
    expect(indexOf(input, rationalBytes(LATITUDE, little))).toBeGreaterThan(0);
    expect(indexOf(input, rationalBytes(LONGITUDE, little))).toBeGreaterThan(0);
    expect(ifd0Tags(input).tags).toContain(TAG_GPS);
  });

  it('strips the GPS IFD: no pointer, no coordinate bytes, nothing found on a second scan', () => {
    const result = stripped(input);
    expect(result.wholeSegment).toBe(false);
    expect(kinds(result.removed)).toEqual(['artist', 'body-serial', 'gps']);
    const out = result.bytes;
    expect(ifd0Tags(out).tags).not.toContain(TAG_GPS);
    expect(ifd0Tags(out).tags).not.toContain(0x013b);
    expect(indexOf(out, rationalBytes(LATITUDE, little))).toBe(-1);
    expect(indexOf(out, rationalBytes(LONGITUDE, little))).toBe(-1);
    expect(indexOf(out, rationalBytes([[780, 1]], little))).toBe(-1);
    expect(indexOf(out, new TextEncoder().encode('Aigerim'))).toBe(-1);
    expect(indexOf(out, new TextEncoder().encode('0420 1234'))).toBe(-1);
    expect(scanImageMetadata(out)).toEqual({ kind: 'clean', format: 'jpeg' });
  });

  it('keeps the JPEG valid, the orientation, the other tags, the thumbnail and the image data byte-identical', () => {
    const out = stripped(input).bytes;
    const before = walkJpeg(input);
    const after = walkJpeg(out);
    expect(out.length).toBe(input.length);
    expect(after.map((s) => s.marker)).toEqual(before.map((s) => s.marker));
    expect(ifd0Tags(out).orientation).toBe(6);
    expect(ifd0Tags(out).tags).toEqual(expect.arrayContaining([0x010f, 0x0110, 0x0112, 0x8769]));
    expect(indexOf(out, new TextEncoder().encode('KalkanCam'))).toBeGreaterThan(0);
    expect(indexOf(out, new TextEncoder().encode('2026:05:01 10:00:00'))).toBeGreaterThan(0);
    expect(indexOf(out, new Uint8Array(THUMBNAIL))).toBe(indexOf(input, new Uint8Array(THUMBNAIL)));
    const app1End = before[0]?.end ?? 0;
    expect(out.subarray(app1End)).toEqual(input.subarray(app1End));
  });
});

describe('files left unchanged', () => {
  const cases: [string, Uint8Array][] = [
    ['no metadata', bareJpeg()],
    ['orientation and camera only', photoJpeg({ little: true, orientation: 3 })],
    ['blank serial number and artist (cameras pad unused fields)', photoJpeg({ little: false, artist: '   ', bodySerial: '\0\0\0\0\0' })],
    ['XMP without a position', withExif(bareJpeg(), null, [xmpSegment('<x:xmpmeta><dc:title>Tree</dc:title></x:xmpmeta>')])],
    ['PNG without eXIf', png(null)],
    ['PNG whose eXIf has no position', png(photoTiff({ little: true }))],
  ];
  it.each(cases)('%s: scan is clean and strip returns the very same bytes', (_name, bytes) => {
    expect(scanImageMetadata(bytes).kind).toBe('clean');
    const result = stripImageMetadata(bytes);
    expect(result.kind).toBe('unchanged');
    if (result.kind === 'unchanged') expect(result.bytes).toBe(bytes);
  });
});

describe('other places a position hides', () => {
  it('XMP with exif:GPSLatitude: the packet is dropped, the rest is kept', () => {
    const xmp = xmpSegment('<rdf:Description exif:GPSLatitude="42,52.5N" exif:GPSLongitude="74,35.2E"/>');
    const input = withExif(bareJpeg(), photoTiff({ little: true, orientation: 8 }), [xmp]);
    expect(scanImageMetadata(input)).toEqual({ kind: 'found', format: 'jpeg', items: [{ kind: 'xmp-gps' }] });
    const out = stripped(input).bytes;
    expect(walkJpeg(out).filter((s) => s.marker === 0xe1)).toHaveLength(1);
    expect(indexOf(out, new TextEncoder().encode('GPSLatitude'))).toBe(-1);
    expect(ifd0Tags(out).orientation).toBe(8);
    expect(out.length).toBe(input.length - xmp.length);
  });

  it('PNG eXIf with GPS: found, and the chunk is dropped whole', () => {
    const input = png(photoTiff({ little: false, gps: true }));
    const scan = scanImageMetadata(input);
    expect(scan.kind === 'found' && scan.format).toBe('png');
    const out = stripped(input).bytes;
    expect(indexOf(out, new TextEncoder().encode('eXIf'))).toBe(-1);
    expect(indexOf(out, rationalBytes(LATITUDE, false))).toBe(-1);
    expect(indexOf(out, new TextEncoder().encode('IDAT'))).toBeGreaterThan(0);
    expect(scanImageMetadata(out).kind).toBe('clean');
  });

  it('a southern position is negative', () => {
    const tiff = buildTiff({ entries: [{ tag: TAG_GPS, value: gpsIfd(true) }] }, true);
    const scan = scanImageMetadata(withExif(bareJpeg(), tiff));
    expect(scan.kind === 'found' && scan.items[0]?.coordinates?.latitude).toBeCloseTo(-LATITUDE_DEGREES, 6);
  });
});

describe('unusual layouts', () => {
  it('a GPS value that shares bytes with a kept tag: the whole Exif segment is dropped instead', () => {
    const tiff = photoTiff({ little: true, gps: true });
    const input = withExif(bareJpeg(), tiff);
    // Point the Make tag's value at the latitude's bytes, so zeroing them would damage a kept value.
    const tiffAt = walkJpeg(input)[0]!.start + 10;
    const view = new DataView(input.buffer, input.byteOffset + tiffAt);
    const latAt = indexOf(input, rationalBytes(LATITUDE, true)) - tiffAt;
    const count = view.getUint16(8, true);
    for (let i = 0; i < count; i++) {
      if (view.getUint16(10 + i * 12, true) === 0x010f) view.setUint32(10 + i * 12 + 8, latAt, true);
    }
    const result = stripped(input);
    expect(result.wholeSegment).toBe(true);
    expect(walkJpeg(result.bytes).some((s) => s.marker === 0xe1)).toBe(false);
    expect(indexOf(result.bytes, rationalBytes(LATITUDE, true))).toBe(-1);
    expect(result.bytes.subarray(2)).toEqual(bareJpeg().subarray(2));
  });

  it('only the head of a file was read and the metadata runs past it: unreadable, not clean', () => {
    const input = photoJpeg({ little: true });
    expect(scanImageMetadata(input.subarray(0, 40)).kind).toBe('unreadable');
  });
});

describe('not JPEG or PNG: no warning, no crash', () => {
  const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
  it.each([
    ['webp', new Uint8Array([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBPVP8X'), 0, 0, 0, 0])],
    ['heic', new Uint8Array([0, 0, 0, 24, ...ascii('ftypheic'), 0, 0, 0, 0])],
    ['other', new Uint8Array(ascii('GIF89a'))],
    ['other', new Uint8Array([])],
  ] as const)('%s', (format, bytes) => {
    expect(scanImageMetadata(bytes)).toEqual({ kind: 'unsupported', format });
    expect(stripImageMetadata(bytes).kind).toBe('unchanged');
  });
});

describe('malformed EXIF never throws', () => {
  const good = photoTiff({ little: true, gps: true });
  const patched = (at: number, bytes: number[]) => {
    const copy = good.slice();
    copy.set(bytes, at);
    return copy;
  };
  const cases: [string, Uint8Array][] = [
    ['no byte-order mark', patched(0, [0x41, 0x41])],
    ['wrong magic number', patched(2, [43, 0])],
    ['IFD0 offset past the end', patched(4, [0xff, 0xff, 0, 0])],
    ['entry count past the end', patched(8, [0xf0, 0])],
    ['too many entries', patched(8, [(MAX_IFD_ENTRIES + 1) & 0xff, (MAX_IFD_ENTRIES + 1) >> 8])],
    ['cut in the middle of IFD0', good.subarray(0, 30)],
  ];
  it.each(cases)('%s: unreadable, and strip fails without throwing', (_name, tiff) => {
    const input = withExif(bareJpeg(), tiff);
    expect(scanImageMetadata(input).kind).toBe('unreadable');
    expect(stripImageMetadata(input).kind).toBe('failed');
  });

  it('a GPS pointer of the wrong size is unreadable', () => {
    const tiff = buildTiff({ entries: [{ tag: TAG_GPS, value: value.short(8) }] }, false);
    expect(scanImageMetadata(withExif(bareJpeg(), tiff)).kind).toBe('unreadable');
  });

  it('random bytes and random damage to a real layout: always a result, never an exception', () => {
    const input = photoJpeg({ little: true, gps: true, artist: 'A', thumbnail: true });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (noise) => {
      scanImageMetadata(noise);
      stripImageMetadata(noise);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.integer({ min: 2, max: input.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, byte) => {
      const copy = input.slice();
      copy[at] = byte;
      const scan = scanImageMetadata(copy);
      const result = stripImageMetadata(copy);
      // Whatever the damage, a file whose GPS was removed must come out without the latitude. (A damaged GPS
      // pointer tag means there is no GPS IFD to remove: such a file strips its artist only.)
      if (result.kind === 'stripped' && result.removed.some((item) => item.kind === 'gps')) expect(indexOf(result.bytes, rationalBytes(LATITUDE, true))).toBe(-1);
      expect(['found', 'clean', 'unreadable']).toContain(scan.kind);
    }), { numRuns: 500 });
  });
});
