import { defineContentScript } from 'wxt/utils/define-content-script';
import { WIKIMEDIA_MATCH_PATTERNS } from '../../utils/sites/wikimedia';
import { runKalkan } from './run';

export default defineContentScript({
  // Loopback patterns are added to the e2e build by wxt.config.ts; other sites are registered at runtime.
  matches: WIKIMEDIA_MATCH_PATTERNS,
  runAt: 'document_idle',
  main(ctx) {
    runKalkan(ctx).catch((error: unknown) => console.error('[kalkan] could not start on this page:', error));
  },
});
