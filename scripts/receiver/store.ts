import Database from 'better-sqlite3';
import { z } from 'zod';
import { ReceiptSchema, type Receipt } from '../../utils/reports/schema';

/**
 * Durable storage for the reference receiver: one SQLite file in WAL mode (a crash never loses an acknowledged
 * report). The idempotency key and the report id are both unique, so a resend can never be stored twice, even
 * when two copies race (better-sqlite3 is synchronous: one insert finishes before the next starts).
 */

export interface StoredReport {
  receipt: Receipt;
  idempotencyKey: string;
  bodyHash: string;
  body: string;
}

const RowSchema = z.object({
  receipt_id: z.string(),
  report_id: z.string(),
  idempotency_key: z.string(),
  body_hash: z.string(),
  body: z.string(),
  received_at: z.string(),
  evidence_count: z.number().int(),
});
type Row = z.infer<typeof RowSchema>;

function fromRow(raw: unknown): StoredReport {
  const row: Row = RowSchema.parse(raw);
  return {
    receipt: ReceiptSchema.parse({
      receiptId: row.receipt_id,
      reportId: row.report_id,
      receivedAt: row.received_at,
      evidenceCount: row.evidence_count,
      status: 'received',
    }),
    idempotencyKey: row.idempotency_key,
    bodyHash: row.body_hash,
    body: row.body,
  };
}

export class ReportStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS reports (
      receipt_id TEXT PRIMARY KEY,
      report_id TEXT NOT NULL UNIQUE,
      idempotency_key TEXT NOT NULL UNIQUE,
      body_hash TEXT NOT NULL,
      body TEXT NOT NULL,
      received_at TEXT NOT NULL,
      evidence_count INTEGER NOT NULL
    )`);
  }

  byKey(idempotencyKey: string): StoredReport | null {
    const row = this.db.prepare('SELECT * FROM reports WHERE idempotency_key = ?').get(idempotencyKey);
    return row === undefined ? null : fromRow(row);
  }

  byReportId(reportId: string): StoredReport | null {
    const row = this.db.prepare('SELECT * FROM reports WHERE report_id = ?').get(reportId);
    return row === undefined ? null : fromRow(row);
  }

  byReceiptId(receiptId: string): StoredReport | null {
    const row = this.db.prepare('SELECT * FROM reports WHERE receipt_id = ?').get(receiptId);
    return row === undefined ? null : fromRow(row);
  }

  insert(report: StoredReport): void {
    this.db
      .prepare(
        `INSERT INTO reports (receipt_id, report_id, idempotency_key, body_hash, body, received_at, evidence_count)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        report.receipt.receiptId,
        report.receipt.reportId,
        report.idempotencyKey,
        report.bodyHash,
        report.body,
        report.receipt.receivedAt,
        report.receipt.evidenceCount,
      );
  }

  list(): StoredReport[] {
    return this.db.prepare('SELECT * FROM reports ORDER BY received_at, receipt_id').all().map(fromRow);
  }

  count(): number {
    const row = z.object({ n: z.number() }).parse(this.db.prepare('SELECT COUNT(*) AS n FROM reports').get());
    return row.n;
  }

  close(): void {
    this.db.close();
  }
}
