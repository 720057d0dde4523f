// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOverlay, OVERLAY_HOST_ID } from '../../../entrypoints/content/overlay';

/**
 * Probe resistance of the production build (vitest builds with __KALKAN_E2E__ = false): a page must not be able to
 * ask the DOM whether this reader runs Kalkan. The e2e build names the host (tests/e2e/hardening-clickjack.e2e.ts
 * covers what a page sees there).
 */
describe('overlay host (production build)', () => {
  it('is not in the page before any Kalkan control is shown', () => {
    const controller = new AbortController();
    const before = document.documentElement.outerHTML;
    createOverlay(document, controller.signal);
    expect(document.documentElement.outerHTML).toBe(before);
    controller.abort();
  });

  it('carries no id, class or attribute a page could query once shown', () => {
    const controller = new AbortController();
    const overlay = createOverlay(document, controller.signal);
    overlay.layer('report');
    const host = overlay.shadowRoot.host;
    expect(host.isConnected).toBe(true);
    expect(document.getElementById(OVERLAY_HOST_ID)).toBeNull();
    expect(document.querySelector('[id^="kalkan"], [class*="kalkan"], [data-kalkan], [data-kalkan-theme]')).toBeNull();
    expect(host.getAttributeNames()).toEqual(['style']);
    // Closed: the page gets no handle on what is inside.
    expect((host as HTMLElement).shadowRoot).toBeNull();
    controller.abort();
    expect(host.isConnected).toBe(false);
  });

  it('a second page run replaces the first host instead of adding one', () => {
    const first = new AbortController();
    createOverlay(document, first.signal).layer('report');
    const second = new AbortController();
    createOverlay(document, second.signal).layer('report');
    expect(document.documentElement.children.length).toBe(3); // head, body, one host
    first.abort();
    second.abort();
  });
});

/** Every source file of the content script (it runs in the wiki's page). */
function contentSources(dir = 'entrypoints/content'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return contentSources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('performance timeline', () => {
  // The content script shares the page's performance timeline: a "kalkan:…" mark would tell any page script that
  // this reader runs Kalkan, on every discussion page, even with all its features off. Benchmarks and e2e tests
  // read them from the e2e build only.
  it('content-script marks and measures are written in e2e builds only', () => {
    const unguarded: string[] = [];
    let calls = 0;
    for (const file of contentSources()) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, index) => {
        if (!/performance\.(mark|measure)\(/.test(line)) return;
        calls += 1;
        if (!/__KALKAN_E2E__/.test(line)) unguarded.push(`${file}:${index + 1}`);
      });
    }
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(unguarded).toEqual([]);
  });
});
