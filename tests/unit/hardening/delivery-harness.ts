import 'fake-indexeddb/auto';
import type { RunningReceiver } from '../../../scripts/receiver/server';
import type { EndpointDestination } from '../../../utils/reports/destinations';
import type { FetchFn } from '../../../utils/reports/history';
import { KalkanDb } from '../../../utils/storage/db';
import { recoverStuckSends } from '../../../utils/storage/repository';

/**
 * A "device" for delivery tests: one IndexedDB (fake-indexeddb, shared by name within the test process) that
 * successive "workers" open, as successive service workers of one browser profile do. A worker can be killed in
 * the middle of a send: its pass never resumes, its connection is torn down, and the next worker must recover.
 */

/** How often a killed worker's fetch looks for its request at the receiver (real time, loopback). */
export const ARRIVAL_POLL_MS = 5;
/** A request that never reaches the receiver within this time is a harness bug, not a delivery fault. */
export const ARRIVAL_TIMEOUT_MS = 10_000;

export function endpointFor(receiver: RunningReceiver, token?: string): EndpointDestination {
  return { kind: 'endpoint', id: 'receiver', label: 'Reference receiver', baseUrl: receiver.url, private: true, ...(token ? { token } : {}) };
}

/**
 * When a worker dies during a send: `after-arrival` once the receiver has the request (the connection is then
 * torn down, as a dying browser does), `after-answer` once the answer has arrived but before the outbox
 * recorded it. Either way the pass that made the request never continues.
 */
export type KillPoint = 'after-arrival' | 'after-answer';

export interface Worker {
  db: KalkanDb;
  fetchFn: FetchFn;
  /** Resolves when this worker has been killed mid-send (its pass is then stuck for good). */
  killed: Promise<void>;
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + ARRIVAL_TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`harness: ${what} did not happen within ${ARRIVAL_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, ARRIVAL_POLL_MS));
  }
}

export class Device {
  private current: Worker | null = null;
  workers = 0;

  constructor(
    readonly name: string,
    private readonly receiver: RunningReceiver,
  ) {}

  /**
   * Starts a new worker over the same database, as the browser does after a crash or a service-worker stop:
   * the previous worker's connection is closed and `recoverStuckSends` requeues what it left `sending`.
   * `now` is the test's clock; `killAt` decides, per request this worker makes (0-based), whether the worker
   * dies during it.
   */
  async startWorker(now: number, killAt: (requestIndex: number) => KillPoint | null = () => null): Promise<{ worker: Worker; recovered: number }> {
    this.current?.db.close();
    const db = new KalkanDb(this.name);
    let onKilled: () => void = () => undefined;
    const killed = new Promise<void>((resolve) => (onKilled = resolve));
    let requests = 0;
    const receiver = this.receiver;
    const fetchFn: FetchFn = async (input, init) => {
      const point = killAt(requests);
      requests += 1;
      if (point === null) return fetch(input, init);
      const seenBefore = receiver.requests().length;
      const connection = new AbortController();
      const signals = init?.signal ? [init.signal, connection.signal] : [connection.signal];
      const answer = fetch(input, { ...init, signal: AbortSignal.any(signals) });
      // The dead worker never reads this outcome; an unobserved rejection would fail the test run.
      answer.catch(() => undefined);
      if (point === 'after-arrival') {
        await waitUntil(() => receiver.requests().length > seenBefore, 'the request reaching the receiver');
        connection.abort();
      } else {
        await answer.then((response) => response.text()).catch(() => undefined);
      }
      onKilled();
      return new Promise<Response>(() => undefined); // a killed worker's pass never continues
    };
    const worker: Worker = { db, fetchFn, killed };
    this.current = worker;
    this.workers += 1;
    const recovered = await recoverStuckSends(db, now);
    return { worker, recovered };
  }

  close(): void {
    this.current?.db.close();
    this.current = null;
  }
}

/** Waits until the receiver has finished every request it started (a `late` one outlives its client). */
export function receiverIdle(receiver: RunningReceiver): Promise<void> {
  return waitUntil(() => receiver.inFlight() === 0, 'the receiver finishing its requests');
}
