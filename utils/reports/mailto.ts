import type { Report } from './schema';

/**
 * A mailto: link for venues that take reports by email (e.g. emergency@wikimedia.org). Mail programs and
 * browsers cut long mailto URLs unpredictably (around 2,000 characters in some), so the body is bounded and says
 * so when evidence had to be left out.
 */

export const MAX_MAILTO_BODY_CHARS = 1_500;
export const MAX_MAILTO_DESCRIPTION_CHARS = 600;

export interface MailtoMessages {
  /** "$1" = wiki id, "$2" = reported user(s). */
  subject: string;
  /** Added when evidence links were left out: "$1" = how many. */
  truncated: string;
}

const DEFAULT_MESSAGES: MailtoMessages = {
  subject: 'Report from Kalkan: $2 on $1',
  truncated: '[$1 more evidence links left out; ask the reporter for the full report]',
};

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function buildMailto(report: Report, address: string, messages: MailtoMessages = DEFAULT_MESSAGES): string {
  const users = [...new Set(report.evidence.map((item) => item.author))].join(', ');
  const harm = report.harm.kind === 'incident' ? report.harm.category : `EMERGENCY: ${report.harm.type}`;
  const subject = messages.subject.replace('$1', report.wiki.server).replace('$2', users);
  const head = [
    `Wiki: ${report.wiki.server}`,
    `Category: ${harm}`,
    `Report id: ${report.reportId}`,
    '',
    clip(report.description, MAX_MAILTO_DESCRIPTION_CHARS),
    '',
  ];
  let body = head.join('\n');
  let included = 0;
  for (const item of report.evidence) {
    const line = `- ${item.author}, ${item.timestamp}, ${item.origin?.diffUrl ?? item.permalink.url}\n`;
    // Keep room for the "left out" note.
    if (body.length + line.length > MAX_MAILTO_BODY_CHARS - 120) break;
    body += line;
    included += 1;
  }
  const left = report.evidence.length - included;
  if (left > 0) body += messages.truncated.replace('$1', String(left));
  return `mailto:${encodeURIComponent(address).replace('%40', '@')}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
