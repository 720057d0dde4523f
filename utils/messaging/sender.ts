/**
 * Decides which zone a message came from, from what the browser says about the sender — never from the payload,
 * which a page could forge. Content scripts share their tab with the wiki page; extension pages have the
 * extension's own origin.
 */
export type SenderZone = 'extension-page' | 'content-script' | 'foreign';

/** The subset of runtime.MessageSender we rely on (kept structural so tests need no browser). */
export interface SenderInfo {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number };
}

export function classifySender(sender: SenderInfo, extensionId: string, extensionOrigin: string): SenderZone {
  if (sender.id !== extensionId) return 'foreign';
  const url = sender.url ?? '';
  // Chrome gives `origin`, Firefox only `url`; both must name the extension itself.
  const origin = sender.origin ?? safeOrigin(url);
  if (origin === extensionOrigin && url.startsWith(`${extensionOrigin}/`)) return 'extension-page';
  // A content script runs in a tab whose document is not ours.
  if (sender.tab && origin !== extensionOrigin) return 'content-script';
  return 'foreign';
}

function safeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    // Extension schemes are not "special" to every URL parser, which then reports the origin as "null".
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    // An unparseable sender URL cannot be the extension's own page.
    return '';
  }
}
