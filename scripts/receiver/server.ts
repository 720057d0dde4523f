import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalJson, verifyEvidence } from '../../utils/reports/canonical';
import { MAX_REPORT_BYTES, ReportSchema, type Problem, type Receipt } from '../../utils/reports/schema';
import { FaultQueueBodySchema, FaultSpecError, parseFault, type Fault } from './faults';
import { ReportStore } from './store';

/**
 * The reference receiver for the Kalkan report protocol (docs/report-protocol.md). Meant for tests, demos and as
 * a model for real receivers: it listens on loopback only, validates with the same zod schema as the extension,
 * stores durably in SQLite and lets tests inject faults through /_control on the same port.
 */

export const DEFAULT_HOST = '127.0.0.1';
export const MAX_IDEMPOTENCY_KEY_CHARS = 255;
/** Control bodies are tiny: a list of fault strings. */
export const MAX_CONTROL_BODY_BYTES = 64_000;
export const CORS_MAX_AGE_SECONDS = 600;
/** Requests remembered for tests (oldest dropped first): enough for a soak of a few thousand attempts. */
export const MAX_REQUEST_LOG = 20_000;

/** Extension pages call from these schemes; web pages are never allowed to read a receipt. */
const EXTENSION_ORIGIN = /^(?:chrome|moz|safari-web)-extension:\/\/[A-Za-z0-9-]+$/;

export interface ReceiverOptions {
  port: number;
  dbFile: string;
  token?: string;
  host?: string;
  faults?: string[];
  /** Extra origins allowed by CORS besides extension origins (e.g. "http://localhost:3000" for a demo page). */
  allowedOrigins?: string[];
  /**
   * Tests only: picks a fault spec (or null) for a report request once the fault queue is empty, from its
   * Idempotency-Key and how many requests with that key this receiver has seen (1 for the first). Lets a soak
   * test decide faults per report and attempt, independent of the order in which requests arrive.
   */
  faultFor?: (idempotencyKey: string | null, attempt: number) => string | null;
}

/** One POST /v1/reports as the receiver saw it; tests count resends and check they carried the same key. */
export interface ReceivedRequest {
  idempotencyKey: string | null;
  fault: Fault['kind'] | null;
  /**
   * stored: a new report was stored; replayed: same key and body as a stored one, the original receipt
   * answered; refused: a problem answer (status); dropped: no answer at all (reset, lost, client gone).
   * A stored or replayed request may still have been dropped afterwards: see `answered`.
   */
  result: 'stored' | 'replayed' | 'refused' | 'dropped' | 'redirected';
  status: number | null;
  /** Whether an answer was written to a connection that was still open. */
  answered: boolean;
}

export interface RunningReceiver {
  url: string;
  port: number;
  store: ReportStore;
  /** Every report request so far, oldest first (at most MAX_REQUEST_LOG). */
  requests(): readonly ReceivedRequest[];
  /** Requests still being handled (e.g. a `late` one whose client gave up): wait for 0 before counting. */
  inFlight(): number;
  /** Replace the fault queue (what POST /_control/faults does). */
  setFaults(specs: string[]): void;
  close(): Promise<void>;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly extra: Partial<Problem> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(title);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

function sendProblem(res: ServerResponse, problem: HttpProblem, instance: string): void {
  const body: Problem = {
    type: `urn:kalkan:problem:${problem.slug}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance,
    ...problem.extra,
  };
  res.writeHead(problem.status, { 'content-type': 'application/problem+json; charset=utf-8', ...problem.headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      throw new HttpProblem(413, 'too-large', 'Report too large', `The body exceeds ${limit} bytes. Send fewer or shorter evidence items.`, {}, { connection: 'close' });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  const store = new ReportStore(options.dbFile);
  let faults: Fault[] = (options.faults ?? []).map(parseFault);
  const log: ReceivedRequest[] = [];
  let inFlight = 0;
  const attemptsByKey = new Map<string, number>();
  const nextFault = (key: string | null): Fault | undefined => {
    const attempt = key === null ? 1 : (attemptsByKey.get(key) ?? 0) + 1;
    if (key !== null) attemptsByKey.set(key, attempt);
    const queued = faults.shift();
    if (queued || !options.faultFor) return queued;
    const spec = options.faultFor(key, attempt);
    return spec === null ? undefined : parseFault(spec);
  };
  const allowedOrigins = new Set(options.allowedOrigins ?? []);

  const corsHeaders = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    if (!origin || !(EXTENSION_ORIGIN.test(origin) || allowedOrigins.has(origin))) return {};
    return {
      'access-control-allow-origin': origin,
      'access-control-expose-headers': 'location, retry-after, idempotent-replayed',
      vary: 'Origin',
    };
  };

  const checkAuth = (req: IncomingMessage): void => {
    if (!options.token) return;
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !sameSecret(match[1] ?? '', options.token)) {
      throw new HttpProblem(401, 'unauthorized', 'Missing or wrong token', 'Set the access token this receiver gave you in Kalkan’s destination settings.', {}, { 'www-authenticate': 'Bearer realm="kalkan-reports"' });
    }
  };

  const postReport = async (req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<void> => {
    const keyHeader = req.headers['idempotency-key'];
    const fault = nextFault(typeof keyHeader === 'string' ? keyHeader : null);
    const entry: ReceivedRequest = {
      idempotencyKey: typeof keyHeader === 'string' ? keyHeader : null,
      fault: fault?.kind ?? null,
      result: 'dropped',
      status: null,
      answered: false,
    };
    log.push(entry);
    if (log.length > MAX_REQUEST_LOG) log.shift();
    inFlight += 1;
    try {
      await handleReport(req, res, cors, fault, entry);
    } catch (error) {
      // A client that gave up (a timeout during a `slow` fault) makes reading its body fail: nobody is answered.
      entry.result = res.destroyed ? 'dropped' : 'refused';
      entry.status = res.destroyed ? null : error instanceof HttpProblem ? error.status : 500;
      entry.answered = !res.destroyed;
      throw error;
    } finally {
      inFlight -= 1;
    }
  };

  const handleReport = async (
    req: IncomingMessage,
    res: ServerResponse,
    cors: Record<string, string>,
    fault: Fault | undefined,
    entry: ReceivedRequest,
  ): Promise<void> => {
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { ...cors };
      if (fault.retryAfter !== null) headers['retry-after'] = fault.retryAfter;
      throw new HttpProblem(fault.status, 'injected-fault', `Injected fault ${fault.status}`, 'Fault injection is active on this receiver.', {}, headers);
    }
    if (fault?.kind === 'redirect') {
      entry.result = 'redirected';
      entry.status = 307;
      entry.answered = true;
      res.writeHead(307, { location: fault.location, ...cors });
      res.end();
      return;
    }
    if (fault?.kind === 'slow') await delay(fault.delayMs);

    checkAuth(req);
    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(contentType)) {
      throw new HttpProblem(415, 'unsupported-media-type', 'Send JSON', 'Use Content-Type: application/json.');
    }
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_CHARS || !/^[\x21-\x7e]+$/.test(key)) {
      throw new HttpProblem(400, 'idempotency-key', 'Idempotency-Key missing or malformed', `Send one Idempotency-Key header (1–${MAX_IDEMPOTENCY_KEY_CHARS} visible ASCII characters), the same for every resend of one report.`);
    }
    const raw = await readBody(req, MAX_REPORT_BYTES);
    // After the body is in: the client may give up meanwhile, and the report is still stored below.
    if (fault?.kind === 'late') await delay(fault.delayMs);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new HttpProblem(400, 'malformed-json', 'Body is not JSON', 'The request body could not be parsed as JSON.');
    }
    const parsed = ReportSchema.safeParse(json);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      throw new HttpProblem(422, 'invalid-report', 'Report does not match the schema', 'See errors; the schema is docs/report.schema.json.', { errors });
    }
    const report = parsed.data;
    const hashErrors: { path: string; message: string }[] = [];
    for (const [index, item] of report.evidence.entries()) {
      const verdict = await verifyEvidence(item);
      if (!verdict.ok) hashErrors.push({ path: `evidence.${index}.sha256`, message: `expected ${verdict.actual}` });
    }
    if (hashErrors.length > 0) {
      throw new HttpProblem(422, 'evidence-hash', 'Evidence hash mismatch', 'An evidence item was changed after it was sealed.', { errors: hashErrors });
    }
    const bodyHash = createHash('sha256').update(canonicalJson(json)).digest('hex');

    const previous = store.byKey(key);
    if (previous) {
      if (previous.bodyHash !== bodyHash) {
        throw new HttpProblem(422, 'idempotency-key-reused', 'Idempotency-Key reused with a different body', 'Each report needs its own Idempotency-Key; a resend must carry the identical body.');
      }
      entry.result = 'replayed';
      respondReceipt(res, previous.receipt, fault, { ...cors, 'idempotent-replayed': 'true' }, entry);
      return;
    }
    if (store.byReportId(report.reportId)) {
      throw new HttpProblem(409, 'duplicate-report', 'Report already received', 'This reportId was received under another Idempotency-Key.');
    }
    const receipt: Receipt = {
      receiptId: `rcpt_${randomUUID()}`,
      reportId: report.reportId,
      receivedAt: new Date().toISOString(),
      evidenceCount: report.evidence.length,
      status: 'received',
    };
    store.insert({ receipt, idempotencyKey: key, bodyHash, body: raw });
    entry.result = 'stored';
    respondReceipt(res, receipt, fault, cors, entry);
  };

  const respondReceipt = (res: ServerResponse, receipt: Receipt, fault: Fault | undefined, headers: Record<string, string>, entry: ReceivedRequest): void => {
    if (fault?.kind === 'lost' || res.destroyed) {
      res.socket?.destroy();
      return;
    }
    entry.status = 201;
    entry.answered = true;
    const location = `/v1/reports/${receipt.receiptId}`;
    if (fault?.kind === 'badjson') {
      res.writeHead(201, { 'content-type': 'application/json', location, ...headers });
      res.end('{"receiptId": "'); // truncated on purpose
      return;
    }
    sendJson(res, 201, receipt, { location, ...headers });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://receiver.invalid');
    const cors = corsHeaders(req);
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          ...cors,
          'access-control-allow-methods': 'POST, GET, OPTIONS',
          'access-control-allow-headers': 'authorization, content-type, idempotency-key',
          'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
        });
        res.end();
        return;
      }
      if (url.pathname === '/v1/reports' && req.method === 'POST') return await postReport(req, res, cors);
      const single = /^\/v1\/reports\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
      if (single && req.method === 'GET') {
        checkAuth(req);
        const found = store.byReceiptId(single[1] ?? '');
        if (!found) throw new HttpProblem(404, 'not-found', 'No such receipt', 'Check the receipt id.');
        sendJson(res, 200, { receipt: found.receipt, report: JSON.parse(found.body) as unknown }, cors);
        return;
      }
      if (url.pathname === '/_control/faults' && req.method === 'POST') {
        const body = FaultQueueBodySchema.safeParse(JSON.parse(await readBody(req, MAX_CONTROL_BODY_BYTES)));
        if (!body.success) throw new HttpProblem(400, 'bad-faults', 'Faults must be a JSON array of strings', body.error.message);
        try {
          faults = body.data.map(parseFault);
        } catch (error) {
          if (error instanceof FaultSpecError) throw new HttpProblem(400, 'bad-faults', 'Unknown fault', error.message);
          throw error;
        }
        sendJson(res, 200, { queued: faults.length });
        return;
      }
      if (url.pathname === '/_control/reports' && req.method === 'GET') {
        const reports = store.list().map((stored) => ({ ...stored.receipt, idempotencyKey: stored.idempotencyKey }));
        sendJson(res, 200, { count: reports.length, reports });
        return;
      }
      throw new HttpProblem(404, 'not-found', 'Not found', `No route for ${req.method ?? '?'} ${url.pathname}.`);
    } catch (error) {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof HttpProblem) {
        sendProblem(res, new HttpProblem(error.status, error.slug, error.title, error.detail, error.extra, { ...cors, ...error.headers }), url.pathname);
        return;
      }
      const detail = error instanceof Error ? error.message : String(error);
      console.error('receiver: request failed', error);
      sendProblem(res, new HttpProblem(error instanceof SyntaxError ? 400 : 500, 'internal', 'Receiver error', detail, {}, cors), url.pathname);
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const host = options.host ?? DEFAULT_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostInUrl}:${port}`,
    port,
    store,
    requests: () => log,
    inFlight: () => inFlight,
    setFaults(specs) {
      faults = specs.map(parseFault);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) {
          resolve(); // closing twice (a test's afterEach after its own close) is harmless
          return;
        }
        server.closeAllConnections();
        server.close((error) => {
          store.close();
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
