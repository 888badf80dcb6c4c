/**
 * The page-wide registry of shared clients, keyed by (server, app,
 * clientId): every widget naming the same user on the same server shares
 * one connection. Kept on `globalThis` under a registered symbol so that two
 * copies of the bundle on one page still share.
 */
import { clientKey, type ClientOptions } from './client-options.js';
import { SharedClient } from './shared-client.js';

interface Entry {
  client: SharedClient;
  users: number;
  closeTimer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * How long a client no widget uses stays open: moving an element in the DOM
 * disconnects and reconnects it in one task, and a framework re-render may
 * take a few; neither should cost a new login.
 */
const IDLE_CLOSE_MS = 2_000;

const REGISTRY = Symbol.for('lc-chat.client-registry');
type Global = typeof globalThis & { [REGISTRY]?: Map<string, Entry> };

function entries(): Map<string, Entry> {
  const global = globalThis as Global;
  return (global[REGISTRY] ??= new Map());
}

/** The shared client for these options, created on first use. Pair each call with {@link releaseClient}. */
export function acquireClient(options: ClientOptions): SharedClient {
  const key = clientKey(options);
  let entry = entries().get(key);
  if (!entry || entry.client.closed) {
    entry = { client: new SharedClient(options), users: 0, closeTimer: undefined };
    entries().set(key, entry);
  }
  clearTimeout(entry.closeTimer);
  entry.closeTimer = undefined;
  entry.users += 1;
  return entry.client;
}

/** One user fewer; the client closes when none is left for a moment. */
export function releaseClient(client: SharedClient): void {
  const entry = entries().get(client.key);
  if (!entry || entry.client !== client) return;
  entry.users = Math.max(0, entry.users - 1);
  if (entry.users > 0) return;
  clearTimeout(entry.closeTimer);
  entry.closeTimer = setTimeout(() => {
    if (entry.users > 0 || entries().get(client.key) !== entry) return;
    entries().delete(client.key);
    void client.close();
  }, IDLE_CLOSE_MS);
}

/** The shared clients now open (for diagnostics and tests). */
export function openClients(): SharedClient[] {
  return [...entries().values()].map((entry) => entry.client);
}
