import browser from 'webextension-polyfill';
import { z } from 'zod';
import { SiteSchema, type Site } from '../../utils/messaging/protocol';
import { RequestError } from '../../utils/messaging/router';

/**
 * Non-Wikimedia MediaWiki sites the user added: stored in extension storage, granted as optional host
 * permissions, and served by a content script registered at runtime.
 */
const SITES_KEY = 'sites';
const SCRIPT_ID_PREFIX = 'kalkan-site-';
export const CONTENT_SCRIPT_FILE = 'content-scripts/content.js';

function scriptId(origin: string): string {
  return SCRIPT_ID_PREFIX + origin.replace(/[^a-zA-Z0-9]/g, '_');
}

export async function listSites(): Promise<Site[]> {
  const raw = (await browser.storage.local.get(SITES_KEY))[SITES_KEY];
  const parsed = z.array(SiteSchema).safeParse(raw ?? []);
  // A damaged list is rebuilt from nothing rather than trusted; the permissions themselves stay granted.
  return parsed.success ? parsed.data : [];
}

async function saveSites(sites: Site[]): Promise<void> {
  await browser.storage.local.set({ [SITES_KEY]: sites });
}

export async function addSite(origin: string, now: number): Promise<Site[]> {
  const pattern = `${origin}/*`;
  if (!(await browser.permissions.contains({ origins: [pattern] }))) {
    throw new RequestError('not-permitted', `Kalkan has no permission for ${origin}; allow it when the browser asks.`);
  }
  const sites = (await listSites()).filter((site) => site.origin !== origin);
  sites.push({ origin, addedAt: now });
  await saveSites(sites);
  await syncRegistrations(sites);
  return sites;
}

export async function removeSite(origin: string): Promise<Site[]> {
  const sites = (await listSites()).filter((site) => site.origin !== origin);
  await saveSites(sites);
  await syncRegistrations(sites);
  await browser.permissions.remove({ origins: [`${origin}/*`] });
  return sites;
}

/** Makes the registered content scripts match the stored sites that still hold their permission. */
export async function syncRegistrations(sites?: Site[]): Promise<void> {
  const wanted = new Map<string, string>();
  for (const site of sites ?? (await listSites())) {
    if (await browser.permissions.contains({ origins: [`${site.origin}/*`] })) wanted.set(scriptId(site.origin), site.origin);
  }
  const registered = await browser.scripting.getRegisteredContentScripts();
  const stale = registered.map((script) => script.id).filter((id) => id.startsWith(SCRIPT_ID_PREFIX) && !wanted.has(id));
  if (stale.length) await browser.scripting.unregisterContentScripts({ ids: stale });
  const present = new Set(registered.map((script) => script.id));
  const missing = [...wanted].filter(([id]) => !present.has(id));
  if (missing.length) {
    await browser.scripting.registerContentScripts(
      missing.map(([id, origin]) => ({ id, matches: [`${origin}/*`], js: [CONTENT_SCRIPT_FILE], runAt: 'document_idle' as const, persistAcrossSessions: true })),
    );
  }
}
