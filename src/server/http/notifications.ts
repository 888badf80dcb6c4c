/**
 * `GET /1.1/rtm/notifications`: the membership events a client missed,
 * which v4.3.1 fetches after each re-open (protocol.md §8) instead of being
 * pushed them. v4 builds the URL as `https://<api>/1.1<path>` and never
 * drops the version, so only this path is served.
 *
 *   ?client_id=<id>&start_ts=<ms>[&notification_type=permanent][&limit=1..500, default 100]
 *   X-LC-Id, X-LC-Key: the app; X-LC-IM-Session-Token: a token issued to client_id
 *   → {notifications: [{cmd: 'conv', op, serverTs, cid, initBy, m?}], hasMore}
 *
 * Events with serverTs above start_ts, oldest first. v4 pages by asking
 * again from the last serverTs it got. Several events may share a
 * millisecond (serverTs is the wall clock, not a counter), so a page never
 * ends inside one: it may be shorter than `limit`, or longer when a single
 * millisecond holds more. Errors are `{code, error}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCode } from '../../protocol/errors.js';
import { checkSessionToken } from '../auth/token-revocation.js';
import { isValidClientId } from '../handlers/validate.js';
import type { Store, StoredNotification } from '../store/types.js';
import { header, safeEqual } from './headers.js';
import { json } from './respond.js';

export const NOTIFICATIONS_PATH = '/1.1/rtm/notifications';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;
const PARAMETERS: ReadonlySet<string> = new Set(['client_id', 'start_ts', 'notification_type', 'limit']);

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

interface NotificationsQuery {
  clientId: string;
  startTs: number;
  limit: number;
}

/** One event as v4 expects it: flat, the keys besides cmd/op/serverTs become `convMessage`. */
interface NotificationJson {
  cmd: 'conv';
  op: StoredNotification['op'];
  serverTs: number;
  cid: string;
  initBy: string;
  m?: string[];
  info?: { pid: string; role: string };
}

export async function handleNotifications(store: Store, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  try {
    const query = parseQuery(url.searchParams);
    const appId = await authenticate(store, request, query.clientId);
    const page = await store.notificationsAfterTime(appId, query.clientId, query.startTs, query.limit);
    json(response, 200, { notifications: page.notifications.map(toJson), hasMore: page.hasMore });
  } catch (error) {
    if (error instanceof RestError) return json(response, error.status, { code: error.code, error: error.message });
    throw error;
  }
}

/** Refuses unknown or repeated parameters, then reads and checks `client_id`: the start of every client REST query. */
export function clientIdOf(params: URLSearchParams, allowed: ReadonlySet<string>): string {
  for (const name of new Set(params.keys())) {
    if (!allowed.has(name)) throw badRequest(`unknown parameter ${JSON.stringify(name.slice(0, 40))}; expected ${[...allowed].join(', ')}`);
    if (params.getAll(name).length > 1) throw badRequest(`${name} must be given once`);
  }
  const clientId = params.get('client_id');
  if (clientId === null) throw badRequest('client_id is required');
  if (!isValidClientId(clientId)) throw badRequest('client_id must be 1-64 characters without control characters');
  return clientId;
}

function parseQuery(params: URLSearchParams): NotificationsQuery {
  const clientId = clientIdOf(params, PARAMETERS);
  const type = params.get('notification_type');
  if (type !== null && type !== 'permanent') throw badRequest(`notification_type must be permanent (the only kind kept), got ${JSON.stringify(type.slice(0, 40))}`);
  return {
    clientId,
    startTs: integerParam(params, 'start_ts', { min: 0, max: Number.MAX_SAFE_INTEGER }),
    limit: integerParam(params, 'limit', { min: 1, max: MAX_LIMIT, fallback: DEFAULT_LIMIT }),
  };
}

function integerParam(params: URLSearchParams, name: string, range: { min: number; max: number; fallback?: number }): number {
  const text = params.get(name);
  if (text === null) {
    if (range.fallback === undefined) throw badRequest(`${name} is required`);
    return range.fallback;
  }
  const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw badRequest(`${name} must be an integer in ${range.min}..${range.max}, got ${JSON.stringify(text.slice(0, 40))}`);
  }
  return value;
}

/** The app from X-LC-Id + X-LC-Key, and a session token issued to `clientId` in that app. */
export async function authenticate(store: Store, request: IncomingMessage, clientId: string): Promise<string> {
  const appId = header(request, 'x-lc-id');
  const app = appId ? await store.getApp(appId) : undefined;
  if (!app) throw new RestError(401, 401, 'X-LC-Id must name an app');
  const key = header(request, 'x-lc-key');
  if (!key || !safeEqual(key, app.appKey)) throw new RestError(401, 401, 'X-LC-Key must be the app key');
  const token = header(request, 'x-lc-im-session-token');
  if (!token) throw new RestError(401, errorCode('SESSION_REQUIRED'), 'X-LC-IM-Session-Token is required');
  if ((await checkSessionToken(store, app, token))?.clientId !== clientId) {
    throw new RestError(401, errorCode('SESSION_TOKEN_EXPIRED'), `the session token is not a valid, unexpired token of ${clientId}, or was logged out`);
  }
  return app.appId;
}

export function badRequest(message: string): RestError {
  return new RestError(400, 400, message);
}

function toJson(notification: StoredNotification): NotificationJson {
  const { op, serverTs, cid, initBy, members, info } = notification;
  return { cmd: 'conv', op, serverTs, cid, initBy, ...(members ? { m: members } : {}), ...(info ? { info } : {}) };
}
