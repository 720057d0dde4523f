/**
 * The CLI's scoring pool on Node's worker_threads: `jobs` workers (score-worker.ts), each with its own detector.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ScoringPool, type PoolWorker } from '../../utils/detection/pool.ts';

/** Workers started when --jobs is not given: one per core, as scoring is all CPU; more only add copies of the model. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** At most this many workers (each holds a detector of ~10 MB). */
export const MAX_JOBS = 16;

function nodePoolWorker(): PoolWorker {
  const worker = new Worker(new URL('./score-worker.mjs', import.meta.url));
  return {
    post: (request) => worker.postMessage(request),
    onMessage: (listener) => { worker.on('message', listener); },
    onError: (listener) => {
      worker.on('error', listener);
      worker.on('exit', (code) => { if (code !== 0) listener(new Error(`exit code ${code}`)); });
    },
    terminate: async () => { worker.removeAllListeners('exit'); await worker.terminate(); },
  };
}

/** --jobs as given on a command line (absent: defaultJobs()); throws the message to show when it is not 1–MAX_JOBS. */
export function jobsFrom(value: string | undefined): number {
  const jobs = value === undefined ? defaultJobs() : Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS) throw new Error(`--jobs must be a whole number from 1 to ${MAX_JOBS}, got "${value}"`);
  return jobs;
}

/** `jobs` workers (a count from jobsFrom). */
export function startScoringPool(jobs: number): ScoringPool {
  return new ScoringPool(Array.from({ length: jobs }, nodePoolWorker));
}
