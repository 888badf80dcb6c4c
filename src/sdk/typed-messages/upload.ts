/**
 * Uploads bytes to the lc-chat file service (`POST /files?name=…`), with
 * progress: XMLHttpRequest in browsers (fetch cannot report upload
 * progress there), a chunked request body elsewhere.
 */
// UploadError is a module of its own so that code which only recognizes a
// refused upload (the widgets' first load) does not bundle the upload path.
import { UploadError } from './upload-error.js';

export { UploadError };

/** Upload progress, as in a browser's `ProgressEvent`. */
export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes in all. */
  total: number;
  /** `loaded / total` in percent, 0 to 100. */
  percent: number;
}

/** The file service's answer to an upload. */
export interface UploadedFile {
  objectId: string;
  url: string;
  name: string;
  /** Bytes. */
  size: number;
  /** The media type the server found in the bytes (the JSON's `mime_type`). */
  mimeType: string;
  /** @deprecated The JSON field's spelling; use {@link UploadedFile.mimeType}. */
  mime_type: string;
  metaData?: { size?: number; format?: string };
}

/** @internal One upload. */
export interface UploadRequest {
  /** The server's HTTP base URL. */
  server: string;
  name: string;
  mime: string;
  body: Uint8Array<ArrayBuffer> | Blob;
  headers: Record<string, string>;
  onprogress?: ((progress: UploadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}


/** Bytes per chunk of a streamed body: the granularity of progress events. */
const CHUNK_BYTES = 64 * 1024;

/** @internal Uploads a file and returns the server's record of it. */
export async function upload(request: UploadRequest): Promise<UploadedFile> {
  const url = new URL('/files', request.server);
  url.searchParams.set('name', request.name);
  const headers = { ...request.headers, 'Content-Type': request.mime };
  if (request.onprogress && typeof XMLHttpRequest === 'function') return uploadWithXhr(url.href, headers, request);
  // Without XHR, progress comes from a streamed body: read a Blob into bytes first.
  if (request.onprogress && request.body instanceof Blob) request = { ...request, body: new Uint8Array(await request.body.arrayBuffer()) };
  const size = request.body instanceof Blob ? request.body.size : request.body.byteLength;
  let reported = -1;
  const report = (loaded: number): void => {
    if (loaded === reported) return; // the streamed body already announced the end
    reported = loaded;
    request.onprogress?.({ loaded, total: size, percent: size ? (loaded / size) * 100 : 100 });
  };
  const body = request.onprogress && request.body instanceof Uint8Array ? chunkedBody(request.body, report) : request.body;
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers, body };
  if (body instanceof ReadableStream) init.duplex = 'half'; // required by fetch for a streamed request body
  if (request.signal) init.signal = request.signal;
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw new UploadError(0, `upload failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.text();
  const result = parseResult(response.status, text);
  report(size);
  return result;
}

/** A request body that reports progress as fetch pulls each chunk. */
function chunkedBody(bytes: Uint8Array<ArrayBuffer>, report: (loaded: number) => void): ReadableStream<Uint8Array> {
  let offset = 0;
  report(0);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      const end = Math.min(offset + CHUNK_BYTES, bytes.byteLength);
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
      report(offset);
    },
  });
}

function uploadWithXhr(url: string, headers: Record<string, string>, request: UploadRequest): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [key, value] of Object.entries(headers)) xhr.setRequestHeader(key, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) request.onprogress?.({ loaded: event.loaded, total: event.total, percent: event.total ? (event.loaded / event.total) * 100 : 100 });
    };
    xhr.onload = () => {
      try {
        resolve(parseResult(xhr.status, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new UploadError(0, 'upload failed: network error'));
    xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'));
    if (request.signal?.aborted) return reject(new DOMException('upload aborted', 'AbortError'));
    request.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    // A copy: the bytes may live in a SharedArrayBuffer, which a Blob cannot take.
    xhr.send(request.body instanceof Blob ? request.body : new Blob([request.body.slice()], { type: request.mime }));
  });
}

function parseResult(status: number, text: string): UploadedFile {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    throw new UploadError(status, `upload failed with HTTP ${status}`);
  }
  const record = json as Partial<Omit<UploadedFile, 'mimeType'>> & { error?: unknown };
  if (status !== 201 && status !== 200) {
    throw new UploadError(status, typeof record.error === 'string' ? record.error : `upload failed with HTTP ${status}`);
  }
  if (typeof record.objectId !== 'string' || typeof record.url !== 'string') throw new UploadError(status, 'the server answered without a file id and url');
  const mime = typeof record.mime_type === 'string' ? record.mime_type : '';
  return { ...(record as Omit<UploadedFile, 'mimeType'>), mime_type: mime, mimeType: mime };
}
