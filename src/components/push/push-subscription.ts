/**
 * The browser's side of Web Push for the widgets: register the service
 * worker we ship, subscribe with the server's VAPID key, and tell the
 * server (as the logged-in client, by its session token) where to push.
 * Loaded only by pages that set `push` on a widget.
 */
import { toHttpUrl, toWebSocketUrl } from '../../sdk/websocket.js';
import type { SharedClient } from '../client/shared-client.js';

/** `unsupported` (no service workers or Push API), `blocked` (the user denied notifications), `off` or `on`. */
export type PushStatus = 'unsupported' | 'blocked' | 'off' | 'on';

/** A server call that hangs must not leave the toggle busy. */
const TIMEOUT_MS = 10_000;

/** Whether this browser can do Web Push at all. */
export function pushSupported(): boolean {
  return typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof PushManager !== 'undefined' && typeof Notification !== 'undefined';
}

/** Where the page stands now, without asking the user anything. */
export async function pushStatus(workerUrl: string): Promise<PushStatus> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  if (Notification.permission !== 'granted') return 'off';
  const registration = await navigator.serviceWorker.getRegistration(new URL(workerUrl, location.href).href);
  return (await registration?.pushManager.getSubscription()) ? 'on' : 'off';
}

/**
 * Subscribes this browser for the client's notifications. Asks the user for
 * permission when `ask` (call it from a click: browsers ignore a prompt
 * without one); otherwise only proceeds when permission was given before.
 * A subscription made with another server key (the server's was replaced)
 * is replaced. Resolves with the resulting status.
 * @throws Error when the service worker, the push service or the server refuses
 */
export async function subscribePush(client: SharedClient, workerUrl: string, lang: string, ask: boolean): Promise<PushStatus> {
  if (!pushSupported()) return 'unsupported';
  let permission = Notification.permission;
  if (permission === 'default' && ask) permission = await Notification.requestPermission();
  if (permission === 'denied') return 'blocked';
  if (permission !== 'granted') return 'off';
  const base = toHttpUrl(toWebSocketUrl(client.options.server));
  const registration = await active(await navigator.serviceWorker.register(workerUrl));
  const key = await serverKey(base);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await call(client, base, 'POST', { subscription: subscription.toJSON(), lang });
  return 'on';
}

/** Stops this browser's notifications for the client: the server forgets it, then the browser. */
export async function unsubscribePush(client: SharedClient, workerUrl: string): Promise<PushStatus> {
  if (!pushSupported()) return 'unsupported';
  const registration = await navigator.serviceWorker.getRegistration(new URL(workerUrl, location.href).href);
  const subscription = await registration?.pushManager.getSubscription();
  if (subscription) {
    await call(client, toHttpUrl(toWebSocketUrl(client.options.server)), 'DELETE', { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
  }
  return 'off';
}

/** The registration once its worker is active: a push subscription needs one. */
async function active(registration: ServiceWorkerRegistration): Promise<ServiceWorkerRegistration> {
  const worker = registration.installing ?? registration.waiting;
  if (!registration.active && worker) {
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (worker.state === 'activated') resolve();
        else if (worker.state === 'redundant') reject(new Error('the service worker failed to install'));
      };
      worker.addEventListener('statechange', check);
      check();
    });
  }
  return registration;
}

async function serverKey(base: string): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetch(`${base}/push/key`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = (await response.json().catch(() => null)) as { publicKey?: unknown } | null;
  if (!response.ok || typeof body?.publicKey !== 'string') throw new Error(`the server offers no Web Push (HTTP ${response.status})`);
  const binary = atob(body.publicKey.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function sameKey(given: ArrayBuffer | null, key: Uint8Array): boolean {
  if (!given || given.byteLength !== key.length) return false;
  const bytes = new Uint8Array(given);
  return bytes.every((byte, i) => byte === key[i]);
}

async function call(client: SharedClient, base: string, method: 'POST' | 'DELETE', body: unknown): Promise<void> {
  const im = await client.ready();
  const response = await fetch(`${base}/push/subscriptions`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-LC-Id': client.options.appId, 'X-LC-IM-Session-Token': await im.getSessionToken() },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) {
    const answer = (await response.json().catch(() => null)) as { error?: unknown } | null;
    throw new Error(`Web Push ${method === 'POST' ? 'subscription' : 'unsubscription'} refused: ${typeof answer?.error === 'string' ? answer.error : `HTTP ${response.status}`}`);
  }
}
