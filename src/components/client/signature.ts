/**
 * Signature factories backed by the page owner's endpoints:
 * `signature-url` gets `POST {clientId}`, `conversation-signature-url`
 * gets `POST {conversationId, clientId, members, action}`; both answer
 * `{signature, timestamp, nonce}`. Cookies go along (`credentials:
 * include`), since the endpoint decides who the visitor is.
 */
import type { ConversationSignatureFactory, SignatureFactory, SignatureResult } from '../../sdk/index.js';

/** A signature endpoint failed or answered something that is not a signature. */
export class SignatureError extends Error {
  override readonly name = 'SignatureError';
  /** The HTTP status, or 0 when the request itself failed. */
  readonly status: number;

  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

async function fetchSignature(url: string, body: Record<string, unknown>): Promise<SignatureResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new SignatureError(`signature request to ${url} failed`, 0, { cause: error });
  }
  if (!response.ok) throw new SignatureError(`signature endpoint answered ${response.status}`, response.status);
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    throw new SignatureError('signature endpoint answered something other than JSON', response.status, { cause: error });
  }
  const { signature, timestamp, nonce } = (json ?? {}) as Partial<SignatureResult>;
  if (typeof signature !== 'string' || typeof timestamp !== 'number' || typeof nonce !== 'string') {
    throw new SignatureError('signature endpoint answered without {signature, timestamp, nonce}', response.status);
  }
  return { signature, timestamp, nonce };
}

export function loginSignatureFactory(url: string): SignatureFactory {
  return (clientId) => fetchSignature(url, { clientId });
}

export function conversationSignatureFactory(url: string): ConversationSignatureFactory {
  return (conversationId, clientId, members, action) => fetchSignature(url, { conversationId, clientId, members, action });
}
