import type { HighlightSettingsProps } from '../../components/HighlightSettings';
import { request, type Transport } from '../../utils/messaging/client';

/** Wires the highlighting section of the options page to the background (all privileged requests). */
export function highlightSettingsProps(send: Transport): HighlightSettingsProps {
  return {
    load: () => request(send, { type: 'highlight/settings/get' }),
    save: (wikiId, settings) => request(send, { type: 'highlight/settings/set', wikiId, settings }),
    importPack: (json) => request(send, { type: 'highlight/packs/import', json }),
    exportPack: async (source, lang, name) => (await request(send, { type: 'highlight/packs/export', source, lang, name })).json,
    removePack: (lang, name) => request(send, { type: 'highlight/packs/remove', lang, name }),
    download(filename, text) {
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.click();
      // Revoked after the click has started the download.
      setTimeout(() => URL.revokeObjectURL(url), 1_000);
    },
  };
}
