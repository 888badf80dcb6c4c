/**
 * The HTTP side of Web Push, for the widgets:
 *
 *   GET    /push/key              → {publicKey}: the VAPID key to subscribe with (public)
 *   POST   /push/subscriptions    {subscription: PushSubscription.toJSON(), lang?} → {subscriptions: n}
 *   DELETE /push/subscriptions    {endpoint} → {}
 *
 * Subscribing and unsubscribing take `X-LC-Id` and a session token
 * (`X-LC-IM-Session-Token`), and act for the client the token was issued
 * to: there is no client id to name, so no client can register a browser
 * for another (whose messages it would then be told of) or remove
 * another's. Bodies are small JSON objects; calls per client are rate
 * limited. Failures are `{code, error}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCode } from '../../protocol/errors.js';
import { checkSessionToken } from '../auth/token-revocation.js';
import { RateLimiter } from '../session/rate-limits.js';
import { header } from '../http/headers.js';
import { json } from '../http/respond.js';
import { readJsonObject, RestFailure, sendFailure } from '../rest/rest-request.js';
import type { Store } from '../store/types.js';
import { LANGUAGE_TAG, MAX_ENDPOINT_LENGTH, parseSubscription, SubscriptionError, SubscriptionsFull } from './subscriptions.js';
import type { WebPush } from './web-push.js';

export const PUSH_KEY_PATH = '/push/key';
export const PUSH_SUBSCRIPTIONS_PATH = '/push/subscriptions';

/** A subscription's JSON with its keys is about 400 bytes; room for a long endpoint. */
const MAX_BODY = 4096;
/** Subscribe and unsubscribe calls per client per minute. */
const CALLS_PER_MINUTE = 20;

/** Answers the push paths; false for any other path. */
export type PushRoutes = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

export function createPushRoutes(store: Store, push: WebPush): PushRoutes {
  const rate = new RateLimiter(CALLS_PER_MINUTE);
  return async (request, response, url) => {
    if (url.pathname !== PUSH_KEY_PATH && url.pathname !== PUSH_SUBSCRIPTIONS_PATH) return false;
    const method = request.method ?? 'GET';
    try {
      if (url.pathname === PUSH_KEY_PATH) {
        if (method !== 'GET' && method !== 'HEAD') throw new RestFailure(405, 405, 'read the key with GET');
        json(response, 200, { publicKey: push.keys.publicKey }, 'public, max-age=86400');
        return true;
      }
      if (method !== 'POST' && method !== 'DELETE') throw new RestFailure(405, 405, 'subscribe with POST, unsubscribe with DELETE');
      const { appId, clientId } = await authenticate(store, request);
      if (rate.take(`${appId}\u0000${clientId}`) > 0) throw new RestFailure(429, 429, `at most ${CALLS_PER_MINUTE} subscription changes per minute`);
      const body = await readJsonObject(request, MAX_BODY);
      if (method === 'DELETE') {
        const { endpoint } = body;
        if (typeof endpoint !== 'string' || endpoint.length > MAX_ENDPOINT_LENGTH) throw new RestFailure(400, 107, 'endpoint must be the subscription\'s endpoint');
        await push.subscriptions.remove(appId, clientId, endpoint);
        json(response, 200, {});
        return true;
      }
      const { subscription, lang } = body;
      if (lang !== undefined && (typeof lang !== 'string' || !LANGUAGE_TAG.test(lang))) throw new RestFailure(400, 107, 'lang must be a language tag such as en or zh-CN');
      const parsed = parseSubscription(subscription, { hosts: push.settings.endpointHosts, allowLoopback: push.settings.allowLoopback });
      const count = await push.subscriptions.add(appId, clientId, { ...parsed, ...(lang !== undefined ? { lang } : {}) });
      json(response, 200, { subscriptions: count });
    } catch (error) {
      if (error instanceof SubscriptionError) sendFailure(response, new RestFailure(error instanceof SubscriptionsFull ? 503 : 400, 107, error.message));
      else if (error instanceof RestFailure) sendFailure(response, error);
      else throw error;
    }
    return true;
  };
}

/** The app and the client of a valid, unexpired, not logged-out session token. */
async function authenticate(store: Store, request: IncomingMessage): Promise<{ appId: string; clientId: string }> {
  const appId = header(request, 'x-lc-id');
  const app = appId && appId.length <= 64 ? await store.getApp(appId) : undefined;
  if (!app) throw new RestFailure(401, 401, 'X-LC-Id must name an app');
  const token = header(request, 'x-lc-im-session-token');
  if (!token) throw new RestFailure(401, errorCode('SESSION_REQUIRED'), 'X-LC-IM-Session-Token is required');
  const facts = await checkSessionToken(store, app, token);
  if (!facts) throw new RestFailure(401, errorCode('SESSION_TOKEN_EXPIRED'), 'the session token is invalid, expired or logged out');
  return { appId: app.appId, clientId: facts.clientId };
}
