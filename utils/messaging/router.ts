import type { z } from 'zod';
import {
  CONTENT_SCRIPT_ALLOWED_TYPES,
  ContentRequestSchema,
  ExtensionPageRequestSchema,
  type AnyRequest,
  type ErrorCode,
  type Response,
  type ResponseData,
} from './protocol';
import { classifySender, type SenderInfo } from './sender';

/** One handler per request type; each receives the parsed request and who sent it. */
export type Handlers<Context> = {
  [T in AnyRequest['type']]: (
    request: Extract<AnyRequest, { type: T }>,
    context: Context,
  ) => Promise<ResponseData<T>>;
};

export class RequestError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

export interface RouterOptions<Context> {
  extensionId: string;
  extensionOrigin: string;
  handlers: Handlers<Context>;
  makeContext: (sender: SenderInfo) => Context;
  onError?: (error: unknown, type: string) => void;
}

/**
 * Validates and dispatches one incoming message. Never throws: every failure becomes an error response, so a
 * bad message from a page cannot break the background.
 */
export async function routeMessage<Context>(
  raw: unknown,
  sender: SenderInfo,
  options: RouterOptions<Context>,
): Promise<Response<AnyRequest['type']>> {
  const zone = classifySender(sender, options.extensionId, options.extensionOrigin);
  if (zone === 'foreign') return fail('forbidden-sender', 'Messages are accepted only from Kalkan itself.');
  const schema: z.ZodType<AnyRequest> = zone === 'extension-page' ? ExtensionPageRequestSchema : ContentRequestSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String(raw.type) : '';
    if (zone === 'content-script' && type && !CONTENT_SCRIPT_ALLOWED_TYPES.has(type)) {
      return fail('forbidden-sender', `"${type}" may only be sent from Kalkan's own pages.`);
    }
    return fail('invalid-message', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  const request = parsed.data;
  const handler = options.handlers[request.type] as (r: AnyRequest, c: Context) => Promise<unknown>;
  try {
    const data = await handler(request, options.makeContext(sender));
    return { ok: true, data } as Response<AnyRequest['type']>;
  } catch (error) {
    options.onError?.(error, request.type);
    if (error instanceof RequestError) return fail(error.code, error.message);
    return fail('internal', 'Kalkan hit an internal error; reload the page, and report it if it happens again.');
  }
}

function fail(code: ErrorCode, message: string): Response<AnyRequest['type']> {
  return { ok: false, error: { code, message } };
}
