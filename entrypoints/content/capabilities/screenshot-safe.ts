import browser, { type Runtime } from 'webextension-polyfill';
import type { Capability } from '../../../utils/capabilities/registry';
import { TabMessageSchema, type ScreenshotSafeState } from '../../../utils/masking/messages';
import { PseudonymView } from '../masking/pseudonyms';
import type { PageRun } from '../run';

/**
 * Screenshot-safe view: toggled from the popup or the keyboard shortcut (the background forwards the manifest
 * command). Only messages from Kalkan itself are obeyed: a tab message from the extension has no `tab` sender,
 * and the page cannot send runtime messages into the content script at all.
 */
export const screenshotSafeCapability: Capability<PageRun> = {
  id: 'screenshot-safe',
  appliesTo: () => true,
  init: (run, signal) => {
    const view = new PseudonymView(run.document, run.profile, run.ui.t, signal);
    const listener = (message: unknown, sender: Runtime.MessageSender): Promise<ScreenshotSafeState> | undefined => {
      if (sender.id !== browser.runtime.id || sender.tab) return undefined;
      const parsed = TabMessageSchema.safeParse(message);
      if (!parsed.success) return undefined;
      if (parsed.data.type === 'screenshot-safe/toggle') return view.toggle();
      return Promise.resolve(view.state());
    };
    browser.runtime.onMessage.addListener(listener);
    signal.addEventListener('abort', () => {
      browser.runtime.onMessage.removeListener(listener);
      view.restore();
    }, { once: true });
  },
};
