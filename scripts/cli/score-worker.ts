/**
 * One scoring worker of the CLI's pool (utils/detection/pool.ts): its own detector, answering batches until the
 * pool terminates it. Started through score-worker.mjs, which loads TypeScript in the worker thread.
 */
import { parentPort } from 'node:worker_threads';
import { createDetector } from '../../utils/detection/detector.ts';
import { answerPoolRequest } from '../../utils/detection/pool.ts';

if (!parentPort) throw new Error('score-worker.ts runs only as a worker thread of the score command.');
const port = parentPort;
const detector = createDetector();
port.on('message', (data: unknown) => port.postMessage(answerPoolRequest(detector, data)));
