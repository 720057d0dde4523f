import { z } from 'zod';
import { InteractionObservationSchema, MAX_OBSERVATIONS_PER_REQUEST, MAX_USER_CHARS, ObservedPageSchema } from './schema';

/**
 * Targeting's messages, added to the one protocol in utils/messaging/protocol.ts. Both come from content scripts
 * and are unprivileged: they add public facts the page already shows (who replied to whom, when) to the log and
 * open an extension page; neither returns anything stored. The log itself is read only by the patroller page
 * (extension origin, straight from the database).
 */

const LocationSchema = z.object({
  origin: z.string().url(),
  scriptPath: z.string().regex(/^(\/[^?#]*)?$/),
});

export const TargetingRecordRequestSchema = z.object({
  type: z.literal('targeting/record'),
  location: LocationSchema,
  page: ObservedPageSchema,
  contentLanguage: z.string().min(1).max(32),
  observations: z.array(InteractionObservationSchema).max(MAX_OBSERVATIONS_PER_REQUEST),
});
export type TargetingRecordRequest = z.infer<typeof TargetingRecordRequestSchema>;

/** The on-page indicator was clicked: open the patroller view on that pair. */
export const TargetingOpenPairRequestSchema = z.object({
  type: z.literal('targeting/open-pair'),
  location: LocationSchema,
  from: z.string().min(1).max(MAX_USER_CHARS),
  to: z.string().min(1).max(MAX_USER_CHARS),
});

export const TargetingResponseSchemas = {
  /** The threshold is the user's setting for the on-page indicator (not private: it only shapes this page's view). */
  'targeting/record': z.object({ added: z.number().int().nonnegative(), updated: z.number().int().nonnegative(), pageThreshold: z.number().int().min(1) }),
  'targeting/open-pair': z.object({ opened: z.literal(true) }),
} as const;

/** The patroller page's address for one pair (hash parameters, so nothing reaches a server). */
export const PATROL_PAGE = '/patrol.html';
export function patrolPairHash(wikiId: string, from: string, to: string): string {
  return `#${new URLSearchParams({ wiki: wikiId, from, to })}`;
}
