import type { ScanContext } from './detector.ts';
import { compileCues, hasCueBefore } from './cue-match.ts';
import { makeFinding, type Finding } from './schema.ts';

/**
 * IPv4 and IPv6 addresses, validated octet by octet and group by group. Dotted version numbers ("version
 * 4.19.0.12", "v1.2.3.4") and clock times ("12:34:56") are the usual lookalikes.
 */

export const IP_CONFIDENCE = 0.9;

const IPV4 = /(?<![\p{L}\p{N}_.\-])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\p{L}\p{N}_]|\.\d|-\d)/gu;
const IPV6 = /(?<![\p{L}\p{N}_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\p{L}\p{N}_:])/gu;
/** Version words in several languages; "v" covers "v1.2.3.4" written with a space. */
const VERSION_CUES = compileCues(['version', 'ver.', 'v', 'v.', 'release', 'build', 'версия', 'версии', 'версія',
  'верси*', 'versión', 'versão', 'sürüm*', 'نسخة', 'نسخه', 'firmware', 'kernel', 'ядро']);

/** Maximal runs of hex digits, colons and dots holding two colons or more: the only places an IPv6 address can be. Running
 * IPV6 (a Unicode lookbehind and an optional first group, tried at every position) over 100 KB cost ~6 ms; over
 * these runs it costs nearly nothing (scripts/bench-pii.ts). */
const IPV6_RUN = /[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*/g;

function octet(s: string): boolean {
  if (s.length > 1 && s.startsWith('0')) return false;
  return Number(s) <= 255;
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && octet(p));
}

export function isIPv6(s: string): boolean {
  const halves = s.split('::');
  if (halves.length > 2) return false;
  let groups = 0;
  const all: string[] = [];
  for (const half of halves) {
    if (half === '') continue;
    for (const part of half.split(':')) all.push(part);
  }
  for (const [i, part] of all.entries()) {
    if (i === all.length - 1 && part.includes('.')) {
      if (!isIPv4(part)) return false;
      groups += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) groups++;
    else return false;
  }
  // Without "::" all eight groups are written; "::" stands for at least one zero group.
  if (halves.length === 1) return groups === 8;
  return groups <= 7 && all.length >= 2;
}

export function detectIps(ctx: ScanContext): Finding[] {
  const { folded, original } = ctx;
  const out: Finding[] = [];
  if (/\d\.\d/.test(folded)) {
    IPV4.lastIndex = 0;
    for (let m = IPV4.exec(folded); m !== null; m = IPV4.exec(folded)) {
      if (!isIPv4(m[0])) continue;
      if (hasCueBefore(folded, m.index, VERSION_CUES, 16)) continue;
      out.push(makeFinding(original, 'IP', m.index, m.index + m[0].length, IP_CONFIDENCE, 'kalkan-pii-reason-ip'));
    }
  }
  // Only inside runs of hex digits and colons; the run plus one character either side keeps IPV6's lookbehind and
  // lookahead seeing the same neighbours as in the whole text (a run never starts or ends inside an address).
  IPV6_RUN.lastIndex = 0;
  for (let run = IPV6_RUN.exec(folded); run !== null; run = IPV6_RUN.exec(folded)) {
    const from = Math.max(0, run.index - 1);
    const part = folded.slice(from, run.index + run[0].length + 1);
    IPV6.lastIndex = 0;
    for (let m = IPV6.exec(part); m !== null; m = IPV6.exec(part)) {
      const s = m[0];
      if (s.length === 0) { IPV6.lastIndex++; continue; }
      // A digit somewhere: "dead:beef::cafe" is a valid address but far more often a joke or code.
      if (s.length < 3 || !/\d/.test(s) || !isIPv6(s)) continue;
      const start = from + m.index;
      out.push(makeFinding(original, 'IP', start, start + s.length, IP_CONFIDENCE, 'kalkan-pii-reason-ip'));
    }
  }
  return out;
}
