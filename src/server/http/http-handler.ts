import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { handleDownload, handleUpload, type FileRoutesDeps } from './files.js';
import { handleMemberInfo, MEMBER_INFO_PATH } from './member-info.js';
import { handleNotifications, NOTIFICATIONS_PATH } from './notifications.js';
import type { RestHandler } from '../rest/rest-api.js';
import { json } from './respond.js';

export interface HttpDeps extends FileRoutesDeps {
  /** `POST /sign` for the development app, or null. */
  devSign: ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | null;
  demoDir: string | null;
  /** Facts for /health. */
  stats(): Record<string, number>;
  /** What `GET /limits` tells clients. */
  limits: ServerLimits;
  /** `GET /metrics`, or null when the operator turned metrics off. */
  metrics: ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | null;
  /** The server-side REST API (master key); answers false for paths not its own. */
  rest: RestHandler | null;
  /** Where the router endpoints send clients (`--public-url`, checked), or null for the Host they came to. */
  publicUrl: string | null;
}

/**
 * The limits a client should check before sending, so that it can refuse
 * (and say why) instead of having the server close the socket or cut an
 * upload short. Public: every page embedding the widget needs them, and
 * they say nothing an attempt would not reveal.
 */
export interface ServerLimits {
  /** Largest WebSocket frame accepted (`--max-payload`), in bytes: a message's command must fit. */
  maxPayload: number;
  /** Largest file `POST /files` accepts (`--max-upload`), in bytes. */
  maxUploadBytes: number;
}

/** How long clients may cache `GET /limits`, in seconds: limits change only with a restart. */
const LIMITS_TTL = 300;

/** How long clients may cache the router answers, in seconds. */
const ROUTE_TTL = 3600;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webm': 'video/webm',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The HTTP side of the one port: health, the router endpoints the official
 * SDKs ask for the WebSocket address, v4's notification fetch, the file
 * service and the demo pages.
 */
export function createHttpHandler(deps: HttpDeps) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method === 'OPTIONS') return preflight(response);
      if (deps.rest && (await deps.rest(request, response, url))) return;
      if (url.pathname === '/sign' && deps.devSign) return await deps.devSign(request, response);
      if (url.pathname === '/files') {
        if (request.method !== 'POST') return json(response, 405, { code: 405, error: 'upload with POST' });
        return await handleUpload(deps, request, response, url);
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') return json(response, 405, { code: 405, error: 'method not allowed' });
      const file = /^\/files\/([^/]+)(?:\/[^/]*)?$/.exec(url.pathname);
      if (file) return await handleDownload(deps, request, response, file[1]!);
      switch (url.pathname) {
        case '/metrics':
          if (!deps.metrics) return json(response, 404, { code: 404, error: 'metrics are off (--no-metrics)' });
          return await deps.metrics(request, response);
        case '/health':
          return json(response, 200, { status: 'ok', ...deps.stats() });
        case '/limits':
          return json(response, 200, deps.limits, `public, max-age=${LIMITS_TTL}`);
        case NOTIFICATIONS_PATH:
          return await handleNotifications(deps.store, request, response, url);
        case MEMBER_INFO_PATH:
          return await handleMemberInfo(deps.store, request, response, url);
        case '/1/route':
        case '/2/route':
        case '/v1/route':
          return await route(deps, request, response, url);
        default:
          return await serveStatic(deps.demoDir, url.pathname, request, response);
      }
    } catch (error) {
      if (!response.headersSent) json(response, 500, { code: 4200, error: 'internal error' });
      else response.destroy(error as Error);
    }
  };
}

async function route(deps: HttpDeps, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const appId = url.searchParams.get('appId');
  if (!appId) return json(response, 400, { code: 4100, error: 'appId is required' });
  if (!(await deps.store.getApp(appId))) return json(response, 404, { code: 4100, error: `unknown app ${appId}` });
  let host: string;
  let ws: string;
  if (deps.publicUrl !== null) {
    // The SDKs build `https://<host>/v1/route` and `https://<api host>/1.1/...` from these host answers:
    // a public URL with a path (a balancer routing /chat/ to the nodes) keeps it there too.
    const url = new URL(deps.publicUrl);
    host = url.host + url.pathname.replace(/\/+$/, '');
    ws = deps.publicUrl;
  } else {
    host = request.headers.host ?? 'localhost';
    const secure = request.headers['x-forwarded-proto'] === 'https' || (request.socket as { encrypted?: boolean }).encrypted === true;
    ws = `${secure ? 'wss' : 'ws'}://${host}/`;
  }
  switch (url.pathname) {
    case '/1/route': // v3 app router: where the push router lives
      return json(response, 200, { push_router_server: host, ttl: ROUTE_TTL });
    case '/2/route': // v4 app router: RTM router and REST API hosts
      return json(response, 200, { rtm_router_server: host, api_server: host, push_server: host, ttl: ROUTE_TTL });
    default: // the RTM router: the WebSocket addresses themselves
      return json(response, 200, { server: ws, secondary: ws, ttl: ROUTE_TTL });
  }
}

async function serveStatic(root: string | null, pathname: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!root) return json(response, 404, { code: 404, error: 'not found' });
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return json(response, 400, { code: 400, error: 'bad path' });
  }
  // Resolve inside root only: normalize, then refuse anything that climbs out.
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  if (relative.split(/[/\\]/).includes('..') || decoded.includes('\0')) return json(response, 400, { code: 400, error: 'bad path' });
  let file = join(root, relative);
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep) && file !== root) return json(response, 400, { code: 400, error: 'bad path' });
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) return json(response, 404, { code: 404, error: 'not found' });
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file).pipe(response);
}

function preflight(response: ServerResponse): void {
  response.writeHead(204, {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, X-LC-Id, X-LC-Key, X-LC-IM-Session-Token',
    'Access-Control-Max-Age': '86400',
  });
  response.end();
}
