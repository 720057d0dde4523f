/**
 * Scan timings for utils/masking:  node --import tsx scripts/bench-pii.ts [--runs 50]
 * - 10 KB of mixed text: talk-page prose in several languages with details sprinkled in (median of runs).
 * - 100 KB of real talk-page text (enwiki Village pump archive from ../shared/data/pages, tags stripped) when
 *   shared data is present, else the mixed text repeated: full scan, and an incremental rescan after one typed
 *   character (what the editor does while the user types).
 * - Own-identifier matching (async, SHA-256 n-grams) on 10 KB.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createOwnIdentifiers, buildOwnIdentifierIndex } from '../utils/masking/own-identifiers.ts';
import { rescanChangedSync, scanText, scanTextSync } from '../utils/masking/scan.ts';

const SENTENCES = [
  'Менин атым Айгүл, телефонум 0555 123 456. Бишкекте Чүй көчөсү 123 жашайм.',
  'Спасибо за правку, но источник не авторитетный (ISBN 978-5-17-090345-1, с. 45). Население 1 234 567 человек.',
  'Please see the diff at oldid=987654321 and the discussion above. ~~~~ 12:34, 15 January 2023 (UTC)',
  'Write to me at ivan.petrov@example.com or call +7 912 345-67-89, my telegram is @ivan_p.',
  'Me llamo María y vivo en Calle Mayor 5. Nací el 3 de mayo de 1990.',
  'I reverted the edit by 192.168.10.20 per WP:NPOV; version 1.2.3 of the tool is broken.',
  'اسمي أحمد، أسكن في شارع الملك فهد 12. هاتفي ‎+966 50 123 4567',
  'The article needs more sources about the 1941–1945 period, see pages 120–135 of the book.',
];

function mixedText(bytes: number): string {
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += `${SENTENCES[i % SENTENCES.length]}\n`;
  return out.slice(0, bytes);
}

function realText(bytes: number): string | null {
  const base = process.env.KALKAN_SHARED_DATA ?? resolve('..', 'shared', 'data');
  const path = resolve(base, 'pages', 'enwiki-VPT-Archive175-oldparser.html');
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8').replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&').replace(/&#?\w+;/g, ' ').replace(/[ \t]+/g, ' ');
  return text.slice(0, bytes);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function time(runs: number, fn: () => void): number {
  for (let i = 0; i < 3; i++) fn(); // warm up regex compilation and the JIT
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

async function main(): Promise<number> {
  let runs = 50;
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options: { runs: { type: 'string', default: '50' } } });
    runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  } catch (error) {
    process.stderr.write(`bench-pii: ${error instanceof Error ? error.message : String(error)}\n` +
      'usage: node --import tsx scripts/bench-pii.ts [--runs 50]\n');
    return 2;
  }
  const opts = { lang: 'ky', regions: ['KG', 'RU'] };
  const dense = mixedText(10_000);
  const page = realText(200_000);
  // Realistic mix: real talk-page prose with one sentence carrying details every ~1 KB.
  let ten = dense;
  if (page) {
    ten = '';
    for (let i = 0; ten.length < 10_000; i++) ten += page.slice(100_000 + i * 900, 100_000 + (i + 1) * 900) + SENTENCES[i % SENTENCES.length];
    ten = ten.slice(0, 10_000);
  }
  const tenMs = time(runs, () => scanTextSync(ten, opts));
  process.stdout.write(`10 KB mixed text (talk prose + details every ~1 KB): median ${tenMs.toFixed(2)} ms ` +
    `(${scanTextSync(ten, opts).findings.length} findings)\n`);
  const denseMs = time(runs, () => scanTextSync(dense, opts));
  process.stdout.write(`10 KB worst case (a detail in every sentence): median ${denseMs.toFixed(2)} ms ` +
    `(${scanTextSync(dense, opts).findings.length} findings)\n`);

  const real = realText(100_000);
  const hundred = real ?? mixedText(100_000);
  const label = real ? '100 KB real talk page (enwiki VPT archive, text)' : '100 KB mixed text (shared data absent)';
  const fullMs = time(Math.max(5, Math.floor(runs / 5)), () => scanTextSync(hundred, { lang: 'en', regions: ['US'] }));
  const prev = scanTextSync(hundred, { lang: 'en', regions: ['US'] });
  process.stdout.write(`${label}: median ${fullMs.toFixed(2)} ms per full scan (${prev.findings.length} findings)\n`);

  const at = Math.floor(hundred.length / 2);
  const typed = `${hundred.slice(0, at)}5${hundred.slice(at)}`;
  const incMs = time(runs, () => rescanChangedSync(hundred, prev.findings, typed, { lang: 'en', regions: ['US'] }));
  process.stdout.write(`  incremental rescan after typing one character: median ${incMs.toFixed(3)} ms\n`);

  const stored = await createOwnIdentifiers(
    [{ kind: 'name', value: 'Айгүл Асанова' }, { kind: 'nickname', value: 'aigul_k' }, { kind: 'city', value: 'Бишкек' },
      { kind: 'phone', value: '+996 555 123 456' }, { kind: 'email', value: 'aigul@example.kg' }],
    { regions: ['KG'] });
  const own = buildOwnIdentifierIndex(stored);
  const ownTimes: number[] = [];
  for (let i = 0; i < Math.max(5, Math.floor(runs / 5)); i++) {
    const t0 = performance.now();
    await scanText(ten, { ...opts, own });
    ownTimes.push(performance.now() - t0);
  }
  process.stdout.write(`10 KB with own identifiers (async SHA-256 n-grams): median ${median(ownTimes).toFixed(2)} ms\n`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stderr.write(`bench-pii: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
