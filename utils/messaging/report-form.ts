import { z } from 'zod';

/**
 * The one message the background sends to extension pages: "is this draft's form open?". An open report form
 * answers with its tab (so the background focuses it instead of opening another) and reloads the draft's
 * evidence. Content scripts never receive it: runtime messages from the background reach extension pages only.
 */
export const FormPingSchema = z.object({ type: z.literal('report-form/ping'), draftId: z.uuid() });
export type FormPing = z.infer<typeof FormPingSchema>;
export const FormPongSchema = z.object({ tabId: z.number().int(), windowId: z.number().int() });
export type FormPong = z.infer<typeof FormPongSchema>;
