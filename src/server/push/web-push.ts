/**
 * Web Push (issue 15): a browser notification for a member with no session
 * when a message is stored, through the browser's push service.
 *
 * `web-push` (the web-push-libs reference implementation, used by most Node
 * servers that send Web Push) builds each request: the payload encrypted to
 * the browser's keys (RFC 8291, aes128gcm) and the VAPID signature (RFC
 * 8292). Sending is ours, with `fetch`, so it has a time limit, no
 * redirects, a bounded queue and retries, like the hooks.
 *
 * What a push tells: the push service sees only ciphertext, its size and
 * when it was sent; the notification shows on a lock screen, so unless the
 * sender's `pushData` says otherwise it holds a generic text, never the
 * message, its sender or the conversation's name. The conversation id rides
 * along (hidden) so a click can open it.
 */
import { createHash } from 'node:crypto';
import webPush from 'web-push';
import { errorFields, type Logger } from '../observability/logger.js';
import type { ServerMetrics } from '../observability/metrics.js';
import { RetryQueue } from '../outbound/retry-queue.js';
import type { WebPushSettings } from './settings.js';
import type { PushSubscriptions, StoredSubscription } from './subscriptions.js';
import type { VapidKeys } from './vapid-keys.js';

/** What the service worker gets, as JSON. */
export interface PushPayload {
  title: string;
  body: string;
  /** The conversation, for the click. */
  cid: string;
}

/** Pushes waiting or being retried; beyond, new ones are dropped (and counted). */
const MAX_QUEUED = 10_000;
const CONCURRENCY = 8;
/** Longest title and body taken from `pushData`, in characters. */
const MAX_TITLE = 100;
const MAX_BODY = 500;
/** Remembered (client, conversation) pairs for `minIntervalMs`. */
const MAX_RECENT = 100_000;
/** Longest `Retry-After` honoured, ms. */
const MAX_RETRY_AFTER_MS = 300_000;

const GENERIC: Record<'en' | 'zh', { title: string; body: string }> = {
  en: { title: 'New message', body: 'Open the chat to read it.' },
  zh: { title: '新消息', body: '打开聊天查看。' },
};

interface Job {
  appId: string;
  clientId: string;
  endpoint: string;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
}

/** A push service's refusal: whether to try again, and whether the subscription is gone. */
class PushRefused extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`push service answered HTTP ${status}`);
  }
}

export class WebPush {
  private readonly pushes: RetryQueue<Job>;
  private readonly recent = new Map<string, number>();
  private closed = false;

  constructor(
    readonly settings: WebPushSettings,
    readonly keys: VapidKeys,
    readonly subscriptions: PushSubscriptions,
    private readonly logger: Logger,
    private readonly metrics: ServerMetrics,
  ) {
    this.pushes = new RetryQueue<Job>({
      maxQueued: MAX_QUEUED,
      concurrency: CONCURRENCY,
      retries: settings.retries,
      retryBaseMs: settings.retryBaseMs,
      timeoutMs: settings.timeoutMs,
      attempt: (job, signal) => post(job, signal),
      judge: (_job, error) => {
        const status = error instanceof PushRefused ? error.status : undefined;
        // A network failure, 429 or 5xx may pass; anything else (404/410: the subscription is gone) will not.
        const transient = status === undefined || status === 429 || status >= 500;
        return { retry: transient, ...(error instanceof PushRefused && error.retryAfterMs !== undefined ? { afterMs: error.retryAfterMs } : {}) };
      },
      succeeded: () => metrics.countHook('webPush', 'ok'),
      retrying: () => metrics.countHook('webPush', 'retried'),
      failed: (job, error, attempts) => {
        metrics.countHook('webPush', 'failed');
        const status = error instanceof PushRefused ? error.status : undefined;
        if (status === 404 || status === 410) {
          // The browser unsubscribed or the subscription expired: it will never work again, from any node.
          this.subscriptions.drop(job.endpoint);
          logger.info({ appId: job.appId, clientId: job.clientId, status }, 'web push: subscription gone, forgotten');
        } else {
          logger.warn({ appId: job.appId, clientId: job.clientId, attempts, ...errorFields(error) }, 'web push failed; giving up');
        }
      },
      dropped: () => metrics.countHook('webPush', 'dropped'),
    });
  }

  /**
   * Whether anyone of the app could get a push (callers skip working out
   * who is offline otherwise): from memory, or at most once a second per
   * app from the store (another node may have registered its first).
   */
  wants(appId: string): boolean | Promise<boolean> {
    return !this.closed && this.subscriptions.hasApp(appId);
  }

  /**
   * Queues a push to each subscription (registered through any node) of
   * each client in `offline` (those not muting the conversation), unless
   * this node pushed the client for the conversation in the last
   * `minIntervalMs`. Returns at once: the subscriptions are looked up, and
   * the push services called, in the background.
   */
  notify(appId: string, cid: string, offline: readonly string[], pushData: string | null | undefined): void {
    if (this.closed) return;
    // Those pushed for this conversation a moment ago would be skipped below: not looked up at all.
    const pairOf = (clientId: string) => `${appId}\u0000${clientId}\u0000${cid}`;
    const asOf = Date.now();
    const candidates = offline.filter((clientId) => !this.pushedWithin(pairOf(clientId), asOf));
    if (candidates.length === 0) return;
    this.subscriptions.of(appId, candidates).then(
      (byClient) => {
        if (this.closed) return;
        const now = Date.now();
        for (const [clientId, list] of byClient) {
          if (!this.due(pairOf(clientId), now)) continue;
          for (const subscription of list) this.enqueue(appId, clientId, subscription, cid, pushData);
        }
      },
      (error: unknown) => this.logger.error({ appId, convId: cid, ...errorFields(error) }, 'web push: looking up subscriptions failed'),
    );
  }

  /** Pushes waiting, in flight or waiting to be retried (tests). */
  get pending(): number {
    return this.pushes.pending;
  }

  /** Stops sending: queued pushes are dropped, calls in flight aborted. */
  close(): void {
    this.closed = true;
    this.pushes.close();
  }

  private pushedWithin(pair: string, now: number): boolean {
    const last = this.recent.get(pair);
    return last !== undefined && now - last < this.settings.minIntervalMs;
  }

  private due(pair: string, now: number): boolean {
    if (this.pushedWithin(pair, now)) return false;
    this.recent.delete(pair);
    this.recent.set(pair, now);
    if (this.recent.size > MAX_RECENT) this.recent.delete(this.recent.keys().next().value!);
    return true;
  }

  private enqueue(appId: string, clientId: string, subscription: StoredSubscription, cid: string, pushData: string | null | undefined): void {
    // Checked before encrypting, so a flood into a full queue costs no crypto.
    if (this.pushes.size >= MAX_QUEUED) {
      this.metrics.countHook('webPush', 'dropped');
      return;
    }
    const payload = JSON.stringify(payloadOf(cid, pushData, subscription.lang));
    let details: ReturnType<typeof webPush.generateRequestDetails>;
    try {
      details = webPush.generateRequestDetails({ endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } }, payload, {
        vapidDetails: { subject: this.settings.subject, publicKey: this.keys.publicKey, privateKey: this.keys.privateKey },
        TTL: this.settings.ttlSeconds,
        contentEncoding: 'aes128gcm',
        urgency: 'normal',
        // One pending push per conversation at the push service: a newer one replaces it while the browser is away.
        topic: createHash('sha256').update(cid).digest('base64url').slice(0, 32),
      });
    } catch (error) {
      this.metrics.countHook('webPush', 'failed');
      this.logger.warn({ appId, clientId, ...errorFields(error) }, 'web push: could not build the request');
      return;
    }
    const headers: Record<string, string> = {};
    // fetch sets Content-Length from the body itself.
    for (const [name, value] of Object.entries(details.headers)) if (name.toLowerCase() !== 'content-length') headers[name] = String(value);
    this.pushes.push({ appId, clientId, endpoint: details.endpoint, headers, body: new Uint8Array(details.body ?? Buffer.alloc(0)) });
  }
}

/** One POST to the push service; rejects with PushRefused on any answer but 2xx. */
async function post(job: Job, signal: AbortSignal): Promise<void> {
  const response = await fetch(job.endpoint, { method: 'POST', headers: job.headers, body: job.body, signal, redirect: 'error' });
  // The answer's body says nothing we act on: not read, so a hostile endpoint cannot make us hold one.
  await response.body?.cancel().catch(() => {});
  if (response.status >= 200 && response.status < 300) return;
  throw new PushRefused(response.status, retryAfterMs(response.headers.get('retry-after')));
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null || !/^\d{1,6}$/.test(header.trim())) return undefined;
  return Math.min(Number(header.trim()) * 1000, MAX_RETRY_AFTER_MS);
}

/**
 * The notification for a message: the title and text the sender's
 * `pushData` gives (LeanCloud's shape, `{alert, title}` at the top or under
 * `data`; `alert` may be `{title, body}` as for iOS), else a generic text in
 * the subscriber's language. Nothing of the message itself.
 */
export function payloadOf(cid: string, pushData: string | null | undefined, lang: string | undefined): PushPayload {
  const generic = GENERIC[lang?.toLowerCase().startsWith('zh') ? 'zh' : 'en'];
  const given = readPushData(pushData);
  const title = clip(given.title, MAX_TITLE) ?? generic.title;
  const body = clip(given.body, MAX_BODY) ?? (given.title === undefined ? generic.body : '');
  return { title, body, cid };
}

function readPushData(pushData: string | null | undefined): { title?: string; body?: string } {
  if (!pushData) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(pushData);
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== 'object') return {};
  const outer = parsed as Record<string, unknown>;
  const fields = outer.data !== null && typeof outer.data === 'object' ? (outer.data as Record<string, unknown>) : outer;
  const alert = fields.alert;
  const result: { title?: string; body?: string } = {};
  if (typeof fields.title === 'string') result.title = fields.title;
  if (typeof alert === 'string') result.body = alert;
  else if (alert !== null && typeof alert === 'object') {
    const { title, body } = alert as Record<string, unknown>;
    if (typeof title === 'string') result.title = title;
    if (typeof body === 'string') result.body = body;
  }
  return result;
}

/** Control characters out, at most `max` characters; undefined when nothing is left. */
function clip(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const cleaned = [...text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim()].slice(0, max).join('');
  return cleaned === '' ? undefined : cleaned;
}
