import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createDetector } from '../../../utils/detection/detector';
import {
  answerPoolRequest, PoolResponseSchema, ScoringPool, scoreLines, type PoolItem, type PoolRequest, type PoolWorker,
} from '../../../utils/detection/pool';

const detector = createDetector();

/** A worker in this thread: answers with the real detector after `delay(seq)` ms (to finish out of order). */
function fakeWorker(name: string, log: string[], delay: (seq: number) => number = () => 0, answer = answerPoolRequest): PoolWorker & { fail(e: Error): void } {
  let onMessage: (data: unknown) => void = () => {};
  let onError: (error: Error) => void = () => {};
  return {
    post: (request: PoolRequest) => {
      log.push(`${name}:${request.seq}`);
      setTimeout(() => onMessage(answer(detector, structuredClone(request))), delay(request.seq));
    },
    onMessage: (listener) => { onMessage = listener; },
    onError: (listener) => { onError = listener; },
    terminate: async () => {},
    fail: (e) => onError(e),
  };
}

const texts = ['You are an idiot.', 'Thanks for the source, I fixed the date.', 'eres un idiota', 'Grazie mille!', 'shut up', ''];
const items = (from: number, n: number): PoolItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, text: texts[(from + i) % texts.length] as string, lang: (from + i) % 3 === 2 ? 'es' : 'en' }));

describe('scoring pool', () => {
  it('answers every batch with the lines one detector writes, in order, whichever worker finishes first', async () => {
    const log: string[] = [];
    // Worker a is slow on even batches: later batches come back first.
    const pool = new ScoringPool([fakeWorker('a', log, (seq) => (seq % 2 === 0 ? 20 : 0)), fakeWorker('b', log)]);
    const batches = Array.from({ length: 8 }, (_, b) => items(b * 5, 5));
    const answers = await Promise.all(batches.map((batch) => pool.score(batch)));
    expect(answers).toEqual(batches.map((batch) => scoreLines(detector, batch)));
    expect(answers.join('').trim().split('\n').map((line) => (JSON.parse(line) as { id: number }).id)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    // Both workers were used, each holding at most two batches at once.
    expect(new Set(log.map((entry) => entry.split(':')[0]))).toEqual(new Set(['a', 'b']));
    await pool.close();
  });

  it('writes the same lines as the CLI always has: id, score, flagged, category, reasons, learned', () => {
    const [line] = scoreLines(detector, [{ id: 'x', text: 'You are an idiot.', lang: 'en' }]).trim().split('\n');
    const parsed = JSON.parse(line as string) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['id', 'score', 'flagged', 'category', 'reasons', 'learned']);
    const direct = detector.detect('You are an idiot.', { lang: 'en' });
    expect(parsed).toEqual({ id: 'x', ...direct });
  });

  it('a worker that stops rejects every batch still waiting, with what to do next', async () => {
    const log: string[] = [];
    const broken = fakeWorker('a', log, () => 10_000);
    const pool = new ScoringPool([broken]);
    const pending = [pool.score(items(0, 2)), pool.score(items(2, 2)), pool.score(items(4, 2))];
    broken.fail(new Error('out of memory'));
    for (const p of pending) await expect(p).rejects.toThrow(/A scoring worker stopped \(out of memory\).*--jobs 1/);
    await expect(pool.score(items(0, 1))).rejects.toThrow(/stopped/);
  });

  it('an answer to a batch nobody asked for fails the pool rather than write unverified scores', async () => {
    const log: string[] = [];
    const liar = fakeWorker('a', log, () => 0, (d, data) => ({ ...answerPoolRequest(d, data), seq: 99 }));
    const pool = new ScoringPool([liar]);
    await expect(pool.score(items(0, 2))).rejects.toThrow(/answered a batch it was not given/);
  });

  it('a worker that cannot read a batch says so, and the pool passes the message on', async () => {
    expect(answerPoolRequest(detector, { seq: 3, items: [{ id: 1 }] })).toEqual({ seq: 3, error: expect.stringMatching(/items\.0\.text/) });
    expect(answerPoolRequest(detector, 'nonsense')).toEqual({ seq: -1, error: expect.stringMatching(/not one the scoring workers understand/) });
    const log: string[] = [];
    const pool = new ScoringPool([fakeWorker('a', log, () => 0, (d, data) => answerPoolRequest(d, { ...(data as object), items: [{}] }))]);
    await expect(pool.score(items(0, 1))).rejects.toThrow(/A scoring batch failed: .*items\.0/);
  });

  it('every answer a worker gives fits the response schema', () => {
    for (const data of [{ seq: 0, items: items(0, 12) }, { seq: 1, items: [] }, { seq: 2 }, null]) {
      expect(PoolResponseSchema.safeParse(answerPoolRequest(detector, data)).success).toBe(true);
    }
  });

  it('closing rejects what is still queued', async () => {
    const pool = new ScoringPool([fakeWorker('a', [], () => 10_000)]);
    const pending = pool.score(items(0, 1));
    await pool.close();
    await expect(pending).rejects.toThrow(/closed/);
    expect(() => new ScoringPool([])).toThrow(/at least one worker/);
  });
});

describe('score CLI with worker threads', () => {
  const run = (args: string[], input: string) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/kalkan.ts', 'score', ...args], {
    input, encoding: 'utf8', timeout: 60_000,
  });
  // More than two batches, so the pool starts and several batches are in flight; bad lines in the middle.
  const lines = Array.from({ length: 700 }, (_, i) => JSON.stringify({ id: i, text: `${texts[i % texts.length]} (${i})`, lang: i % 3 === 2 ? 'es' : 'en' }));
  lines.splice(300, 0, 'not json', '{"id": 5}');
  const input = `${lines.join('\n')}\n`;

  it('writes the same lines in the same order with --jobs 2 as with --jobs 1', () => {
    const one = run(['--jobs', '1'], input);
    const two = run(['--jobs', '2'], input);
    expect(one.status).toBe(1);
    expect(two.status).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout.trim().split('\n')).toHaveLength(700);
    expect(two.stderr).toMatch(/line 301: not valid JSON/);
    expect(two.stderr).toMatch(/line 302: text: /);
  }, 120_000);

  it('rejects a --jobs that is no whole number in range', () => {
    const r = run(['--jobs', '0'], '');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--jobs must be a whole number from 1 to 16/);
  }, 60_000);
});
