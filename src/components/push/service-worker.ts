/**
 * The service worker shipped for Web Push (`dist/lc-chat-sw.js`, built by
 * scripts/build-service-worker.mjs). Serve it from the page's own origin
 * and name it in `<lc-chat push="/lc-chat-sw.js">`.
 *
 * A push from the lc-chat server is `{title, body, cid}`, already the text
 * to show (the server chose it: the sender's pushData or a generic line).
 * It is shown as text in a notification, one per conversation (a newer one
 * replaces it). A click focuses an open page of this site, else opens
 * `?open=` of the worker's URL (same origin only), else the worker's scope.
 *
 * Written against the few service-worker types it uses: the project's
 * TypeScript lib is the DOM's, where these do not exist.
 */

interface PushMessage {
  json(): unknown;
}
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface PushEvent extends ExtendableEvent {
  readonly data: PushMessage | null;
}
interface WindowClient {
  readonly url: string;
  focus(): Promise<WindowClient>;
  postMessage(message: unknown): void;
}
interface NotificationEvent extends ExtendableEvent {
  readonly notification: Notification;
}
interface WorkerScope {
  readonly location: Location;
  readonly registration: ServiceWorkerRegistration;
  readonly clients: {
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly WindowClient[]>;
    openWindow(url: string): Promise<WindowClient | null>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'push', listener: (event: PushEvent) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationEvent) => void): void;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
}

const worker = self as unknown as WorkerScope;

/** What a push from an older or foreign sender may lack: every field is checked. */
function notificationOf(data: unknown): { title: string; body: string; cid: string } {
  const fields = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.slice(0, max) : '');
  return { title: text(fields.title, 100) || 'New message', body: text(fields.body, 500), cid: text(fields.cid, 128) };
}

/** The page to open on a click: `?open=` when it is on this origin, else the scope. */
function pageToOpen(): string {
  const scope = worker.registration.scope;
  const open = new URL(worker.location.href).searchParams.get('open');
  if (!open) return scope;
  try {
    const url = new URL(open, scope);
    return url.origin === worker.location.origin ? url.href : scope;
  } catch {
    return scope;
  }
}

// A new version takes over at once: it only shows notifications.
worker.addEventListener('install', (event) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener('push', (event) => {
  let data: unknown = null;
  try {
    data = event.data?.json() ?? null;
  } catch {
    // Not JSON: still a push the browser requires us to show.
  }
  const { title, body, cid } = notificationOf(data);
  // Browsers require a visible notification for every push (userVisibleOnly).
  event.waitUntil(worker.registration.showNotification(title, { body, tag: `lc-chat:${cid}`, data: { cid } }));
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const cid = (event.notification.data as { cid?: unknown } | null)?.cid;
  event.waitUntil(
    (async () => {
      const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === worker.location.origin);
      if (open) {
        await open.focus();
        open.postMessage({ type: 'lc-chat:notification-click', cid });
        return;
      }
      await worker.clients.openWindow(pageToOpen());
    })(),
  );
});

export {};
