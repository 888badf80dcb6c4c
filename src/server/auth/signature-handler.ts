import type { IncomingMessage, ServerResponse } from 'node:http';
import { conversationSigningString, loginSigningString, sign, type ConversationAction, type Signature } from './signature.js';

/** What the app server is asked to allow. */
export type SignatureRequest =
  | { kind: 'login'; clientId: string }
  | { kind: 'conversation'; clientId: string; conversationId: string | null; members: string[]; action: ConversationAction };

export interface SignatureHandlerOptions {
  appId: string;
  /** Stays on the app server: it is what the signature proves possession of. */
  masterKey: string;
  /**
   * The app's own check, e.g. that the logged-in user (from the request's
   * cookie or token) is `clientId` and may do `action`. Resolve false to refuse.
   */
  authorize(request: SignatureRequest, http: IncomingMessage): boolean | Promise<boolean>;
}

const MAX_BODY_BYTES = 64 * 1024;
const MAX_MEMBERS = 500;
const ACTIONS: readonly string[] = ['create', 'add', 'remove'];

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * A plain Node `(req, res)` handler (works with `http.createServer` and
 * Express) that signs logins and conversation operations for the
 * `signature-url` / `conversation-signature-url` of the widgets and for
 * the SDKs' signature factories.
 *
 * `POST {clientId}` signs a login; `POST {clientId, conversationId,
 * members, action}` a conversation operation (`action`: create, add or
 * remove). Answers `{signature, timestamp, nonce}`.
 */
export function createSignatureHandler(options: SignatureHandlerOptions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      if (request.method !== 'POST') throw new HttpError(405, 'use POST');
      const body = parseRequest(await readJson(request));
      if (!(await options.authorize(body, request))) throw new HttpError(403, 'not authorized');
      send(response, 200, signFor(options, body));
    } catch (error) {
      if (error instanceof HttpError) send(response, error.status, { error: error.message });
      else send(response, 500, { error: 'signing failed' });
    }
  };
}

/** Signs an already authorized request. */
export function signFor(options: { appId: string; masterKey: string }, request: SignatureRequest): Signature {
  if (request.kind === 'login') {
    return sign(options.masterKey, (t, n) => loginSigningString(options.appId, request.clientId, t, n));
  }
  if (request.action === 'create' && request.members.length === 0) throw new TypeError('a create lists its members, the creator included');
  return sign(options.masterKey, (t, n) =>
    conversationSigningString(options.appId, request.clientId, request.conversationId, request.members, t, n, request.action),
  );
}

function parseRequest(body: unknown): SignatureRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'expected a JSON object');
  const { clientId, conversationId, members, action } = body as Record<string, unknown>;
  if (!isClientId(clientId)) throw new HttpError(400, 'clientId must be a string of 1-64 characters');
  if (action === undefined && members === undefined && conversationId === undefined) return { kind: 'login', clientId };
  if (typeof action !== 'string' || !ACTIONS.includes(action)) throw new HttpError(400, 'action must be create, add or remove');
  if (!Array.isArray(members) || members.length > MAX_MEMBERS || !members.every(isClientId)) {
    throw new HttpError(400, `members must be an array of up to ${MAX_MEMBERS} client ids`);
  }
  if (action !== 'create' && (typeof conversationId !== 'string' || !conversationId)) throw new HttpError(400, 'conversationId is required');
  // A create over no members signs the login string: it would log in.
  if (action === 'create' && members.length === 0) throw new HttpError(400, 'a create lists its members, the creator included');
  return {
    kind: 'conversation',
    clientId,
    conversationId: typeof conversationId === 'string' ? conversationId : null,
    members: members as string[],
    action: action as ConversationAction,
  };
}

function isClientId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  response.end(text);
}
