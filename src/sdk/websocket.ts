/**
 * The WebSocket the SDK connects with: the platform's own (browsers, Deno,
 * Node 22+), else the `ws` package (node-websocket.ts), imported only then so
 * browser bundles never include it.
 */

import { loadNodeWebSocket } from './node-websocket.js';

/** The subset of the WHATWG WebSocket API the SDK uses; `ws` implements it too. */
export interface WebSocketLike {
  binaryType: string;
  readonly protocol: string;
  readonly readyState: number;
  send(data: string | ArrayBufferView | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** A WebSocket constructor, e.g. `globalThis.WebSocket` or `ws`'s default export. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** readyState OPEN, the same in every implementation. */
export const OPEN = 1;

let nodeWebSocket: Promise<WebSocketConstructor> | undefined;

/** Resolves the WebSocket constructor to use. */
export function resolveWebSocket(custom?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (custom) return Promise.resolve(custom);
  const native = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (native) return Promise.resolve(native);
  if (!loadNodeWebSocket) return Promise.reject(new TypeError('no WebSocket here: pass the WebSocket option'));
  nodeWebSocket ??= loadNodeWebSocket().catch((error: unknown) => {
    nodeWebSocket = undefined;
    throw error;
  });
  return nodeWebSocket;
}

/**
 * The WebSocket URL for the `server` option: `ws(s)://` as given,
 * `http(s)://` mapped to `ws(s)://` on the same host, port and path.
 * @throws TypeError for other schemes or malformed URLs
 */
export function toWebSocketUrl(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new TypeError(`server ${JSON.stringify(server)} is not a URL (expected ws://, wss://, http:// or https://)`);
  }
  switch (url.protocol) {
    case 'ws:':
    case 'wss:':
      break;
    case 'http:':
      url.protocol = 'ws:';
      break;
    case 'https:':
      url.protocol = 'wss:';
      break;
    default:
      throw new TypeError(`server ${JSON.stringify(server)} has an unsupported scheme ${url.protocol}`);
  }
  return url.toString();
}

/** The HTTP(S) base URL of a server given as a ws(s) URL: same host, `/` path. */
export function toHttpUrl(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = '/';
  url.search = '';
  url.hash = '';
  return url.origin;
}
