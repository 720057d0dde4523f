import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WIKIMEDIA_MATCH_PATTERNS } from '../../utils/sites/wikimedia';

/**
 * Pins what the production manifests ask for, so a new permission cannot creep in unnoticed: adding one means
 * changing this test, and saying why in the commit.
 */
// alarms: the report outbox retries on a schedule and retention runs daily (docs/reporting.md).
const PINNED_PERMISSIONS = ['alarms', 'scripting', 'storage'];
const PINNED_OPTIONAL_HOSTS = ['http://*/*', 'https://*/*'];

function manifest(dir: string): Record<string, unknown> {
  const file = `.output/${dir}/manifest.json`;
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first (npm test does).`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

describe.each(['chrome-mv3', 'firefox-mv3'])('%s manifest', (dir) => {
  const m = () => manifest(dir);
  it('asks only for the pinned permissions', () => {
    expect([...((m().permissions as string[]) ?? [])].sort()).toEqual(PINNED_PERMISSIONS);
    expect([...((m().optional_host_permissions as string[]) ?? [])].sort()).toEqual(PINNED_OPTIONAL_HOSTS);
  });
  it('runs only on Wikimedia hosts by default, never <all_urls> or loopback', () => {
    const hosts = m().host_permissions as string[];
    expect([...hosts].sort()).toEqual([...WIKIMEDIA_MATCH_PATTERNS].sort());
    const scripts = m().content_scripts as Array<{ matches: string[] }>;
    for (const script of scripts) expect([...script.matches].sort()).toEqual([...WIKIMEDIA_MATCH_PATTERNS].sort());
    expect(JSON.stringify(m())).not.toMatch(/<all_urls>|localhost|127\.0\.0\.1/);
  });
  it('has a strict extension-page CSP and exposes nothing to pages', () => {
    const csp = (m().content_security_policy as { extension_pages: string }).extension_pages;
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|https?:/);
    expect(m().externally_connectable).toBeUndefined();
  });
});

describe('firefox manifest', () => {
  it('has a fixed gecko id and honest data-collection permissions', () => {
    const gecko = (manifest('firefox-mv3').browser_specific_settings as { gecko: Record<string, unknown> }).gecko;
    expect(gecko.id).toBe('kalkan@kalkan-safety.org');
    expect(gecko.data_collection_permissions).toEqual({ required: ['none'], optional: ['personalCommunications'] });
  });
});
