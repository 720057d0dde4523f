/**
 * `npm run wiki -- start [--port 8890] [--dir .tmp/wiki] [--fresh]`: starts the local test MediaWiki, seeded
 * with Kalkan's demo talk pages and histories, and keeps it running until Ctrl+C.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SEED_PASSWORD, SEED_USERS } from './wiki/content';
import { ADMIN_PASSWORD, ADMIN_USER, startWiki } from './wiki/mediawiki';
import { seedWiki } from './wiki/seed';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string', default: '8890' }, dir: { type: 'string', default: '.tmp/wiki' }, fresh: { type: 'boolean', default: false } },
  });
  if (positionals[0] !== 'start') {
    process.stderr.write('usage: npm run wiki -- start [--port N] [--dir DIR] [--fresh]\n');
    return 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    process.stderr.write(`wiki: --port must be a TCP port number, not "${values.port}".\n`);
    return 2;
  }
  const wiki = await startWiki({ port, dir: resolve(values.dir), fresh: values.fresh });
  await seedWiki(wiki);
  console.log(`MediaWiki running at ${wiki.url}/wiki/Talk:Kalkan_demo`);
  console.log(`Users: ${ADMIN_USER} / ${ADMIN_PASSWORD}; ${SEED_USERS.join(', ')} / ${SEED_PASSWORD}. Ctrl+C stops it.`);
  await new Promise<void>((done) => process.once('SIGINT', () => done()));
  await wiki.stop();
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error('wiki:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
