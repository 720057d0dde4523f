import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { extractRlconf, locateWiki, pageContextFrom, readInlineConfig, viewerFrom } from '../../../utils/wiki-profile/inline-config';

function documentFrom(html: string, url: string): Document {
  const window = new Window({ url });
  window.document.write(html);
  return window.document as unknown as Document;
}

describe('inline configuration read as text from real page markup', () => {
  it.each(['mw139-en', 'mw139-ar', 'mw139-ru-moscow'])('%s: page context and api location', (name) => {
    const html = readFileSync(new URL(`../../fixtures/wiki-profile/${name}-head.html`, import.meta.url), 'utf8');
    const doc = documentFrom(html, 'http://localhost:8080/wiki/Main_Page');
    const config = readInlineConfig(doc);
    expect(config).not.toBeNull();
    if (!config) return;
    const page = pageContextFrom(config, 'en');
    expect(page.namespace).toBe(0);
    expect(page.title.length).toBeGreaterThan(0);
    // The localised main page of a fresh install may not exist yet (revision 0 → null).
    expect(page.revisionId).toBe(config.wgRevisionId ? config.wgRevisionId : null);
    expect(page.viewer).toEqual({ kind: 'anonymous' });
    expect(locateWiki(doc, config)).toEqual({ origin: 'http://localhost:8080', scriptPath: '/w' });
  });
});

describe('extractRlconf', () => {
  it.each([
    ['plain', 'RLCONF={"wgPageName":"Talk:A","wgNamespaceNumber":1};RLSTATE={}', { wgPageName: 'Talk:A', wgNamespaceNumber: 1 }],
    ['braces inside strings', 'RLCONF={"wgPageName":"Talk:{x}\\"}","wgNamespaceNumber":1};', { wgPageName: 'Talk:{x}"}', wgNamespaceNumber: 1 }],
    ['nested objects', 'x;RLCONF={"a":{"b":[1,{"c":2}]}};', { a: { b: [1, { c: 2 }] } }],
  ])('reads %s', (_label, text, expected) => {
    expect(extractRlconf(text)).toEqual(expected);
  });

  it.each([
    ['no RLCONF', 'var x = 1;'],
    ['unterminated', 'RLCONF={"a":1'],
    ['not JSON (code)', 'RLCONF={a: alert(1)};'],
  ])('returns null for %s', (_label, text) => {
    expect(extractRlconf(text)).toBeNull();
  });
});

describe('viewerFrom', () => {
  it.each([
    [{ wgPageName: 'A', wgNamespaceNumber: 0, wgUserName: null }, { kind: 'anonymous' }],
    [{ wgPageName: 'A', wgNamespaceNumber: 0, wgUserName: 'Aigerim' }, { kind: 'registered', name: 'Aigerim' }],
    [{ wgPageName: 'A', wgNamespaceNumber: 0, wgUserName: '~2026-12345', wgUserIsTemp: true }, { kind: 'temporary', name: '~2026-12345' }],
  ])('%j → %j', (config, viewer) => {
    expect(viewerFrom(config)).toEqual(viewer);
  });
});
