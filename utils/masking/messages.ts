import { z } from 'zod';
import { StoredOwnIdentifiersSchema } from './own-identifiers.ts';

/**
 * Masking's part of the message protocol (composed in utils/messaging/protocol.ts), plus the messages the
 * extension sends *to* a tab's content script (screenshot-safe view), which have their own direction.
 */

/** Content script → background: the user's own identifiers as salted hashes, to match locally. Unprivileged: the
 * page never sees the answer (it stays in the content script's isolated world), and it holds no clear text. */
export const MaskingOwnHashesRequestSchema = z.object({ type: z.literal('masking/own-hashes') });

/** Options page → background (privileged). */
export const MaskingOwnGetRequestSchema = z.object({ type: z.literal('masking/own-get') });
export const MaskingOwnSetRequestSchema = z.object({ type: z.literal('masking/own-set'), own: StoredOwnIdentifiersSchema });
export const MaskingOwnClearRequestSchema = z.object({ type: z.literal('masking/own-clear') });

export const MaskingResponseSchemas = {
  'masking/own-hashes': z.object({ own: StoredOwnIdentifiersSchema.nullable() }),
  'masking/own-get': z.object({ own: StoredOwnIdentifiersSchema.nullable() }),
  'masking/own-set': z.object({ count: z.number().int().nonnegative() }),
  'masking/own-clear': z.object({ cleared: z.literal(true) }),
} as const;

// --- extension (popup, background command) → content script ------------------------------------------------------

export const TabMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('screenshot-safe/toggle') }),
  z.object({ type: z.literal('screenshot-safe/state') }),
]);
export type TabMessage = z.infer<typeof TabMessageSchema>;

export const ScreenshotSafeStateSchema = z.object({
  active: z.boolean(),
  /** Distinct user names replaced. */
  names: z.number().int().nonnegative(),
});
export type ScreenshotSafeState = z.infer<typeof ScreenshotSafeStateSchema>;
