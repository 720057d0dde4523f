import browser, { type Runtime } from 'webextension-polyfill';
import { defineBackground } from 'wxt/utils/define-background';
import { routeMessage } from '../../utils/messaging/router';
import type { Handlers } from '../../utils/messaging/router';
import { coreHandlers, forgetTab, type HandlerContext } from './handlers';
import { syncRegistrations } from './sites';
import { startTargeting, targetingHandlers } from './targeting';
import { highlightHandlers } from './highlight';
import { reportingHandlers, startReporting } from './reporting';
import { maskingHandlers, startMaskingCommands } from './masking';
import { i18nHandlers } from './i18n';
import { startE2eHooks } from './e2e-hooks';

/** Every request type's handler; each domain adds its map here (one line each). */
const handlers: Handlers<HandlerContext> = { ...coreHandlers, ...reportingHandlers, ...highlightHandlers, ...maskingHandlers, ...targetingHandlers, ...i18nHandlers };

export default defineBackground(() => {
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
    routeMessage<HandlerContext>(message, sender, {
      extensionId: browser.runtime.id,
      extensionOrigin,
      handlers,
      makeContext: (info) => ({ sender: info }),
      onError: (error, type) => console.error(`[kalkan] ${type} failed:`, error),
    }),
  );
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  // Outbox: resume interrupted sends, retry on alarms, apply retention (every worker start).
  startReporting();
  startMaskingCommands();
  startTargeting();
  // Test build only: lets Firefox e2e tests open extension pages (see e2e-hooks.ts).
  if (__KALKAN_E2E__) startE2eHooks();
  // Registered scripts can be lost with a browser profile reset or a revoked permission: re-check at start.
  void syncRegistrations().catch((error: unknown) => console.error('[kalkan] site registration failed:', error));
});
