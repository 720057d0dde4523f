/**
 * Kalkan's command-line interface: `npm run -s kalkan -- <command> [options]`.
 * Each command lives in scripts/cli/<command>.ts and exports `run(argv: string[]): Promise<number>` (exit code).
 * Commands are looked up by file name so that adding one does not mean editing a central table.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMAND_NAME = /^[a-z][a-z0-9-]*$/;

interface CommandModule {
  run(argv: string[]): Promise<number>;
  summary?: string;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const here = dirname(fileURLToPath(import.meta.url));
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write('usage: npm run -s kalkan -- <command> [options]\n' +
      'commands: threads, interactions, score, pii (each takes --help)\n');
    return name ? 0 : 2;
  }
  const file = join(here, 'cli', `${name}.ts`);
  if (!COMMAND_NAME.test(name) || !existsSync(file)) {
    process.stderr.write(`kalkan: unknown command "${name}". Run "npm run -s kalkan -- help" for the list.\n`);
    return 2;
  }
  const mod = (await import(file)) as CommandModule;
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`kalkan: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
