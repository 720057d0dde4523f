import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SEED_PASSWORD } from '../../scripts/wiki/content';
import { scanImageMetadata } from '../../utils/masking/exif-location';
import {
  ifd0Tags, indexOf, LATITUDE, LONGITUDE, photoJpeg, rationalBytes, walkJpeg,
} from '../unit/masking/exif-builder';
import { axeViolationsIn } from './support/a11y';
import { launchWithExtension, type ExtensionBrowser } from './support/chromium';

/**
 * The upload form's photo check on the real local MediaWiki (uploads enabled by scripts/wiki/mediawiki.ts): a JPEG
 * with a GPS position is flagged as soon as it is chosen, "Remove location data" puts a cleaned copy into the
 * form, and the file the wiki stores has no position left while its image data is byte-identical. A JPEG without
 * one gets no notice.
 */
const wikiUrl = inject('wikiUrl');
const wikiApiUrl = inject('wikiApiUrl');
const wikiProblem = inject('wikiProblem');
/** How long a clean file is watched for a notice that must not come (the check of a GPS file takes ~50 ms). */
const NO_NOTICE_WAIT_MS = 1_500;
const SCREENSHOTS = '/tmp/masking';
/** Twice the masking controller's SCAN_DEBOUNCE_MS (not imported: that module pulls the whole content script). */
const SETTLE_MS = 600;

async function login(page: Page): Promise<void> {
  await page.goto(`${wikiUrl}/w/index.php?title=Special:UserLogin`);
  await page.locator('#wpName1').fill('Aigerim');
  await page.locator('#wpPassword1').fill(SEED_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('#wpLoginAttempt').click()]);
}

/** A real, decodable JPEG from the browser's own encoder (8×8, no metadata). */
async function browserJpeg(page: Page): Promise<Uint8Array> {
  const bytes = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 8;
    canvas.height = 8;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.fillStyle = '#3366cc';
    context.fillRect(0, 0, 8, 8);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
    if (!blob) throw new Error('no JPEG from the canvas');
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  return new Uint8Array(bytes);
}

/**
 * Chooses a file the way the user does. Playwright chooses a path through the browser (DOM.setFileInputFiles), so
 * the change event is trusted as a real choice is; a buffer would be set by script, and Kalkan ignores such events.
 */
async function choose(page: Page, dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  await page.locator('#wpUploadFile').setInputFiles(path);
}

async function chosenFile(page: Page): Promise<Uint8Array> {
  const bytes = await page.locator('#wpUploadFile').evaluate(async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    return file ? Array.from(new Uint8Array(await file.arrayBuffer())) : [];
  });
  return new Uint8Array(bytes);
}

async function storedOriginal(title: string): Promise<{ bytes: Uint8Array; metadataNames: string[] }> {
  const query = new URLSearchParams({
    action: 'query', titles: `File:${title}`, prop: 'imageinfo', iiprop: 'url|metadata', format: 'json', formatversion: '2',
  });
  const answer = await (await fetch(`${wikiApiUrl}?${query}`)).json() as {
    query: { pages: { imageinfo?: { url: string; metadata?: { name: string }[] | null }[] }[] };
  };
  const info = answer.query.pages[0]?.imageinfo?.[0];
  if (!info) throw new Error(`File:${title} was not uploaded`);
  // The wiki names itself localhost; Node fetches the server's own loopback address.
  const url = new URL(info.url);
  url.hostname = '127.0.0.1';
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  return { bytes, metadataNames: (info.metadata ?? []).map((entry) => entry.name) };
}

describe.skipIf(Boolean(wikiProblem))('masking: location data in a photo chosen for upload', () => {
  let browser: ExtensionBrowser;
  let page: Page;
  let base: Uint8Array;
  const files = mkdtempSync(join(tmpdir(), 'kalkan-upload-'));
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchWithExtension();
    page = await browser.context.newPage();
    await login(page);
    base = await browserJpeg(page);
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(files, { recursive: true, force: true });
  });

  it('warns about the GPS position, removes it in one click, and the wiki stores a file without it', async () => {
    const photo = photoJpeg({ little: false, gps: true, orientation: 6, bodySerial: 'SN-0042-7731' }, base);
    const title = `Kalkan_upload_${Date.now()}.jpg`;
    await page.goto(`${wikiUrl}/wiki/Special:Upload`);
    await choose(page, files, 'garden.jpg', photo);

    const notice = page.getByTestId('upload-metadata');
    await expect.poll(() => notice.getAttribute('data-state'), { timeout: 20_000 }).toBe('found');
    const text = await notice.innerText();
    expect(text).toContain('This photo records where it was taken');
    expect(text).toContain('latitude 42.8751, longitude 74.5867');
    expect(text).toContain("The camera's serial number");
    await page.screenshot({ path: `${SCREENSHOTS}/upload-found.png` });
    expect(await axeViolationsIn(page, '.kalkan-upload-notice')).toEqual([]);

    await notice.locator('[data-action="remove-metadata"]').click();
    await expect.poll(() => notice.getAttribute('data-state')).toBe('removed');
    expect(await notice.getAttribute('role')).toBe('status');
    await page.screenshot({ path: `${SCREENSHOTS}/upload-removed.png` });
    expect(await axeViolationsIn(page, '.kalkan-upload-notice')).toEqual([]);

    // The form now holds the cleaned copy, under the same name.
    const chosen = await chosenFile(page);
    expect(await page.locator('#wpUploadFile').evaluate((input: HTMLInputElement) => input.files?.[0]?.name)).toBe('garden.jpg');
    expect(chosen.length).toBe(photo.length);
    expect(scanImageMetadata(chosen)).toEqual({ kind: 'clean', format: 'jpeg' });
    expect(indexOf(chosen, rationalBytes(LATITUDE, false))).toBe(-1);

    await page.locator('#wpDestFile').fill(title);
    await page.locator('#wpUploadDescription').fill('A tree in the garden.');
    await page.locator('#wpIgnoreWarning').check();
    // Past the masking helpers' debounce: a submit held while the description's scan is pending is not released
    // on this form (a controller issue, reported separately; it happens without any file chosen too).
    await page.waitForTimeout(SETTLE_MS);
    // The file page's "load" can wait on its media; the navigation itself is what matters here.
    await Promise.all([
      page.waitForURL((url) => decodeURIComponent(url.pathname).includes(`File:${title}`), { waitUntil: 'domcontentloaded' }),
      page.locator('input[name="wpUpload"]').click(),
    ]);

    const stored = await storedOriginal(title);
    expect(scanImageMetadata(stored.bytes)).toEqual({ kind: 'clean', format: 'jpeg' });
    expect(indexOf(stored.bytes, rationalBytes(LATITUDE, false))).toBe(-1);
    expect(indexOf(stored.bytes, rationalBytes(LONGITUDE, false))).toBe(-1);
    expect(indexOf(stored.bytes, new TextEncoder().encode('SN-0042-7731'))).toBe(-1);
    expect(ifd0Tags(stored.bytes).orientation).toBe(6);
    // MediaWiki read the file's metadata and found no position in it (it does list the camera's other tags).
    expect(stored.metadataNames.length).toBeGreaterThan(0);
    expect(stored.metadataNames.filter((name) => name.startsWith('GPS'))).toEqual([]);
    // Everything after the Exif segment — the image itself — is the browser encoder's bytes, unchanged.
    const app1End = walkJpeg(stored.bytes)[0]?.end ?? 0;
    expect(Buffer.from(stored.bytes.subarray(app1End)).equals(Buffer.from(base.subarray(2)))).toBe(true);
  });

  it('a JPEG without a position gets no notice (and a notice shown before goes away)', async () => {
    await page.goto(`${wikiUrl}/wiki/Special:Upload`);
    const notice = page.getByTestId('upload-metadata');
    // First a photo with a position, so the check is known to be running on this page…
    await choose(page, files, 'with-gps.jpg', photoJpeg({ little: true, gps: true }, base));
    await expect.poll(() => notice.getAttribute('data-state'), { timeout: 20_000 }).toBe('found');
    // …then one with camera tags and orientation only.
    await choose(page, files, 'plain.jpg', photoJpeg({ little: true, orientation: 1 }, base));
    await expect.poll(() => notice.count()).toBe(0);
    await page.waitForTimeout(NO_NOTICE_WAIT_MS);
    expect(await notice.count()).toBe(0);
  });
});
