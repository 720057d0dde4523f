/**
 * Reference receiver for the Kalkan report protocol:
 *   node --import tsx scripts/receiver.ts --port 8787 --db reports.sqlite [--token SECRET] [--fault 503 ...]
 * Listens on 127.0.0.1 only. See docs/report-protocol.md.
 */
import { parseArgs } from 'node:util';
import { FaultSpecError, parseFault } from './receiver/faults';
import { startReceiver } from './receiver/server';

const USAGE =
  'usage: node --import tsx scripts/receiver.ts --port N --db FILE [--token SECRET] [--fault SPEC]... [--allow-origin ORIGIN]...\n' +
  '  --port          TCP port on 127.0.0.1 (0 picks a free one)\n' +
  '  --db            SQLite file for received reports (":memory:" keeps nothing)\n' +
  '  --token         require Authorization: Bearer SECRET\n' +
  '  --fault         queue a fault: 503 | 429:2 | slow:3000 | late:3000 | badjson | reset | lost | redirect:URL | none (repeatable)\n' +
  '  --allow-origin  allow CORS from this origin besides extension origins (repeatable)\n';

function fail(message: string): number {
  process.stderr.write(`receiver: ${message}\n${USAGE}`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        db: { type: 'string' },
        token: { type: 'string' },
        fault: { type: 'string', multiple: true },
        'allow-origin': { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.port === undefined || !/^\d+$/.test(values.port) || Number(values.port) > 65_535) {
    return fail('--port must be a number from 0 to 65535.');
  }
  if (!values.db) return fail('--db FILE is required (where received reports are stored).');
  const faults = values.fault ?? [];
  try {
    faults.forEach(parseFault);
  } catch (error) {
    if (error instanceof FaultSpecError) return fail(error.message);
    throw error;
  }
  const receiver = await startReceiver({
    port: Number(values.port),
    dbFile: values.db,
    token: values.token,
    faults,
    allowedOrigins: values['allow-origin'] ?? [],
  });
  process.stdout.write(`receiver: listening on ${receiver.url} (POST ${receiver.url}/v1/reports), storing in ${values.db}\n`);
  const stop = (): void => {
    receiver.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`receiver: could not close cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1; // keep running
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`receiver: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
