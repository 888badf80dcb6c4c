/**
 * Browsers' push subscriptions, by app and client, kept in this node's
 * memory and saved to `<dataDir>/push-subscriptions.json` (mode 0600: an
 * endpoint with its keys lets anyone push to that browser).
 *
 * Bounded three ways: a few per client (a person's browsers; a new one
 * past the bound replaces that client's oldest), a total for the node
 * (refused beyond), and one owner per endpoint: an endpoint is one browser
 * profile, so when another client of the page registers it (a shared
 * computer, a different login) the previous client loses it, and its
 * notifications no longer show on a browser someone else now uses.
 */
import { ECDH } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One browser's subscription, as `PushSubscription.toJSON()` gives it (keys base64url). */
export interface StoredSubscription {
  endpoint: string;
  p256dh: string;
  auth: string;
  /** ms since the epoch */
  createdAt: number;
  /** The page's language (BCP 47), for the generic text. */
  lang?: string;
}

export const SUBSCRIPTIONS_FILE = 'push-subscriptions.json';
/** Longest endpoint accepted: real ones are under 600 characters. */
export const MAX_ENDPOINT_LENGTH = 1024;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const key = (appId: string, clientId: string): string => `${appId}\u0000${clientId}`;

/** Why a subscription was refused: the text goes back to the page. */
export class SubscriptionError extends Error {}
/** The node holds `limits.total` already. */
export class SubscriptionsFull extends SubscriptionError {}

/** Which endpoints may be pushed to: the server POSTs there, so this is the SSRF boundary. */
export interface EndpointPolicy {
  /** Host names (exact, or `*.suffix`) of push services; null allows any https host. */
  hosts: readonly string[] | null;
  /** Also `http://` to loopback addresses (tests with a push service on 127.0.0.1). */
  allowLoopback: boolean;
}

/**
 * Checks a `PushSubscription.toJSON()` from a page and returns what to keep.
 * @throws SubscriptionError naming what is wrong
 */
export function parseSubscription(value: unknown, policy: EndpointPolicy, now = Date.now()): StoredSubscription {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SubscriptionError('subscription must be an object {endpoint, keys: {p256dh, auth}}');
  const { endpoint, keys } = value as { endpoint?: unknown; keys?: unknown };
  checkEndpoint(endpoint, policy);
  if (keys === null || typeof keys !== 'object') throw new SubscriptionError('subscription.keys must be {p256dh, auth}');
  const { p256dh, auth } = keys as { p256dh?: unknown; auth?: unknown };
  // RFC 8291: the browser's P-256 public key (65 bytes, uncompressed) and a 16-byte secret.
  if (typeof p256dh !== 'string' || p256dh.length > 100 || !BASE64URL.test(p256dh) || Buffer.from(p256dh, 'base64url').length !== 65) {
    throw new SubscriptionError('keys.p256dh must be a base64url P-256 public key (65 bytes)');
  }
  try {
    // Rejects a point off the curve: encrypting to it would fail at every send.
    ECDH.convertKey(Buffer.from(p256dh, 'base64url'), 'prime256v1');
  } catch {
    throw new SubscriptionError('keys.p256dh is not a point of P-256');
  }
  if (typeof auth !== 'string' || auth.length > 30 || !BASE64URL.test(auth) || Buffer.from(auth, 'base64url').length !== 16) {
    throw new SubscriptionError('keys.auth must be 16 bytes, base64url');
  }
  return { endpoint: endpoint as string, p256dh, auth, createdAt: now };
}

function checkEndpoint(endpoint: unknown, policy: EndpointPolicy): asserts endpoint is string {
  if (typeof endpoint !== 'string' || endpoint.length === 0 || endpoint.length > MAX_ENDPOINT_LENGTH) {
    throw new SubscriptionError(`endpoint must be a URL of at most ${MAX_ENDPOINT_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new SubscriptionError('endpoint is not a URL');
  }
  if (url.username || url.password) throw new SubscriptionError('endpoint must not carry credentials');
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:' && policy.allowLoopback && isLoopback(host)) return;
  if (url.protocol !== 'https:') throw new SubscriptionError('endpoint must be https');
  if (isLoopback(host) && policy.allowLoopback) return;
  if (policy.hosts === null) {
    if (isLoopback(host) || isPrivateAddress(host)) throw new SubscriptionError('endpoint must be a public push service');
    return;
  }
  const allowed = policy.hosts.some((pattern) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern));
  if (!allowed) throw new SubscriptionError(`endpoint host ${host.slice(0, 100)} is not a push service this server sends to`);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** IP literals a push service never has: private, link-local, unspecified. Host names are the operator's allowlist to judge. */
function isPrivateAddress(host: string): boolean {
  if (host.startsWith('[')) return true; // no push service is addressed by an IPv6 literal
  const octets = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (!octets) return false;
  const [a, b] = [Number(octets[1]), Number(octets[2])];
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

export interface SubscriptionLimits {
  perClient: number;
  total: number;
}

/** The subscriptions of this node; see the module comment. */
export class PushSubscriptions {
  private readonly byClient = new Map<string, StoredSubscription[]>();
  /** endpoint → its owner's key */
  private readonly owners = new Map<string, string>();
  /** Subscriptions by app: asked once per stored message, so counted, not searched. */
  private readonly perApp = new Map<string, number>();
  private count = 0;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  private constructor(
    private readonly file: string | null,
    private readonly limits: SubscriptionLimits,
    private readonly onSaveError: (error: unknown) => void,
  ) {}

  /**
   * The registry saved in `dataDir` (empty if none was), or one kept in memory
   * only when `dataDir` is null. Entries past the limits are not loaded.
   */
  static async open(dataDir: string | null, limits: SubscriptionLimits, onSaveError: (error: unknown) => void): Promise<PushSubscriptions> {
    const registry = new PushSubscriptions(dataDir === null ? null : join(dataDir, SUBSCRIPTIONS_FILE), limits, onSaveError);
    if (!registry.file) return registry;
    let text: string;
    try {
      text = await readFile(registry.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return registry;
      throw error;
    }
    const saved = JSON.parse(text) as { clients?: [string, string, StoredSubscription[]][] };
    for (const [appId, clientId, list] of saved.clients ?? []) {
      for (const entry of list) {
        if (registry.count >= limits.total) break;
        registry.insert(appId, clientId, entry);
      }
    }
    return registry;
  }

  /** How many are held. */
  get size(): number {
    return this.count;
  }

  /** Whether any client of the app has one (senders skip the offline check otherwise). */
  has(appId: string, clientId: string): boolean {
    return this.byClient.has(key(appId, clientId));
  }

  /** Whether the app has any at all. */
  hasApp(appId: string): boolean {
    return (this.perApp.get(appId) ?? 0) > 0;
  }

  list(appId: string, clientId: string): readonly StoredSubscription[] {
    return this.byClient.get(key(appId, clientId)) ?? [];
  }

  /**
   * Registers (or refreshes) a subscription for the client. Returns how many
   * the client now has.
   * @throws SubscriptionError when the node holds its total already
   */
  add(appId: string, clientId: string, subscription: StoredSubscription): number {
    const owner = key(appId, clientId);
    const previous = this.owners.get(subscription.endpoint);
    if (previous !== undefined) this.removeEndpoint(previous, subscription.endpoint);
    else if (this.count >= this.limits.total) throw new SubscriptionsFull('this server holds as many push subscriptions as it may');
    this.insert(appId, clientId, subscription);
    this.save();
    return this.byClient.get(owner)?.length ?? 0;
  }

  /** Forgets the client's subscription with this endpoint; whether it had one. */
  remove(appId: string, clientId: string, endpoint: string): boolean {
    const owner = key(appId, clientId);
    if (this.owners.get(endpoint) !== owner) return false;
    this.removeEndpoint(owner, endpoint);
    this.save();
    return true;
  }

  /** Forgets an endpoint whoever holds it (the push service said it is gone). */
  drop(endpoint: string): void {
    const owner = this.owners.get(endpoint);
    if (owner === undefined) return;
    this.removeEndpoint(owner, endpoint);
    this.save();
  }

  /** Resolves once what changed so far is on disk. */
  async flush(): Promise<void> {
    await this.saving;
  }

  private insert(appId: string, clientId: string, subscription: StoredSubscription): void {
    const owner = key(appId, clientId);
    const list = this.byClient.get(owner) ?? [];
    list.push(subscription);
    this.byClient.set(owner, list);
    this.owners.set(subscription.endpoint, owner);
    this.count += 1;
    this.perApp.set(appId, (this.perApp.get(appId) ?? 0) + 1);
    // Past the bound, the client's oldest browser goes: a person who changed browsers is not locked out.
    while (list.length > this.limits.perClient) this.removeEndpoint(owner, list[0]!.endpoint);
  }

  private removeEndpoint(owner: string, endpoint: string): void {
    const list = this.byClient.get(owner);
    if (!list) return;
    const index = list.findIndex((entry) => entry.endpoint === endpoint);
    if (index < 0) return;
    list.splice(index, 1);
    this.count -= 1;
    const appId = owner.slice(0, owner.indexOf('\u0000'));
    const left = (this.perApp.get(appId) ?? 1) - 1;
    if (left > 0) this.perApp.set(appId, left);
    else this.perApp.delete(appId);
    this.owners.delete(endpoint);
    if (list.length === 0) this.byClient.delete(owner);
  }

  /** Writes the whole registry, one write at a time; changes during a write are written after it. */
  private save(): void {
    if (!this.file || this.dirty) return;
    this.dirty = true;
    const file = this.file;
    this.saving = this.saving.then(async () => {
      this.dirty = false;
      const clients = [...this.byClient].map(([owner, list]) => [...owner.split('\u0000'), list]);
      const temporary = `${file}.tmp`;
      try {
        await writeFile(temporary, JSON.stringify({ clients }), { mode: 0o600 });
        await rename(temporary, file);
      } catch (error) {
        this.onSaveError(error);
      }
    });
  }
}
