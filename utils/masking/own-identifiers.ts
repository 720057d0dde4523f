import { z } from 'zod';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { emailAround } from './detect-email.ts';
import { phoneCandidates, phoneCanonicalForms } from './detect-phone.ts';
import {
  OWN_HASH_BATCH, OWN_MAX_ENTRIES, OWN_MAX_NGRAMS_PER_SCAN, OWN_MAX_TOKENS, OWN_SALT_BYTES,
} from './limits.ts';
import { makeFinding, type Finding, type PiiType } from './schema.ts';
import { foldText } from './unicode.ts';

/**
 * The user's own identifiers (real names, nicknames, city, employer, school, phone, e-mail), kept only as salted
 * SHA-256 hashes of normalised token sequences, so that extension storage never holds them in clear. Matching
 * hashes the text's token n-grams with the same salt. Normalisation is what makes "АЙГҮЛ", "Айгүл" and
 * "A\u0301igul"-style variants meet; inflected forms ("Айгүлдүн") are deliberately not matched: that would need
 * a stemmer per language and would make hashes of stems, which are far easier to guess.
 */

export const OWN_KINDS = ['name', 'nickname', 'city', 'employer', 'school', 'phone', 'email'] as const;
export const OwnKindSchema = z.enum(OWN_KINDS);
export type OwnKind = z.infer<typeof OwnKindSchema>;

export const OwnIdentifierEntrySchema = z.object({
  kind: OwnKindSchema,
  /** Hex SHA-256 of salt, domain (text | phone | email) and the canonical form. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Tokens in the canonical form: the n-gram size matching must hash. 1 for phone and e-mail. */
  tokens: z.number().int().min(1).max(OWN_MAX_TOKENS),
});
export type OwnIdentifierEntry = z.infer<typeof OwnIdentifierEntrySchema>;

/** The stored form (extension storage). Contains no identifier in clear. */
export const StoredOwnIdentifiersSchema = z.object({
  /** Base64 of OWN_SALT_BYTES random bytes, one salt per user. */
  salt: z.string().regex(/^[A-Za-z0-9+/]{16,}={0,2}$/),
  entries: z.array(OwnIdentifierEntrySchema).max(OWN_MAX_ENTRIES),
});
export type StoredOwnIdentifiers = z.infer<typeof StoredOwnIdentifiersSchema>;

/** What the user types in the options page; never stored. */
export const OwnIdentifierInputSchema = z.object({
  kind: OwnKindSchema,
  value: z.string().trim().min(1).max(200),
});
export type OwnIdentifierInput = z.infer<typeof OwnIdentifierInputSchema>;

type HashDomain = 'text' | 'phone' | 'email';

/** Which finding type a match of each kind becomes. City, employer and school locate a person physically, so
 * they are reported as ADDRESS; the reason key keeps the precise kind for the UI. */
const KIND_TO_TYPE: Readonly<Record<OwnKind, PiiType>> = {
  name: 'PERSON', nickname: 'PERSON', city: 'ADDRESS', employer: 'ADDRESS', school: 'ADDRESS', phone: 'PHONE',
  email: 'EMAIL',
};

export const OWN_CONFIDENCE = 0.99;

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}/gu;

/**
 * One token, normalised: NFKC, local digits to ASCII, lower case, combining marks removed (é → e, ё → е,
 * harakat), except the breve of Cyrillic й, which makes a different letter. Arabic and Persian forms of yeh and
 * kaf are unified, since keyboards differ; tatweel is removed.
 */
export function normalizeToken(token: string): string {
  const lowered = foldText(token.normalize('NFKC')).toLowerCase();
  const decomposed = lowered.normalize('NFD').replace(/\u0438\u0306/g, '\u0439');
  return decomposed
    .replace(MARKS, '')
    .replace(/[\u064a\u0649\u06cc]/g, '\u064a')
    .replace(/[\u0643\u06a9]/g, '\u0643')
    .replace(/\u0640/g, '')
    .normalize('NFC');
}

export interface Token {
  start: number;
  end: number;
  norm: string;
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const norm = normalizeToken(m[0]);
    if (norm !== '') out.push({ start: m.index, end: m.index + m[0].length, norm });
  }
  return out;
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

const encoder = new TextEncoder();

async function hashOne(salt: string, domain: HashDomain, canonical: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(`${salt}\u0000${domain}\u0000${canonical}`));
  return toHex(digest);
}

/** Hash many canonical forms, OWN_HASH_BATCH at a time. */
async function hashMany(salt: string, domain: HashDomain, values: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < values.length; i += OWN_HASH_BATCH) {
    const batch = values.slice(i, i + OWN_HASH_BATCH).map((v) => hashOne(salt, domain, v));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

export function newSalt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(OWN_SALT_BYTES));
  return btoa(String.fromCharCode(...bytes));
}

export function canonicalEmail(value: string): string {
  return foldText(value.normalize('NFKC')).trim().toLowerCase();
}

/** E.164 when the number parses (with its "+" or the first hinted region that accepts it), else its digits. */
export function canonicalPhone(value: string, regions: readonly string[]): string {
  const folded = foldText(value.normalize('NFKC')).trim().replace(/^00/, '+');
  const tries: (CountryCode | undefined)[] = folded.startsWith('+') ? [undefined] : regions.map((r) => r as CountryCode);
  for (const region of tries) {
    const p = parsePhoneNumberFromString(folded, region);
    if (p?.isPossible()) return p.number;
  }
  return folded.replace(/\D/g, '');
}

export class OwnIdentifierError extends Error {}

/** Hash what the user listed. Throws OwnIdentifierError with a message the options page can show as is. */
export async function createOwnIdentifiers(
  inputs: readonly OwnIdentifierInput[],
  options: { regions: readonly string[]; salt?: string },
): Promise<StoredOwnIdentifiers> {
  if (inputs.length > OWN_MAX_ENTRIES) {
    throw new OwnIdentifierError(`At most ${OWN_MAX_ENTRIES} identifiers can be listed; remove some and save again.`);
  }
  const salt = options.salt ?? newSalt();
  const entries: OwnIdentifierEntry[] = [];
  for (const raw of inputs) {
    const input = OwnIdentifierInputSchema.parse(raw);
    if (input.kind === 'phone') {
      const canonical = canonicalPhone(input.value, options.regions);
      if (canonical.replace(/\D/g, '').length < 5) {
        throw new OwnIdentifierError(`"${input.value}" does not look like a phone number; type it with its digits.`);
      }
      entries.push({ kind: 'phone', hash: await hashOne(salt, 'phone', canonical), tokens: 1 });
    } else if (input.kind === 'email') {
      entries.push({ kind: 'email', hash: await hashOne(salt, 'email', canonicalEmail(input.value)), tokens: 1 });
    } else {
      const tokens = tokenize(input.value).map((t) => t.norm);
      if (tokens.length === 0) {
        throw new OwnIdentifierError(`"${input.value}" has no letters or digits to look for; type the ${input.kind}.`);
      }
      if (tokens.length > OWN_MAX_TOKENS) {
        throw new OwnIdentifierError(
          `"${input.value}" has more than ${OWN_MAX_TOKENS} words; list its parts as separate entries.`);
      }
      entries.push({ kind: input.kind, hash: await hashOne(salt, 'text', tokens.join(' ')), tokens: tokens.length });
    }
  }
  return StoredOwnIdentifiersSchema.parse({ salt, entries });
}

/** Parsed stored form, ready for matching. */
export interface OwnIdentifierIndex {
  salt: string;
  byHash: ReadonlyMap<string, OwnKind>;
  /** Distinct n-gram sizes of text entries, so matching hashes only the sizes that can match. */
  ngramSizes: readonly number[];
  hasPhone: boolean;
  hasEmail: boolean;
}

/** Validates stored data (throws a zod error naming the bad field) and indexes it. */
export function buildOwnIdentifierIndex(stored: unknown): OwnIdentifierIndex {
  const parsed = StoredOwnIdentifiersSchema.parse(stored);
  const byHash = new Map<string, OwnKind>();
  const sizes = new Set<number>();
  for (const e of parsed.entries) {
    byHash.set(e.hash, e.kind);
    if (e.kind !== 'phone' && e.kind !== 'email') sizes.add(e.tokens);
  }
  return {
    salt: parsed.salt,
    byHash,
    ngramSizes: [...sizes].sort((a, b) => a - b),
    hasPhone: parsed.entries.some((e) => e.kind === 'phone'),
    hasEmail: parsed.entries.some((e) => e.kind === 'email'),
  };
}

export interface OwnMatchResult {
  findings: Finding[];
  /** True when the text had more n-grams than OWN_MAX_NGRAMS_PER_SCAN and its end was not matched. */
  truncated: boolean;
}

interface Spans {
  spans: [number, number][];
}

/** Every occurrence of every listed identifier in `text`. */
export async function findOwnIdentifiers(
  text: string,
  index: OwnIdentifierIndex,
  options: { regions: readonly string[] },
): Promise<OwnMatchResult> {
  const folded = foldText(text);
  const findings: Finding[] = [];
  let truncated = false;
  const report = (kind: OwnKind, start: number, end: number): void => {
    findings.push(makeFinding(text, KIND_TO_TYPE[kind], start, end, OWN_CONFIDENCE, `kalkan-pii-reason-own-${kind}`));
  };

  if (index.ngramSizes.length > 0) {
    const tokens = tokenize(folded);
    const grams = new Map<string, Spans>();
    let count = 0;
    outer: for (const n of index.ngramSizes) {
      for (let i = 0; i + n <= tokens.length; i++) {
        if (++count > OWN_MAX_NGRAMS_PER_SCAN) { truncated = true; break outer; }
        let key = '';
        for (let k = i; k < i + n; k++) key += (k > i ? ' ' : '') + (tokens[k]?.norm ?? '');
        const first = tokens[i];
        const last = tokens[i + n - 1];
        if (!first || !last) continue;
        const entry = grams.get(key);
        if (entry) entry.spans.push([first.start, last.end]);
        else grams.set(key, { spans: [[first.start, last.end]] });
      }
    }
    const keys = [...grams.keys()];
    const hashes = await hashMany(index.salt, 'text', keys);
    for (const [i, hash] of hashes.entries()) {
      const kind = index.byHash.get(hash);
      const key = keys[i];
      if (!kind || key === undefined) continue;
      for (const [s, e] of grams.get(key)?.spans ?? []) report(kind, s, e);
    }
  }

  if (index.hasPhone) {
    const cands = phoneCandidates(folded);
    const forms = cands.map((c) => phoneCanonicalForms(c.raw.replace(/\(0\)/, ''), options.regions));
    const flat = forms.flat();
    const hashes = await hashMany(index.salt, 'phone', flat);
    let k = 0;
    for (const [i, c] of cands.entries()) {
      const n = forms[i]?.length ?? 0;
      const hit = hashes.slice(k, k + n).some((h) => index.byHash.get(h) === 'phone');
      k += n;
      if (hit) report('phone', c.start, c.end);
    }
  }

  if (index.hasEmail) {
    const spans: [number, number][] = [];
    for (let at = folded.indexOf('@'); at !== -1; at = folded.indexOf('@', at + 1)) {
      const span = emailAround(folded, at);
      if (span) spans.push(span);
    }
    const hashes = await hashMany(index.salt, 'email', spans.map(([s, e]) => canonicalEmail(folded.slice(s, e))));
    for (const [i, hash] of hashes.entries()) {
      const span = spans[i];
      if (span && index.byHash.get(hash) === 'email') report('email', span[0], span[1]);
    }
  }
  return { findings, truncated };
}
