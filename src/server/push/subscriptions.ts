/**
 * Browsers' push subscriptions, by app and client, kept in the store
 * (issue 17), so that every node of a deployment knows every browser
 * whichever node registered it (an endpoint with its keys lets anyone push
 * to that browser: the store's access is what guards them).
 *
 * Bounded three ways, by the store inside one transaction: a few per
 * client (a person's browsers; a new one past the bound replaces that
 * client's oldest), a total for the deployment (refused beyond), and one
 * owner per endpoint: an endpoint is one browser profile, so when another
 * client of the page registers it (a shared computer, a different login)
 * the previous client loses it, and its notifications no longer show on a
 * browser someone else now uses.
 */
import { ECDH } from 'node:crypto';
import type { PushSubscriptionRecord, Store } from '../store/types.js';

/** One browser's subscription, as `PushSubscription.toJSON()` gives it (keys base64url), with when and in what language it was made. */
export type StoredSubscription = Omit<PushSubscriptionRecord, 'appId' | 'clientId'>;

/** Longest endpoint accepted: real ones are under 600 characters. */
export const MAX_ENDPOINT_LENGTH = 1024;
/** A page's language (BCP 47), as `lang` may give it. */
export const LANGUAGE_TAG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}$/;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const key = (appId: string, clientId: string): string => `${appId}\u0000${clientId}`;

/** Why a subscription was refused: the text goes back to the page. */
export class SubscriptionError extends Error {}
/** The deployment holds `limits.total` already. */
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

/**
 * How long a node believes an app has no subscription before asking the
 * store again: the app's first may have been registered through another
 * node, and the messages this node stores meanwhile are not pushed.
 */
const NONE_FRESH_MS = 1000;
/** …and that it has some: being wrong then costs only a look-up that finds none. */
const SOME_FRESH_MS = 60_000;
/** Apps remembered; apps are configured, so this is a bound, not a cache size to tune. */
const MAX_APPS = 10_000;
/** Client ids per look-up: a conversation's members, asked in slices. */
const LOOKUP_SLICE = 500;

interface AppState {
  has: boolean;
  /** When the answer was known (ms): a look-up begun before a local change never overwrites it. */
  at: number;
}

/** The deployment's subscriptions, through the store; see the module comment. */
export class PushSubscriptions {
  private readonly apps = new Map<string, AppState>();
  private readonly asking = new Map<string, Promise<boolean>>();
  /** Store calls in flight, for `flush`. */
  private readonly inFlight = new Set<Promise<unknown>>();

  /** `onError` hears of store calls nobody awaits that failed (forgetting a gone endpoint, asking whether an app has any). */
  constructor(
    private readonly store: Store,
    private readonly limits: SubscriptionLimits,
    private readonly onError: (error: unknown, what: string) => void,
  ) {}

  /**
   * Registers (or refreshes) a subscription for the client. Resolves with
   * how many the client now has.
   * @throws SubscriptionsFull when the deployment holds its total already
   */
  async add(appId: string, clientId: string, subscription: StoredSubscription): Promise<number> {
    const outcome = await this.track(this.store.addPushSubscription({ ...subscription, appId, clientId }, this.limits));
    if (outcome.kind !== 'stored') throw new SubscriptionsFull('this server holds as many push subscriptions as it may');
    this.remember(appId, { has: true, at: Date.now() });
    return outcome.clientCount;
  }

  /**
   * Imports a subscription kept by an earlier version: stored unless its
   * endpoint is held already (what the store holds is newer) or the
   * deployment is full.
   */
  async import(appId: string, clientId: string, subscription: StoredSubscription): Promise<'stored' | 'held' | 'full'> {
    const outcome = await this.track(this.store.addPushSubscription({ ...subscription, appId, clientId }, this.limits, false));
    if (outcome.kind === 'stored') this.remember(appId, { has: true, at: Date.now() });
    return outcome.kind;
  }

  /** Forgets the client's subscription with this endpoint; whether it had one. */
  remove(appId: string, clientId: string, endpoint: string): Promise<boolean> {
    return this.track(this.store.removePushSubscription(appId, clientId, endpoint));
  }

  /** Forgets an endpoint whoever holds it (the push service said it is gone), in the background. */
  drop(endpoint: string): void {
    this.track(this.store.dropPushSubscription(endpoint)).catch((error: unknown) => this.onError(error, 'forgetting a gone subscription failed'));
  }

  /** The subscriptions of these clients, by client (those with none left out). */
  async of(appId: string, clientIds: readonly string[]): Promise<Map<string, StoredSubscription[]>> {
    const byClient = new Map<string, StoredSubscription[]>();
    for (let start = 0; start < clientIds.length; start += LOOKUP_SLICE) {
      const found = await this.track(this.store.pushSubscriptions(appId, clientIds.slice(start, start + LOOKUP_SLICE)));
      for (const { appId: _app, clientId, ...subscription } of found) {
        const list = byClient.get(clientId) ?? [];
        list.push(subscription);
        byClient.set(clientId, list);
      }
    }
    return byClient;
  }

  /**
   * Whether any client of the app may have a subscription: asked once per
   * stored message, so answered from memory, and from the store at most
   * once a second per app while the answer is no (see NONE_FRESH_MS).
   * Synchronous when memory answers, so a stored message costs no promise.
   */
  hasApp(appId: string): boolean | Promise<boolean> {
    const known = this.apps.get(appId);
    const started = Date.now();
    if (known && started - known.at < (known.has ? SOME_FRESH_MS : NONE_FRESH_MS)) return known.has;
    let asking = this.asking.get(appId);
    if (!asking) {
      asking = this.track(this.store.hasPushSubscriptions(appId)).then(
        (has) => {
          this.remember(appId, { has, at: started });
          return has;
        },
        (error: unknown) => {
          this.onError(error, 'asking the store for subscriptions failed');
          return known?.has ?? false;
        },
      );
      this.asking.set(appId, asking);
      void asking.finally(() => this.asking.delete(appId));
    }
    return asking;
  }

  /** Resolves once the store calls begun so far have settled (before the store closes). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private remember(appId: string, state: AppState): void {
    const known = this.apps.get(appId);
    if (known && known.at > state.at) return;
    this.apps.delete(appId);
    this.apps.set(appId, state);
    if (this.apps.size > MAX_APPS) this.apps.delete(this.apps.keys().next().value!);
  }

  private track<T>(call: Promise<T>): Promise<T> {
    this.inFlight.add(call);
    const settled = (): void => void this.inFlight.delete(call);
    call.then(settled, settled);
    return call;
  }
}
