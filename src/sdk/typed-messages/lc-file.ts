/**
 * `LcFile`: the SDK's stand-in for the storage SDK's `AV.File` in rich media
 * messages. Made from local data (a `Blob`/`File` in browsers; a `Buffer`,
 * `Uint8Array`, `ArrayBuffer` or readable stream in Node) and uploaded to
 * the lc-chat server with {@link LcFile.save}, or pointing at an existing
 * URL with {@link LcFile.withURL}.
 */
import type { IMClient } from '../im-client.js';
import type { Realtime } from '../realtime.js';
import { toHttpUrl, toWebSocketUrl } from '../websocket.js';
import { probeMedia } from './media-info.js';
import { upload, type UploadProgress } from './upload.js';

/** Local content of a file. Node readable streams are async iterables of chunks. */
export type LcFileData = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

/**
 * A file's metadata, as sent in the message payload (`_lcfile.metaData`).
 * `width`/`height` in pixels and `duration` in seconds where known; apps
 * may add keys of their own.
 */
export interface LcFileMetaData {
  name?: string;
  /** The format: the media subtype (`png`, `mpeg`, …) or the extension. */
  format?: string;
  /** Bytes. */
  size?: number;
  width?: number;
  height?: number;
  duration?: number;
  [key: string]: unknown;
}

/** The file's JSON form, as in the payload's `_lcfile`. */
export interface LcFileJSON {
  url: string;
  objId?: string;
  metaData: LcFileMetaData;
}

/**
 * Where and as whom {@link LcFile.save} uploads. Give one of: `client` (a
 * logged-in IMClient: its session token, so browser code needs no app
 * key), `realtime` (its `server`, `appId` and `appKey`), or `server` and
 * `appId` with `sessionToken` or `appKey`.
 */
export interface LcFileSaveOptions {
  client?: IMClient;
  realtime?: Realtime;
  /** The lc-chat server (`http(s)://` or `ws(s)://`). */
  server?: string;
  appId?: string;
  appKey?: string;
  sessionToken?: string;
  /** Called as the bytes go out; last with `percent: 100`. */
  onprogress?: (progress: UploadProgress) => void;
  /** Aborts the upload. */
  signal?: AbortSignal;
}

/** A file: local content to upload, or an uploaded/external URL. */
/** {@link LcFile.withURL}: callable with or without `new`. */
export interface LcFileFromURL {
  (name: string, url: string, metaData?: LcFileMetaData): LcFile;
  new (name: string, url: string, metaData?: LcFileMetaData): LcFile;
}

export class LcFile {
  /** The server's id once saved; `undefined` for unsaved and external files. */
  id: string | undefined;

  #name: string;
  #url: string | undefined;
  #data: LcFileData | undefined;
  #mime: string | undefined;
  #metaData: LcFileMetaData = {};

  /**
   * @param name the file name, shown to users and sent with the upload
   * @param data the content (see {@link LcFileData})
   * @param mimeType the media type; by default a Blob's own type or one
   *   guessed from the name's extension
   * @throws TypeError if `name` is empty or `data` is not file content
   */
  constructor(name: string, data?: LcFileData, mimeType?: string) {
    if (typeof name !== 'string' || name === '') throw new TypeError('a file needs a non-empty name');
    if (data !== undefined && !isFileData(data)) throw new TypeError(`${String(data)} is not file content (Blob, Buffer, Uint8Array, ArrayBuffer or stream)`);
    this.#name = name;
    this.#data = data;
    this.#mime = mimeType ?? (data instanceof Blob && data.type ? data.type : undefined);
    this.#metaData.name = name;
  }

  /**
   * A file that already has a URL: nothing is uploaded, the URL is sent as is.
   * Call it plainly, `LcFile.withURL(name, url)`, or as the guide writes it,
   * `new LcFile.withURL(name, url)`: both give the same file.
   * @param name the file name
   * @param url an absolute URL
   * @param metaData known metadata (`width`, `size`, …)
   * @throws TypeError if `url` is not an absolute URL or `name` is empty
   */
  static readonly withURL: LcFileFromURL = function withURL(name: string, url: string, metaData: LcFileMetaData = {}): LcFile {
    // A plain function (not a method), so that `new` may call it; it returns the file either way.
    const file = new LcFile(name);
    file.#url = new URL(url).href;
    file.#metaData = { ...metaData, name };
    return file;
  } as LcFileFromURL;

  /**
   * A file from a payload's `_lcfile` (as received), e.g. to forward it.
   * @throws TypeError if `json.url` is not a string
   */
  static fromJSON(json: LcFileJSON): LcFile {
    if (!json || typeof json.url !== 'string') throw new TypeError('malformed _lcfile: no url');
    const metaData = isRecord(json.metaData) ? (json.metaData as LcFileMetaData) : {};
    const file = new LcFile(typeof metaData.name === 'string' && metaData.name ? metaData.name : fileNameOf(json.url));
    file.#url = json.url;
    file.#metaData = { ...metaData };
    if (typeof json.objId === 'string' && json.objId) file.id = json.objId;
    return file;
  }

  /** The file name. */
  name(): string {
    return this.#name;
  }

  /** The URL; `undefined` until a local file is saved. */
  url(): string | undefined {
    return this.#url;
  }

  /** The media type: given, from the Blob, or guessed from the name. */
  get mimeType(): string {
    return this.#mime ?? guessMimeType(this.#name);
  }

  /** All metadata (a copy). */
  metaData(): LcFileMetaData;
  /** One metadata value. */
  metaData(key: string): unknown;
  /**
   * Sets one metadata value (as `AV.File#metaData(key, value)`).
   * @returns this file
   */
  metaData(key: string, value: unknown): this;
  metaData(key?: string, ...value: [unknown?]): LcFileMetaData | unknown | this {
    if (key === undefined) return { ...this.#metaData };
    if (value.length === 0) return this.#metaData[key];
    this.#metaData[key] = value[0];
    return this;
  }

  /**
   * Uploads the content to the lc-chat server, filling in `id`, the URL and
   * metadata: `size`, `format`, and image `width`/`height` or audio/video
   * `duration` where the platform can read them; {@link mimeType} becomes
   * the type the server found in the bytes. A file made with
   * {@link withURL} (or already saved) is not uploaded again.
   * Pass `onprogress` to follow the upload and `signal` to cancel it
   * (the promise then rejects with an `AbortError`).
   * @returns this file
   * @throws UploadError if the server refuses the file (size, type, credentials)
   * @throws TypeError without usable server and credentials
   */
  async save(options: LcFileSaveOptions = {}): Promise<this> {
    if (this.#url !== undefined) return this;
    if (this.#data === undefined) throw new TypeError('the file has neither content nor URL');
    const { server, headers } = await resolveTarget(options);
    const body = await readContent(this.#data);
    const mime = this.mimeType;
    const [media, uploaded] = await Promise.all([
      probeMedia(body, mime),
      upload({ server, name: this.#name, mime, body, headers, onprogress: options.onprogress, signal: options.signal }),
    ]);
    this.id = uploaded.objectId;
    this.#url = uploaded.url;
    if (uploaded.mimeType) this.#mime = uploaded.mimeType;
    // The server's view of size and format wins: it saw the bytes.
    this.#metaData = {
      ...this.#metaData,
      ...media,
      name: this.#name,
      size: uploaded.metaData?.size ?? uploaded.size,
      format: uploaded.metaData?.format ?? mime.split('/')[1] ?? '',
    };
    this.#data = undefined; // release the bytes; the URL stands for them now
    return this;
  }

  /** The file as it appears in a message's `_lcfile`. */
  toJSON(): LcFileJSON {
    if (this.#url === undefined) throw new Error(`file ${this.#name} is not saved: call save() before sending it`);
    return { url: this.#url, ...(this.id ? { objId: this.id } : {}), metaData: { ...this.#metaData } };
  }
}

/** The HTTP server and auth headers of an upload. */
async function resolveTarget(options: LcFileSaveOptions): Promise<{ server: string; headers: Record<string, string> }> {
  if (options.client) {
    const { url, appId } = options.client._httpEndpoint;
    return { server: url, headers: { 'X-LC-Id': appId, 'X-LC-IM-Session-Token': await options.client.getSessionToken() } };
  }
  const configured = options.server ?? options.realtime?.options.server;
  // A list of servers (failover): uploads go to the first.
  const server = typeof configured === 'string' ? configured : configured?.[0];
  const appId = options.appId ?? options.realtime?.options.appId;
  const appKey = options.appKey ?? options.realtime?.options.appKey;
  if (!server || !appId) throw new TypeError('save() needs a client, a realtime, or server and appId');
  const headers: Record<string, string> = { 'X-LC-Id': appId };
  if (options.sessionToken) headers['X-LC-IM-Session-Token'] = options.sessionToken;
  else if (appKey) headers['X-LC-Key'] = appKey;
  else throw new TypeError('save() needs a sessionToken or an appKey (or a logged-in client)');
  return { server: toHttpUrl(toWebSocketUrl(server)), headers };
}

/** The bytes to upload: a Blob as is (browsers stream it), anything else gathered into one buffer. */
async function readContent(data: LcFileData): Promise<Uint8Array<ArrayBuffer> | Blob> {
  if (data instanceof Blob) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const iterable: AsyncIterable<Uint8Array | string> = data instanceof ReadableStream ? readableStreamChunks(data) : data;
  for await (const chunk of iterable) chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

// Not every runtime makes ReadableStream async-iterable (Safari does not).
async function* readableStreamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

function isFileData(data: unknown): data is LcFileData {
  return (
    (typeof Blob === 'function' && data instanceof Blob) ||
    data instanceof ArrayBuffer ||
    ArrayBuffer.isView(data) ||
    (typeof ReadableStream === 'function' && data instanceof ReadableStream) ||
    (typeof data === 'object' && data !== null && Symbol.asyncIterator in data)
  );
}

const MIME_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  amr: 'audio/amr',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  ogv: 'video/ogg',
  pdf: 'application/pdf',
  txt: 'text/plain',
  zip: 'application/zip',
};

/** The media type for a file name's extension; `application/octet-stream` if unknown. */
export function guessMimeType(name: string): string {
  const extension = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase();
  return (extension && MIME_TYPES[extension]) || 'application/octet-stream';
}

function fileNameOf(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : 'file';
  } catch {
    return 'file';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
