import browser from 'webextension-polyfill';
import { TabMessageSchema, type TabMessage } from '../../utils/masking/messages';
import { StoredOwnIdentifiersSchema, type StoredOwnIdentifiers } from '../../utils/masking/own-identifiers';
import type { HandlerMap } from './handlers';

/**
 * Masking in the background: the user's own identifiers (salted hashes only, in extension storage — the options
 * page hashes what the user types before sending it here) and the keyboard command of the screenshot-safe view.
 */
export const OWN_IDENTIFIERS_KEY = 'masking:own';
/** The manifest `commands` entry that toggles the screenshot-safe view on the active tab. */
export const SCREENSHOT_SAFE_COMMAND = 'toggle-screenshot-safe';

async function readOwn(): Promise<StoredOwnIdentifiers | null> {
  const raw: unknown = (await browser.storage.local.get(OWN_IDENTIFIERS_KEY))[OWN_IDENTIFIERS_KEY];
  if (raw === undefined) return null;
  const parsed = StoredOwnIdentifiersSchema.safeParse(raw);
  if (!parsed.success) {
    // A damaged entry is kept aside rather than silently dropped, and matching continues without it.
    await browser.storage.local.set({ [`${OWN_IDENTIFIERS_KEY}:quarantine:${Date.now()}`]: raw });
    await browser.storage.local.remove(OWN_IDENTIFIERS_KEY);
    console.warn('[kalkan] stored own identifiers were damaged and were set aside; list them again in the settings.');
    return null;
  }
  return parsed.data;
}

export const maskingHandlers: HandlerMap<'masking/own-hashes' | 'masking/own-get' | 'masking/own-set' | 'masking/own-clear'> = {
  'masking/own-hashes': async () => ({ own: await readOwn() }),
  'masking/own-get': async () => ({ own: await readOwn() }),
  'masking/own-set': async (request) => {
    await browser.storage.local.set({ [OWN_IDENTIFIERS_KEY]: request.own });
    return { count: request.own.entries.length };
  },
  'masking/own-clear': async () => {
    await browser.storage.local.remove(OWN_IDENTIFIERS_KEY);
    return { cleared: true };
  },
};

/** Sends a message to the content script of a tab (no-op on tabs where Kalkan does not run). */
export async function sendToTab(tabId: number, message: TabMessage): Promise<unknown> {
  return browser.tabs.sendMessage(tabId, TabMessageSchema.parse(message));
}

/** The keyboard shortcut of the screenshot-safe view (manifest `commands`). */
export function startMaskingCommands(): void {
  browser.commands?.onCommand.addListener((command) => {
    if (command !== SCREENSHOT_SAFE_COMMAND) return;
    void browser.tabs.query({ active: true, currentWindow: true }).then(async ([tab]) => {
      if (tab?.id === undefined) return;
      await sendToTab(tab.id, { type: 'screenshot-safe/toggle' });
    }).catch((error: unknown) => console.warn('[kalkan] screenshot-safe view: this tab has no Kalkan content script.', error));
  });
}
