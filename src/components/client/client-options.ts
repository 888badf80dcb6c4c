import type { ConnectionTimings, Plugin } from '../../sdk/index.js';

/** How a widget reaches its client: what `<lc-realtime>` and standalone `lc-*` elements take as attributes. */
export interface ClientOptions {
  /** The lc-chat server: `wss://chat.example.com` (or `https://…`, same host). */
  server: string;
  appId: string;
  appKey?: string;
  clientId: string;
  /** `POST {clientId}` → `{signature, timestamp, nonce}` signs the login. */
  signatureUrl?: string;
  /** `POST {conversationId, clientId, members, action}` → a signature for conversation operations. */
  conversationSignatureUrl?: string;
  /** Device kind for single-device login: a newer login with the same tag takes over (conflict). */
  tag?: string;
  /** Base64 text frames instead of binary ones. */
  noBinary?: boolean;
  /** Messages kept in the local cache per conversation. */
  cacheLimit?: number;
  /** SDK plugins for the client's Realtime (e.g. `TypedMessagesPlugin`, to receive image and file messages as their classes). */
  plugins?: readonly Plugin[];
  /** SDK connection timings (heartbeat, timeouts, back-off), in ms. */
  timings?: Partial<ConnectionTimings>;
}

/** The registry key: one client per (server, app, clientId) on a page. */
export function clientKey(options: Pick<ClientOptions, 'server' | 'appId' | 'clientId'>): string {
  return JSON.stringify([normalizeServer(options.server), options.appId, options.clientId]);
}

/** `https://x/` and `wss://x` are the same server. */
export function normalizeServer(server: string): string {
  return server
    .trim()
    .replace(/^http(s?):\/\//i, 'ws$1://')
    .replace(/\/+$/, '');
}

/** Options from attributes: null when a required one is missing. */
export function completeOptions(options: Partial<ClientOptions>): ClientOptions | null {
  const { server, appId, clientId } = options;
  if (!server || !appId || !clientId) return null;
  return { ...options, server, appId, clientId };
}

/** The connection attributes an element may carry (`server`, `app-id`, `client-id`, …). */
export interface ConnectionAttributes {
  server: string | undefined;
  appId: string | undefined;
  appKey: string | undefined;
  clientId: string | undefined;
  signatureUrl: string | undefined;
  conversationSignatureUrl: string | undefined;
  tag: string | undefined;
  noBinary: boolean;
  cacheLimit: number | undefined;
}

/** The client an element's own attributes name, or null when they name none. */
export function optionsFromAttributes(host: ConnectionAttributes): ClientOptions | null {
  return completeOptions({
    ...(host.server ? { server: host.server } : {}),
    ...(host.appId ? { appId: host.appId } : {}),
    ...(host.clientId ? { clientId: host.clientId } : {}),
    ...(host.appKey ? { appKey: host.appKey } : {}),
    ...(host.signatureUrl ? { signatureUrl: host.signatureUrl } : {}),
    ...(host.conversationSignatureUrl ? { conversationSignatureUrl: host.conversationSignatureUrl } : {}),
    ...(host.tag ? { tag: host.tag } : {}),
    ...(host.noBinary ? { noBinary: true } : {}),
    ...(host.cacheLimit ? { cacheLimit: host.cacheLimit } : {}),
  });
}
