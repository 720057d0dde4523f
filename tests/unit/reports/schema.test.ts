import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateJsonSchema, SCHEMA_PATH } from '../../../scripts/receiver/gen-json-schema';
import { verifyEvidence } from '../../../utils/reports/canonical';
import {
  MAX_DESCRIPTION_CHARS,
  MAX_EVIDENCE_ITEMS,
  ProblemSchema,
  ReceiptSchema,
  ReportSchema,
  type Report,
} from '../../../utils/reports/schema';
import { makeReport, sealedItem } from './fixtures';

type Mutation = [name: string, mutate: (report: Record<string, unknown> & Report) => unknown];

describe('ReportSchema', () => {
  const valid: Mutation[] = [
    ['the fixture as is', (r) => r],
    ['no reporter at all', ({ reporter: _r, ...rest }) => rest],
    ['empty reporter', (r) => ({ ...r, reporter: {} })],
    ['emergency', (r) => ({ ...r, harm: { kind: 'emergency', type: 'threat_physical_harm' } })],
    ['every incident category: something_else', (r) => ({ ...r, harm: { kind: 'incident', category: 'something_else' } })],
    ['empty description', (r) => ({ ...r, description: '' })],
    ['origin unknown (null)', (r) => ({ ...r, evidence: r.evidence.map((e) => ({ ...e, origin: null })) })],
    ['unknown extra field is stripped (forward compatible)', (r) => ({ ...r, futureField: 1 })],
  ];
  const invalid: Mutation[] = [
    ['protocol version 2', (r) => ({ ...r, protocolVersion: 2 })],
    ['report id not a UUID', (r) => ({ ...r, reportId: 'abc' })],
    ['local time without Z', (r) => ({ ...r, createdAt: '2024-03-05T15:00:00' })],
    ['no evidence', (r) => ({ ...r, evidence: [] })],
    ['too much evidence', (r) => ({ ...r, evidence: Array.from({ length: MAX_EVIDENCE_ITEMS + 1 }, () => r.evidence[0]) })],
    ['description too long', (r) => ({ ...r, description: 'x'.repeat(MAX_DESCRIPTION_CHARS + 1) })],
    ['harm category not in the list', (r) => ({ ...r, harm: { kind: 'incident', category: 'rudeness' } })],
    ['emergency type as incident category', (r) => ({ ...r, harm: { kind: 'incident', category: 'self_harm' } })],
    ['javascript: permalink', (r) => ({ ...r, evidence: r.evidence.map((e) => ({ ...e, permalink: { ...e.permalink, url: 'javascript:alert(1)' } })) })],
    ['upper-case hash', (r) => ({ ...r, evidence: r.evidence.map((e) => ({ ...e, sha256: e.sha256.toUpperCase() })) })],
    ['unknown foundBy', (r) => ({ ...r, evidence: r.evidence.map((e) => ({ ...e, origin: { ...e.origin, foundBy: 'guess' } })) })],
    ['bad reporter email', (r) => ({ ...r, reporter: { email: 'not-an-address' } })],
    ['wiki server not http(s)', (r) => ({ ...r, wiki: { ...r.wiki, server: 'ftp://x.org' } })],
  ];

  it.each(valid)('accepts: %s', async (_name, mutate) => {
    const report = (await makeReport()) as Record<string, unknown> & Report;
    expect(ReportSchema.safeParse(mutate(report)).success).toBe(true);
  });
  it.each(invalid)('rejects: %s', async (_name, mutate) => {
    const report = (await makeReport()) as Record<string, unknown> & Report;
    expect(ReportSchema.safeParse(mutate(report)).success).toBe(false);
  });

  it('accepts the receipt and problem shapes the receiver sends', () => {
    expect(ReceiptSchema.safeParse({ receiptId: 'rcpt_1', reportId: '6f1c2a7e-3b4d-4c5e-8f90-123456789abc', receivedAt: '2024-03-05T15:02:01Z', evidenceCount: 1, status: 'received' }).success).toBe(true);
    expect(ProblemSchema.safeParse({ type: 'urn:kalkan:problem:x', title: 'x', status: 422, errors: [{ path: 'a', message: 'b' }] }).success).toBe(true);
    expect(ProblemSchema.safeParse({ type: 'urn:x', title: 'x', status: 200 }).success).toBe(false);
  });
});

describe('published artefacts', () => {
  it('docs/report.schema.json equals the one generated from the zod schema', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(generateJsonSchema());
  });

  it('docs/examples/report.json is a valid report with intact evidence hashes', async () => {
    const example: unknown = JSON.parse(readFileSync(resolve(SCHEMA_PATH, '..', 'examples', 'report.json'), 'utf8'));
    const parsed = ReportSchema.parse(example);
    for (const item of parsed.evidence) expect(await verifyEvidence(item)).toEqual({ ok: true });
  });

  it('the fixture item hashes the same every time', async () => {
    expect((await sealedItem()).sha256).toBe((await sealedItem()).sha256);
  });
});
