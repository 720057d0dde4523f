import type { Contribution } from './contribs';

/**
 * The interaction timeline: pages that two or more of the chosen users edited, who came first, and the smallest
 * gap between edits of different users on each page (a follower tends to arrive minutes after the target).
 */

export interface UserOnPage {
  user: string;
  edits: number;
  firstMs: number;
  lastMs: number;
}

export interface SharedPage {
  title: string;
  ns: number;
  /** Only the users who edited this page, in the order they first did. */
  users: UserOnPage[];
  firstUser: string;
  firstMs: number;
  /** Smallest time between an edit by one user and the next edit by another user. */
  minGapMs: number;
  /** The edit pair that makes that gap: `gapFrom` edited, then `gapTo` followed. */
  gapFrom: string;
  gapTo: string;
  /** Every edit of the chosen users on this page, oldest first (for the chart). */
  edits: Contribution[];
}

/** Pages edited by at least two of the users, in the order they became shared (earliest first edit first). */
export function sharedPages(byUser: ReadonlyMap<string, readonly Contribution[]>): SharedPage[] {
  const byTitle = new Map<string, Contribution[]>();
  for (const contributions of byUser.values()) {
    for (const c of contributions) {
      const list = byTitle.get(c.title);
      if (list) list.push(c);
      else byTitle.set(c.title, [c]);
    }
  }
  const out: SharedPage[] = [];
  for (const [title, edits] of byTitle) {
    const users = new Map<string, UserOnPage>();
    for (const e of edits) {
      const u = users.get(e.user);
      if (!u) users.set(e.user, { user: e.user, edits: 1, firstMs: e.utcMs, lastMs: e.utcMs });
      else {
        u.edits += 1;
        u.firstMs = Math.min(u.firstMs, e.utcMs);
        u.lastMs = Math.max(u.lastMs, e.utcMs);
      }
    }
    if (users.size < 2) continue;
    edits.sort((a, b) => a.utcMs - b.utcMs || a.revid - b.revid);
    // In time order the smallest gap between different users is always between neighbours.
    let minGapMs = Number.POSITIVE_INFINITY;
    let gapFrom = '';
    let gapTo = '';
    for (let i = 1; i < edits.length; i++) {
      const prev = edits[i - 1];
      const cur = edits[i];
      if (!prev || !cur || prev.user === cur.user) continue;
      const gap = cur.utcMs - prev.utcMs;
      if (gap < minGapMs) {
        minGapMs = gap;
        gapFrom = prev.user;
        gapTo = cur.user;
      }
    }
    const ordered = [...users.values()].sort((a, b) => a.firstMs - b.firstMs || a.user.localeCompare(b.user));
    const first = ordered[0];
    if (!first) continue;
    out.push({ title, ns: edits[0]?.ns ?? 0, users: ordered, firstUser: first.user, firstMs: first.firstMs, minGapMs, gapFrom, gapTo, edits });
  }
  return out.sort((a, b) => a.firstMs - b.firstMs || a.title.localeCompare(b.title));
}

/** "12 min", "3 h 5 min", "2 d 4 h" — compact and language-neutral enough for tables (the UI localises labels). */
export function formatGap(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

function isoMinute(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}

export interface ExportLabels {
  page: string;
  first: string;
  edits: (user: string) => string;
  gap: string;
  followedBy: string;
}

export const ENGLISH_EXPORT_LABELS: ExportLabels = {
  page: 'Page', first: 'First', edits: (user) => `Edits by ${user}`, gap: 'Smallest gap', followedBy: 'then',
};

/** A sortable wikitable for a noticeboard post. Titles and user names cannot hold [ ] { } |, so links are safe. */
export function toWikitextTable(pages: readonly SharedPage[], users: readonly string[], labels: ExportLabels = ENGLISH_EXPORT_LABELS): string {
  const lines = ['{| class="wikitable sortable"', `! ${[labels.page, labels.first, ...users.map(labels.edits), labels.gap].join(' !! ')}`];
  for (const p of pages) {
    const counts = users.map((u) => String(p.users.find((x) => x.user === u)?.edits ?? 0));
    const gap = `${formatGap(p.minGapMs)} (${p.gapFrom} ${labels.followedBy} ${p.gapTo})`;
    lines.push('|-', `| [[:${p.title}]] || ${p.firstUser} (${isoMinute(p.firstMs)}) || ${counts.join(' || ')} || data-sort-value="${p.minGapMs}" | ${gap}`);
  }
  lines.push('|}');
  return `${lines.join('\n')}\n`;
}

/** RFC 4180 quoting; a cell starting like a formula is prefixed with ' so spreadsheets do not run it. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(pages: readonly SharedPage[], users: readonly string[]): string {
  const header = ['page', 'first_user', 'first_edit_utc', ...users.map((u) => `edits_${u}`), 'smallest_gap_seconds', 'gap_from', 'gap_to'];
  const rows = pages.map((p) => [
    p.title, p.firstUser, new Date(p.firstMs).toISOString(),
    ...users.map((u) => p.users.find((x) => x.user === u)?.edits ?? 0),
    Math.round(p.minGapMs / 1000), p.gapFrom, p.gapTo,
  ]);
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export interface ChartPoint {
  x: number;
  y: number;
  user: string;
  userIndex: number;
  title: string;
  utcMs: number;
}

/**
 * 'calendar': x is the time of the edit across all rows. 'relative': x is the time since the page's first edit
 * by any of the users, on a log scale, so "minutes later" stays visible next to pages shared months apart.
 */
export type ChartMode = 'calendar' | 'relative';

export interface ChartLayout {
  mode: ChartMode;
  width: number;
  height: number;
  rowHeight: number;
  labelWidth: number;
  /** Calendar: first and last edit (UTC ms). Relative: 0 and the longest time after a page's first edit (ms). */
  minMs: number;
  maxMs: number;
  rows: Array<{ title: string; y: number }>;
  points: ChartPoint[];
}

/** Geometry of the SVG chart: one row per shared page, one mark per edit. */
export function chartLayout(pages: readonly SharedPage[], users: readonly string[], width: number, mode: ChartMode = 'calendar', rowHeight = 28, labelWidth = 200): ChartLayout {
  const offset = (p: SharedPage, utcMs: number) => (mode === 'relative' ? utcMs - p.firstMs : utcMs);
  let minMs = Number.POSITIVE_INFINITY;
  let maxMs = Number.NEGATIVE_INFINITY;
  for (const p of pages) for (const e of p.edits) {
    minMs = Math.min(minMs, offset(p, e.utcMs));
    maxMs = Math.max(maxMs, offset(p, e.utcMs));
  }
  if (!Number.isFinite(minMs)) minMs = maxMs = 0;
  const plot = Math.max(1, width - labelWidth - 16);
  // Log scale in minutes for the relative view: 1 min, 1 h, 1 day and 1 month stay apart.
  const scale = mode === 'relative'
    ? (v: number) => Math.log1p(v / 60_000) / Math.max(Math.log1p(maxMs / 60_000), 1e-9)
    : (v: number) => (v - minMs) / Math.max(1, maxMs - minMs);
  const rows = pages.map((p, i) => ({ title: p.title, y: (i + 0.5) * rowHeight }));
  const points: ChartPoint[] = [];
  pages.forEach((p, i) => {
    for (const e of p.edits) {
      const userIndex = users.indexOf(e.user);
      points.push({ x: labelWidth + scale(offset(p, e.utcMs)) * plot, y: (i + 0.5) * rowHeight, user: e.user, userIndex, title: p.title, utcMs: e.utcMs });
    }
  });
  return { mode, width, height: Math.max(rowHeight, pages.length * rowHeight) + 24, rowHeight, labelWidth, minMs, maxMs, rows, points };
}
