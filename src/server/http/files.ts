/**
 * The file service: `POST /files?name=<file name>` with the raw bytes as the
 * body uploads; `GET /files/<id>/<name>` downloads. Uploads are
 * authenticated by a session token (`X-LC-Id` + `X-LC-IM-Session-Token`)
 * or, unless the server turned it off, the app key (`X-LC-Id` +
 * `X-LC-Key`). The app key is public (every page embedding the app has
 * it), so app-key uploads are anonymous: they are rate-limited per remote
 * address, token uploads per client, and all of an app's files together
 * by its storage quota.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkSessionToken } from '../auth/token-revocation.js';
import { isInlineSafe, sniff } from '../files/content-type.js';
import { FileTooLargeError, type FileStore } from '../files/file-store.js';
import type { StorageQuota } from '../files/storage-quota.js';
import type { RateLimiter } from '../session/rate-limits.js';
import type { Store } from '../store/types.js';
import { header, safeEqual } from './headers.js';
import { json } from './respond.js';

export interface FileRoutesDeps {
  store: Store;
  files: FileStore;
  maxUploadBytes: number;
  /** Uploads per client (token) or per remote address (app key), per minute. */
  uploadRate: RateLimiter;
  storageQuota: StorageQuota;
  /** Whether the public app key alone may upload. */
  appKeyUploads: boolean;
}

class UploadError extends Error {
  constructor(readonly status: number, message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

const MAX_NAME_LENGTH = 255;

/** Keeps a display name: no path, no control characters, bounded length. */
export function cleanFileName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const base = raw.split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const name = base === '.' || base === '..' ? '' : base;
  return name.slice(0, MAX_NAME_LENGTH) || 'file';
}

export async function handleUpload(deps: FileRoutesDeps, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  let settle = (_stored: number): void => {};
  try {
    const { appId, uploadedBy } = await authenticate(deps, request);
    const uploader = uploadedBy === null ? `address ${request.socket.remoteAddress ?? ''}` : `client ${uploadedBy}`;
    const wait = deps.uploadRate.take(`${appId}\u0000${uploader}`);
    if (wait > 0) {
      throw new UploadError(429, `at most ${deps.uploadRate.perMinute} uploads per minute per ${uploadedBy === null ? 'address with the app key' : 'client'}`, Math.ceil(wait / 1000));
    }
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (declared > deps.maxUploadBytes) throw new UploadError(413, `file larger than ${deps.maxUploadBytes} bytes`);
    // Node's parser holds a body to its Content-Length; without one, room for the largest file is held.
    const reservation = await deps.storageQuota.reserve(appId, declared >= 0 ? declared : deps.maxUploadBytes);
    const quotaFull = `the app's storage quota of ${deps.storageQuota.bytesPerApp} bytes is used up`;
    if (!reservation || declared > reservation.bytes) {
      reservation?.settle(0);
      throw new UploadError(413, quotaFull);
    }
    settle = reservation.settle;
    const name = cleanFileName(url.searchParams.get('name') ?? '');
    const claimed = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const record = await deps.files.put({
      appId,
      name,
      uploadedBy,
      body: request,
      maxBytes: reservation.bytes,
      check: (head) => {
        const type = sniff(head);
        const claimedFamily = claimed.split('/')[0];
        if ((claimedFamily === 'image' || claimedFamily === 'audio' || claimedFamily === 'video') && type.family !== claimedFamily) {
          throw new UploadError(415, `the bytes are not ${claimed} (they look like ${type.mime})`);
        }
        return type.mime;
      },
    }).catch((error: unknown) => {
      // Cut short by what is left of the quota, not by the size limit.
      if (error instanceof FileTooLargeError && reservation.bytes < deps.maxUploadBytes) throw new UploadError(413, quotaFull);
      throw error;
    });
    settle(record.size);
    const host = request.headers.host ?? 'localhost';
    const scheme = request.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
    json(response, 201, {
      objectId: record.id,
      url: `${scheme}://${host}/files/${record.id}/${encodeURIComponent(record.name)}`,
      name: record.name,
      size: record.size,
      mime_type: record.mime,
      metaData: { size: record.size, format: record.mime.split('/')[1] ?? '' },
    });
  } catch (error) {
    settle(0);
    // The rest of the body is not wanted: drain it, and end the connection so
    // no client reuses a socket whose request was cut short.
    request.resume();
    response.setHeader('Connection', 'close');
    if (error instanceof UploadError) {
      if (error.retryAfterSeconds !== undefined) {
        response.setHeader('Retry-After', String(error.retryAfterSeconds));
        response.setHeader('Access-Control-Expose-Headers', 'Retry-After');
      }
      return json(response, error.status, { code: error.status, error: error.message });
    }
    if (error instanceof FileTooLargeError) return json(response, 413, { code: 413, error: error.message });
    throw error;
  }
}

export async function handleDownload(deps: FileRoutesDeps, request: IncomingMessage, response: ServerResponse, id: string): Promise<void> {
  const file = await deps.files.get(id);
  if (!file) return json(response, 404, { code: 404, error: 'no such file' });
  const { record } = file;
  const type = { mime: record.mime, family: familyOf(record.mime) } as const;
  const inline = isInlineSafe(type);
  response.writeHead(200, {
    'Content-Type': inline ? record.mime : 'application/octet-stream',
    'Content-Length': record.size,
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${record.name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(record.name)}`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, max-age=31536000, immutable',
    'Access-Control-Allow-Origin': '*',
  });
  if (request.method === 'HEAD') return void response.end();
  file.open().pipe(response);
}

function familyOf(mime: string): 'image' | 'audio' | 'video' | 'binary' {
  const family = mime.split('/')[0];
  return family === 'image' || family === 'audio' || family === 'video' ? family : 'binary';
}

async function authenticate({ store, appKeyUploads }: FileRoutesDeps, request: IncomingMessage): Promise<{ appId: string; uploadedBy: string | null }> {
  const appId = header(request, 'x-lc-id');
  const app = appId ? await store.getApp(appId) : undefined;
  if (!app) throw new UploadError(401, 'X-LC-Id must name an app');
  const token = header(request, 'x-lc-im-session-token');
  if (token) {
    const facts = await checkSessionToken(store, app, token);
    if (!facts) throw new UploadError(401, 'session token invalid, expired or logged out');
    return { appId: app.appId, uploadedBy: facts.clientId };
  }
  const key = header(request, 'x-lc-key');
  if (key && safeEqual(key, app.appKey)) {
    if (!appKeyUploads) throw new UploadError(401, 'this server takes uploads with a session token only: send X-LC-IM-Session-Token');
    return { appId: app.appId, uploadedBy: null };
  }
  throw new UploadError(401, 'send X-LC-Key or X-LC-IM-Session-Token');
}
