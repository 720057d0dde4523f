import { responseSchemaFor, type AnyRequest, type ResponseData } from './protocol';

/** Transport: browser.runtime.sendMessage in the extension, a direct call in tests. */
export type Transport = (message: unknown) => Promise<unknown>;

export class MessageError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'MessageError';
  }
}

/**
 * Sends one request and validates the answer against the schema for its type, so a confused or compromised
 * peer cannot hand the caller data of the wrong shape.
 */
export async function request<R extends AnyRequest>(
  transport: Transport,
  message: R,
): Promise<ResponseData<R['type']>> {
  const raw = await transport(message);
  const parsed = responseSchemaFor(message.type).safeParse(raw);
  if (!parsed.success) {
    throw new MessageError('invalid-response', `Kalkan's background answered "${message.type}" in an unexpected shape; reload the extension.`);
  }
  if (!parsed.data.ok) throw new MessageError(parsed.data.error.code, parsed.data.error.message);
  return parsed.data.data as ResponseData<R['type']>;
}
