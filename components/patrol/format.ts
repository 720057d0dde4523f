/** Date and number formatting for the patroller view, in the UI language; times are always UTC (wiki time). */

export function formatUtc(locale: string, ms: number): string {
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(ms)} UTC`;
}

export function formatNumber(locale: string, n: number): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** Saves text as a file from an extension page (a blob URL, revoked right after the click). */
export function downloadText(doc: Document, name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
