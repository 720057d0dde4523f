/**
 * Writes docs/report.schema.json from the zod schema (utils/reports/schema.ts), the single source of truth.
 *   node --import tsx scripts/receiver/gen-json-schema.ts           write the file
 *   node --import tsx scripts/receiver/gen-json-schema.ts --check   exit 1 if the committed file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PROTOCOL_VERSION, ProblemSchema, ReceiptSchema, ReportSchema } from '../../utils/reports/schema';

export const SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'report.schema.json');

function withoutMeta(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

export function generateJsonSchema(): string {
  const report = z.toJSONSchema(ReportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  const document = {
    $schema: report.$schema,
    $id: `urn:kalkan:report-protocol:v${PROTOCOL_VERSION}:report`,
    title: `Kalkan report (protocol version ${PROTOCOL_VERSION}): body of POST {base}/v1/reports`,
    description: 'Generated from utils/reports/schema.ts by scripts/receiver/gen-json-schema.ts; do not edit by hand.',
    ...withoutMeta(report),
    $defs: {
      Receipt: withoutMeta(z.toJSONSchema(ReceiptSchema, { target: 'draft-2020-12' }) as Record<string, unknown>),
      Problem: withoutMeta(z.toJSONSchema(ProblemSchema, { target: 'draft-2020-12' }) as Record<string, unknown>),
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function main(argv: string[]): number {
  let check = false;
  try {
    check = parseArgs({ args: argv, strict: true, options: { check: { type: 'boolean' } } }).values.check ?? false;
  } catch (error) {
    process.stderr.write(`gen-json-schema: ${error instanceof Error ? error.message : String(error)}\nusage: gen-json-schema.ts [--check]\n`);
    return 2;
  }
  const generated = generateJsonSchema();
  if (check) {
    let current = '';
    try {
      current = readFileSync(SCHEMA_PATH, 'utf8');
    } catch (error) {
      process.stderr.write(`gen-json-schema: cannot read ${SCHEMA_PATH}: ${String(error)}\n`);
      return 1;
    }
    if (current !== generated) {
      process.stderr.write('gen-json-schema: docs/report.schema.json is stale; run scripts/receiver/gen-json-schema.ts\n');
      return 1;
    }
    return 0;
  }
  writeFileSync(SCHEMA_PATH, generated);
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
