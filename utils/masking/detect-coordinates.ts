import type { ScanContext } from './detector.ts';
import { cueRegex, hasCueNear } from './cue-match.ts';
import { CUE_BOOST } from './limits.ts';
import { makeFinding, type Finding } from './schema.ts';

/**
 * Latitude/longitude pairs, decimal ("42.8746, 74.5698", "42.87° N 74.57° E") or degrees-minutes-seconds
 * ("42°52′N 74°36′E"). A bare pair of decimals may be anything (two measurements), so it needs a cue; a degree
 * sign or hemisphere letters are enough on their own. Latin and Cyrillic hemisphere letters (С/Ю/В/З) are read.
 */

export const COORDINATES_CONFIDENCE = { marked: 0.75, dms: 0.8, bare: 0.4 } as const;

const LAT_HEMI = '[NSСЮ]';
const LON_HEMI = '[EWВЗ]';
const DECIMAL_PAIR = new RegExp(
  String.raw`(?<![\d.\-])([-+]?\d{1,2}\.\d{3,})\s*(°)?\s*(${LAT_HEMI})?\s*[,;/ ]\s*([-+]?\d{1,3}\.\d{3,})\s*(°)?\s*(${LON_HEMI})?(?![\d.]|\p{L})`,
  'gu');
const DMS_PART = String.raw`\d{1,3}°\s*(?:\d{1,2}(?:[.,]\d+)?['′’]\s*)?(?:\d{1,2}(?:[.,]\d+)?(?:["″”]|'')\s*)?`;
const DMS_PAIR = new RegExp(`${DMS_PART}${LAT_HEMI}\\s*[,;]?\\s*${DMS_PART}${LON_HEMI}(?!\\p{L})`, 'gu');

export function detectCoordinates(ctx: ScanContext): Finding[] {
  const { folded, original } = ctx;
  const out: Finding[] = [];
  const cues = cueRegex('coordinates', ctx.cueLangs);
  if (/\d\.\d{3}/.test(folded)) {
    DECIMAL_PAIR.lastIndex = 0;
    for (let m = DECIMAL_PAIR.exec(folded); m !== null; m = DECIMAL_PAIR.exec(folded)) {
      const lat = Math.abs(Number(m[1]));
      const lon = Math.abs(Number(m[4]));
      if (!(lat <= 90 && lon <= 180)) continue;
      const marked = Boolean(m[2] || m[3] || m[5] || m[6]);
      const start = m.index;
      const end = start + m[0].length;
      const base = marked ? COORDINATES_CONFIDENCE.marked : COORDINATES_CONFIDENCE.bare;
      const cued = hasCueNear(folded, start, end, cues);
      out.push(makeFinding(original, 'COORDINATES', start, end, base + (cued ? CUE_BOOST : 0),
        'kalkan-pii-reason-coordinates'));
    }
  }
  if (folded.includes('°')) {
    DMS_PAIR.lastIndex = 0;
    for (let m = DMS_PAIR.exec(folded); m !== null; m = DMS_PAIR.exec(folded)) {
      const start = m.index;
      const end = start + m[0].length;
      const cued = hasCueNear(folded, start, end, cues);
      out.push(makeFinding(original, 'COORDINATES', start, end,
        COORDINATES_CONFIDENCE.dms + (cued ? CUE_BOOST : 0), 'kalkan-pii-reason-coordinates'));
    }
  }
  return out;
}
