import type { OwnIdentifiersSettingsProps } from '../../components/OwnIdentifiersSettings';
import { request, type Transport } from '../../utils/messaging/client';
import { regionsFor } from '../../utils/masking/regions';

/** Wires the own-identifiers section to the background (salted hashes only cross the message boundary). */
export function ownIdentifiersProps(send: Transport): OwnIdentifiersSettingsProps {
  return {
    load: async () => (await request(send, { type: 'masking/own-get' })).own,
    save: async (own) => void (await request(send, { type: 'masking/own-set', own })),
    clear: async () => void (await request(send, { type: 'masking/own-clear' })),
    regions: regionsFor(navigator.language, navigator.languages),
  };
}
