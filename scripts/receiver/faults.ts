import { z } from 'zod';

/**
 * Fault injection for the reference receiver. Each POST /v1/reports takes the next fault from the queue:
 *   "503"           answer with that status (any 4xx/5xx) and a problem+json body
 *   "429:2"         that status with Retry-After: 2 (seconds)
 *   "slow:3000"     wait 3000 ms, then handle the request normally (a client that gave up meanwhile has reset
 *                   the connection, so nothing is stored for it)
 *   "late:3000"     read the whole request, wait 3000 ms, then store it and answer, even if the client gave up
 *                   meanwhile: the stored-but-answered-too-late case a resend must not duplicate
 *   "badjson"       handle the request (the report is stored) but answer 201 with a body that is not JSON
 *   "reset"         destroy the connection without answering (before reading the body: nothing is stored)
 *   "lost"          store the report, then destroy the connection instead of answering (the answer is lost)
 *   "redirect:URL"  answer 307 to URL (a client must refuse to follow)
 *   "none"          no fault: handle the request normally (lets a queue mix faults with good answers)
 */

export const MAX_FAULT_DELAY_MS = 120_000;
export const MAX_FAULT_QUEUE = 1_000;

export type Fault =
  | { kind: 'status'; status: number; retryAfter: string | null }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'late'; delayMs: number }
  | { kind: 'badjson' }
  | { kind: 'reset' }
  | { kind: 'lost' }
  | { kind: 'redirect'; location: string }
  | { kind: 'none' };

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

export function parseFault(spec: string): Fault {
  const [head = '', ...restParts] = spec.split(':');
  const rest = restParts.join(':');
  if (/^[45]\d\d$/.test(head)) {
    if (rest !== '' && !/^\d+$/.test(rest)) {
      throw new FaultSpecError(`Fault "${spec}": the Retry-After part must be whole seconds, e.g. "429:2".`);
    }
    return { kind: 'status', status: Number(head), retryAfter: rest === '' ? null : rest };
  }
  if ((head === 'slow' || head === 'late') && /^\d+$/.test(rest) && Number(rest) <= MAX_FAULT_DELAY_MS) {
    return { kind: head, delayMs: Number(rest) };
  }
  if (head === 'badjson' && rest === '') return { kind: 'badjson' };
  if (head === 'reset' && rest === '') return { kind: 'reset' };
  if (head === 'lost' && rest === '') return { kind: 'lost' };
  if (head === 'none' && rest === '') return { kind: 'none' };
  if (head === 'redirect' && rest !== '') return { kind: 'redirect', location: rest };
  throw new FaultSpecError(
    `Unknown fault "${spec}". Use one of: 503, 429:2, slow:<ms ≤ ${MAX_FAULT_DELAY_MS}>, late:<ms>, badjson, reset, lost, redirect:<url>, none.`,
  );
}

export const FaultQueueBodySchema = z.array(z.string().min(1)).max(MAX_FAULT_QUEUE);
