/**
 * Launches Debian's Chromium (never a downloaded browser) with the built extension in a fresh profile.
 * Content scripts only run in a persistent context, hence launchPersistentContext on a temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';

/** The e2e build; KALKAN_OUT_SUFFIX selects a parallel run's own build folder. */
export const E2E_EXTENSION_DIR = resolve(`.output/chrome-mv3-e2e${process.env.KALKAN_OUT_SUFFIX ?? ''}`);
export const SERVICE_WORKER_TIMEOUT_MS = 15_000;
/**
 * Time for a control that has just appeared in the overlay (e.g. the masking dialog's buttons) to get its first
 * visibility report from the browser: until then the click guard (entrypoints/content/click-guard.ts) refuses a
 * pointer click as covered, as it does for a user who clicks a dialog the instant it opens.
 */
export const GUARD_FIRST_REPORT_MS = 500;

export function chromiumPath(): string {
  const fromEnv = process.env.KALKAN_CHROMIUM;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium is not installed: run "apt-get install -y chromium" (Kalkan never downloads a browser).');
  }
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  profileDir: string;
  close(): Promise<void>;
}

export async function launchWithExtension(options: { extensionDir?: string; profileDir?: string; keepProfile?: boolean; headful?: boolean } = {}): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? E2E_EXTENSION_DIR;
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'kalkan-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: false,
    args: [
      ...(options.headful ? [] : ['--headless=new']), '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`,
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-default-apps', '--disable-features=DialMediaRouteProvider,MediaRouter',
    ],
    viewport: { width: 1280, height: 900 },
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: SERVICE_WORKER_TIMEOUT_MS }));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    worker,
    profileDir,
    close: async () => {
      await context.close();
      if (!options.keepProfile) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** How many report drafts the extension holds, read from its own IndexedDB through an extension page. */
export async function draftCount(browser: ExtensionBrowser): Promise<number> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/reports.html`);
  const count = await page.evaluate(() => new Promise<number>((resolve, reject) => {
    const open = indexedDB.open('kalkan');
    open.onerror = () => reject(new Error(String(open.error)));
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('drafts')) return resolve(0);
      const request = db.transaction('drafts').objectStore('drafts').count();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(new Error(String(request.error)));
    };
  }));
  await page.close();
  return count;
}
