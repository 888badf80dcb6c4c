/**
 * What every server-side REST call shares: master-key authentication,
 * a bounded JSON body, and `{code, error}` answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCode, type ErrorName } from '../../protocol/errors.js';
import { header, safeEqual } from '../http/headers.js';
import { json } from '../http/respond.js';
import type { Store } from '../store/types.js';

/** A refusal with its HTTP status and LeanCloud code. */
export class RestFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  /** 400 with a protocol error's code. */
  static bad(name: ErrorName, message: string): RestFailure {
    return new RestFailure(400, errorCode(name), message);
  }
}

/**
 * The app a request acts for. Only `X-LC-Key: <master key>,master` of the
 * app named by `X-LC-Id` is accepted, compared in constant time: the app
 * key is public (every web page carries it) and a session token is one
 * client's, so neither may act as the server. Every refusal is the same
 * 401, so a caller cannot tell an unknown app from a wrong key.
 */
export async function authenticateMaster(store: Store, request: IncomingMessage): Promise<string> {
  const appId = header(request, 'x-lc-id');
  const key = header(request, 'x-lc-key');
  const refused = new RestFailure(401, 401, 'unauthorized: X-LC-Id and X-LC-Key: <master key>,master are required');
  if (!appId || !key || !key.endsWith(',master') || appId.length > 64) throw refused;
  const app = await store.getApp(appId);
  const given = key.slice(0, -',master'.length);
  // Compared even for an unknown app, so the time taken does not say which apps exist.
  const ok = safeEqual(given, app?.masterKey ?? '\u0000'.repeat(given.length + 1));
  if (!app || !ok) throw refused;
  return appId;
}

/**
 * The request's JSON object body, at most `maxBytes`: a larger one is
 * refused as it arrives (413), before it is held in memory.
 */
export async function readJsonObject(request: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new RestFailure(413, 413, `body larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      request.destroy();
      throw new RestFailure(413, 413, `body larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new RestFailure(400, 107, 'the body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new RestFailure(400, 107, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

/** Answers a failure as `{code, error}`; anything else is an internal error (500, logged by the caller). */
export function sendFailure(response: ServerResponse, failure: RestFailure): void {
  if (response.headersSent) return void response.destroy();
  json(response, failure.status, { code: failure.code, error: failure.message });
}

/** Refuses keys the endpoint does not know: a typo must not silently do something else. */
export function onlyKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw new RestFailure(400, 107, `unknown field ${JSON.stringify(key.slice(0, 64))}`);
  }
}
