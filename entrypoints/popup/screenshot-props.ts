import browser from 'webextension-polyfill';
import type { ScreenshotSafeButtonProps } from '../../components/ScreenshotSafeButton';
import { ScreenshotSafeStateSchema, type TabMessage } from '../../utils/masking/messages';

const COMMAND = 'toggle-screenshot-safe';

/** The popup talks to the tab's content script directly (tabs.sendMessage needs no permission). */
export function screenshotSafeProps(tabId: () => Promise<number | undefined>): ScreenshotSafeButtonProps {
  const send = async (message: TabMessage) => {
    const id = await tabId();
    if (id === undefined) throw new Error('no active tab');
    return ScreenshotSafeStateSchema.parse(await browser.tabs.sendMessage(id, message));
  };
  return {
    getState: () => send({ type: 'screenshot-safe/state' }),
    toggle: () => send({ type: 'screenshot-safe/toggle' }),
    loadShortcut: async () => (await browser.commands.getAll()).find((c) => c.name === COMMAND)?.shortcut ?? '',
  };
}
