/**
 * The connection attributes every `lc-*` element takes, declared once. An
 * element inside `<lc-realtime>` needs none of them: it uses the
 * provider's client. One used on its own opens (or shares, page-wide) a
 * client for (server, app-id, client-id).
 */
import { LitElement, type PropertyDeclarations } from 'lit';
import type { ConnectionAttributes } from './client-options.js';

export class LcConnectedElement extends LitElement implements ConnectionAttributes {
  // Lit merges these with each subclass's own `properties`.
  static override properties: PropertyDeclarations = {
    server: { type: String },
    appId: { type: String, attribute: 'app-id' },
    appKey: { type: String, attribute: 'app-key' },
    clientId: { type: String, attribute: 'client-id' },
    signatureUrl: { type: String, attribute: 'signature-url' },
    conversationSignatureUrl: { type: String, attribute: 'conversation-signature-url' },
    tag: { type: String },
    noBinary: { type: Boolean, attribute: 'no-binary' },
    cacheLimit: { type: Number, attribute: 'cache-limit' },
  };

  /** The lc-chat server: `wss://host` (or `https://host`). Inside `<lc-realtime>`, leave the connection attributes unset to use its client. */
  declare server: string | undefined;
  /** The app id. */
  declare appId: string | undefined;
  /** The app key: uploads authenticate with it when given, else with the session token. */
  declare appKey: string | undefined;
  /** The user's clientId. */
  declare clientId: string | undefined;
  /** Endpoint that signs logins: `POST {clientId}` → `{signature, timestamp, nonce}`. */
  declare signatureUrl: string | undefined;
  /** Endpoint that signs conversation operations: `POST {conversationId, clientId, members, action}`. */
  declare conversationSignatureUrl: string | undefined;
  /** Device kind for single-device login; a newer login with the same tag takes over (conflict). */
  declare tag: string | undefined;
  /** Use text (base64) frames instead of binary ones. */
  declare noBinary: boolean;
  /** Messages kept per conversation in the browser's cache. */
  declare cacheLimit: number | undefined;

  constructor() {
    super();
    this.noBinary = false;
  }
}

/** The names of the connection properties: a change to any of them may mean another client. */
export const CONNECTION_KEYS = Object.keys(LcConnectedElement.properties) as Array<keyof ConnectionAttributes>;
