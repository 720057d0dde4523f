/**
 * A stand-in wiki on loopback for pages we cannot run a MediaWiki for (saved Wikipedia pages from
 * ../shared/data): serves each page inside a minimal MediaWiki-like document (inline RLCONF, EditURI link) and
 * answers the few Action API requests Kalkan makes from answers recorded from a real MediaWiki
 * (tests/fixtures/wiki-profile/*.json).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

export interface FixturePage {
  title: string;
  namespace: number;
  /** The page's rendered HTML (parser output), inserted as the content of #mw-content-text. */
  html: string;
  lang?: string;
  dir?: 'ltr' | 'rtl';
}

export interface FixtureWiki {
  url: string;
  pageUrl(title: string): string;
  close(): Promise<void>;
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function wrapPage(page: FixturePage, revisionId = 1000): string {
  const rlconf = JSON.stringify({
    wgPageName: page.title.replace(/ /g, '_'), wgNamespaceNumber: page.namespace, wgArticleId: 1, wgRevisionId: revisionId,
    wgCurRevisionId: revisionId, wgAction: 'view', wgUserName: null, wgUserLanguage: page.lang ?? 'en',
  }).replace(/</g, '\\u003C');
  return `<!DOCTYPE html><html lang="${page.lang ?? 'en'}" dir="${page.dir ?? 'ltr'}"><head><meta charset="UTF-8">
<title>${escapeText(page.title)}</title>
<script>document.documentElement.className="client-js";RLCONF=${rlconf};</script>
<link rel="EditURI" type="application/rsd+xml" href="/w/api.php?action=rsd">
</head><body><div id="content"><h1 id="firstHeading">${escapeText(page.title)}</h1>
<div id="mw-content-text" class="mw-body-content">${page.html}</div></div></body></html>`;
}

export async function startFixtureWiki(pages: FixturePage[], options: { port?: number; apiFixture?: string } = {}): Promise<FixtureWiki> {
  const answers = JSON.parse(readFileSync(resolve('tests/fixtures/wiki-profile', `${options.apiFixture ?? 'mw139-en'}.json`), 'utf8')) as Record<string, unknown>;
  const byPath = new Map(pages.map((page) => [`/wiki/${encodeURIComponent(page.title.replace(/ /g, '_'))}`, wrapPage(page)]));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/w/api.php') {
      const params = url.searchParams;
      const body = params.get('meta') === 'siteinfo' ? answers.siteinfo
        : params.get('action') === 'parse' ? answers.timestamp
        : params.get('ammessages')?.startsWith('timezone-') ? answers.timezoneMessages
        : params.get('meta') === 'allmessages' ? answers.messages
        : { error: { code: 'unknown', info: 'not recorded' } };
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
      return;
    }
    const html = byPath.get(url.pathname);
    if (!html) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', () => done()));
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  return {
    url,
    pageUrl: (title) => `${url}/wiki/${encodeURIComponent(title.replace(/ /g, '_'))}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
