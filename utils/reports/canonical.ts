import type { EvidenceItem, UnhashedEvidenceItem } from './schema';

/**
 * Canonical JSON for hashing evidence: object keys sorted by UTF-16 code units (as RFC 8785 does), every string
 * (keys and values) in Unicode NFC, no whitespace, `undefined` members left out. NFC matters because the same
 * comment copied from two browsers can arrive composed or decomposed (e.g. Vietnamese or Devanagari text), and
 * the hash must not depend on that.
 */

/** Nesting deeper than this is not evidence; refuse rather than recurse without end. */
export const MAX_CANONICAL_DEPTH = 32;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError';
}

export function canonicalJson(value: unknown): string {
  return serialise(value, 0);
}

function serialise(value: unknown, depth: number): string {
  if (depth > MAX_CANONICAL_DEPTH) {
    throw new CanonicalJsonError(`Value nests deeper than ${MAX_CANONICAL_DEPTH} levels; evidence is never this deep.`);
  }
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`Number ${value} has no JSON form.`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value.normalize('NFC'));
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => serialise(item, depth + 1)).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .map(([key, member]) => [key.normalize('NFC'), member] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (let i = 1; i < entries.length; i += 1) {
        // Two keys that differ only in normalisation would give one key twice: ambiguous, so refused.
        if (entries[i]?.[0] === entries[i - 1]?.[0]) {
          throw new CanonicalJsonError(`Key "${entries[i]?.[0] ?? ''}" appears twice once normalised to NFC.`);
        }
      }
      return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${serialise(member, depth + 1)}`).join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`A ${typeof value} has no JSON form.`);
  }
}

/** Web Crypto works in the extension (page, worker) and in Node ≥ 20 alike. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function withoutHash(item: UnhashedEvidenceItem | EvidenceItem): UnhashedEvidenceItem {
  const { sha256: _ignored, ...rest } = item as EvidenceItem;
  return rest;
}

/** The hash covers the whole item except `sha256` itself: snapshot, author, times, links. */
export async function hashEvidence(item: UnhashedEvidenceItem): Promise<string> {
  return sha256Hex(canonicalJson(withoutHash(item)));
}

export async function sealEvidence(item: UnhashedEvidenceItem): Promise<EvidenceItem> {
  return { ...withoutHash(item), sha256: await hashEvidence(item) };
}

export type EvidenceVerdict = { ok: true } | { ok: false; expected: string; actual: string };

export async function verifyEvidence(item: EvidenceItem): Promise<EvidenceVerdict> {
  const actual = await hashEvidence(item);
  return actual === item.sha256 ? { ok: true } : { ok: false, expected: item.sha256, actual };
}
