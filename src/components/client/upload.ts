/**
 * File uploads to the lc-chat server (`POST /files?name=…`, raw bytes),
 * through XMLHttpRequest because fetch cannot report upload progress.
 * Authenticated by the app key (`X-LC-Id` + `X-LC-Key`) when the page gave
 * one, else by the logged-in client's session token (`X-LC-IM-Session-Token`).
 */

// The server's own sniffing (pure, a few signatures), so the widget refuses
// exactly what the server would refuse.
import { SNIFF_BYTES, sniff } from '../../server/files/content-type.js';

/** What the server answers for an upload. */
export interface UploadedFile {
  objectId: string;
  url: string;
  name: string;
  size: number;
  mimeType: string;
}

export class UploadError extends Error {
  override readonly name = 'UploadError';
  /**
   * HTTP status, or 0 when the request failed or was cancelled. A file
   * refused before uploading gets the status the server would have
   * answered: 413 (too large) or 415 (not what its type says).
   */
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/** Families whose bytes the server checks against the claimed type (it answers 415 otherwise). */
const CHECKED_FAMILIES = new Set(['image', 'audio', 'video']);

/**
 * Why the server would refuse this file, found before sending a byte of
 * it: over `maxUploadBytes` (413), or claiming to be an image, audio or
 * video its first bytes are not (415, the same test the server runs).
 */
export async function precheckUpload(file: Blob, maxUploadBytes: number | undefined): Promise<UploadError | undefined> {
  if (maxUploadBytes !== undefined && file.size > maxUploadBytes) {
    return new UploadError(`file larger than ${maxUploadBytes} bytes`, 413);
  }
  const claimed = file.type.split(';')[0]!.trim().toLowerCase();
  const family = claimed.split('/')[0]!;
  if (!CHECKED_FAMILIES.has(family)) return undefined;
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const actual = sniff(head);
  if (actual.family !== family) return new UploadError(`the bytes are not ${claimed} (they look like ${actual.mime})`, 415);
  return undefined;
}

export type UploadCredentials = { appKey: string } | { sessionToken: string };

export interface UploadOptions {
  /** `https://host` of the lc-chat server. */
  httpUrl: string;
  appId: string;
  credentials: UploadCredentials;
  /** Called with the fraction sent, 0..1. */
  onProgress?: (fraction: number) => void;
  /** Aborts the upload. */
  signal?: AbortSignal;
}

/** The server's HTTP origin for a `ws(s)://` or `http(s)://` server URL. */
export function httpOrigin(server: string): string {
  const url = new URL(server.replace(/^ws(s?):\/\//i, 'http$1://'));
  return url.origin;
}

export function uploadFile(file: Blob & { name?: string }, options: UploadOptions): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const name = file.name || 'file';
    request.open('POST', `${options.httpUrl}/files?name=${encodeURIComponent(name)}`);
    request.setRequestHeader('X-LC-Id', options.appId);
    const { credentials } = options;
    if ('appKey' in credentials) request.setRequestHeader('X-LC-Key', credentials.appKey);
    else request.setRequestHeader('X-LC-IM-Session-Token', credentials.sessionToken);
    if (file.type) request.setRequestHeader('Content-Type', file.type);
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      const body = request.response as Partial<{ objectId: string; url: string; name: string; size: number; mime_type: string; error: string }> | null;
      if (request.status !== 201 || !body?.url || !body.objectId) {
        reject(new UploadError(body?.error ?? `upload failed (${request.status})`, request.status));
        return;
      }
      resolve({ objectId: body.objectId, url: body.url, name: body.name ?? name, size: body.size ?? file.size, mimeType: body.mime_type ?? file.type });
    };
    request.onerror = () => reject(new UploadError('upload failed: the server could not be reached', 0));
    request.onabort = () => reject(new UploadError('upload cancelled', 0));
    if (options.signal?.aborted) return reject(new UploadError('upload cancelled', 0));
    options.signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(file);
  });
}

/** How long measuring a file may take before it is sent without its size. */
const MEASURE_TIMEOUT_MS = 3_000;

/**
 * Width and height of an image or video, duration of audio or video, as the
 * browser decodes them (what receivers need to lay the message out before
 * it loads). Undefined when the browser cannot tell in time.
 */
export async function mediaSize(file: Blob): Promise<{ width?: number; height?: number; duration?: number } | undefined> {
  const family = file.type.split('/')[0];
  if (family !== 'image' && family !== 'video' && family !== 'audio') return undefined;
  const url = URL.createObjectURL(file);
  try {
    const measure =
      family === 'image'
        ? (async () => {
            const image = new Image();
            image.src = url;
            await image.decode();
            return { width: image.naturalWidth, height: image.naturalHeight };
          })()
        : new Promise<{ width?: number; height?: number; duration?: number }>((resolve, reject) => {
            const media = document.createElement(family);
            media.preload = 'metadata';
            media.onloadedmetadata = () => {
              const duration = Number.isFinite(media.duration) ? media.duration : undefined;
              const video = media instanceof HTMLVideoElement && media.videoWidth ? { width: media.videoWidth, height: media.videoHeight } : {};
              resolve({ ...video, ...(duration !== undefined ? { duration } : {}) });
            };
            media.onerror = () => reject(new Error('not decodable'));
            media.src = url;
          });
    const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), MEASURE_TIMEOUT_MS));
    return await Promise.race([measure, timeout]);
  } catch {
    // Not decodable here: sent without its size.
    return undefined;
  } finally {
    URL.revokeObjectURL(url);
  }
}
