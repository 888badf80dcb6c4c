/**
 * Hooks: HTTP calls to the app's own server when things happen (issue 15).
 *
 * Every call is a JSON POST signed with HMAC-SHA256, so the app can check
 * it came from us: `X-LC-Hook-Signature: sha256=<hex of
 * HMAC(secret, "<X-LC-Hook-Timestamp>.<body>")>`, the secret being the
 * app's `hooks.secret` or else its master key.
 *
 * `messageReceived` is asked before a message is stored and may drop it or
 * change its content; it has one try within `hookTimeoutMs`, and when it
 * fails or times out the message goes through unchanged (or, with
 * `messageHookFailure: 'drop'`, is refused). The other events are
 * notifications: queued (bounded), sent a few at a time, retried with
 * exponential backoff, and never in the way of a message.
 */
import { createHmac } from 'node:crypto';
import type { AppConfig, ServerConfig } from '../config.js';
import { errorFields, type Logger } from '../observability/logger.js';
import type { ServerMetrics } from '../observability/metrics.js';
import { RetryQueue, withTimeout } from '../outbound/retry-queue.js';

export const HOOK_EVENTS = ['messageReceived', 'receiversOffline', 'conversationStarted', 'membersChanged', 'clientOnline', 'clientOffline'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** An app's hook settings (AppConfig.hooks). */
export interface AppHooks {
  /** The URL each event is POSTed to; events without one are not sent. */
  urls: Partial<Record<HookEvent, string>>;
  /** HMAC key of the signature; defaults to the app's master key. */
  secret?: string;
}

/** What `messageReceived` decided. */
export type MessageVerdict = { drop: false; content: string | undefined } | { drop: true; code: number | undefined; detail: string | undefined };

/** Notifications waiting or being retried; beyond, new ones are dropped (and counted). */
const MAX_QUEUED = 10_000;
/** Notifications in flight at once. */
const CONCURRENCY = 8;
/** Bytes of a hook's answer read; a longer one is a failed call. */
const MAX_ANSWER_BYTES = 256 * 1024;

interface Pending {
  appId: string;
  event: Exclude<HookEvent, 'messageReceived'>;
  url: string;
  body: string;
  secret: string;
}

export class Hooks {
  private readonly apps = new Map<string, { urls: Partial<Record<HookEvent, string>>; secret: string }>();
  private readonly notifications: RetryQueue<Pending>;
  /** messageReceived calls in flight, aborted at close. */
  private readonly controllers = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly config: Pick<ServerConfig, 'hookTimeoutMs' | 'hookRetries' | 'hookRetryBaseMs' | 'messageHookFailure'> & { apps: readonly AppConfig[] },
    private readonly logger: Logger,
    private readonly metrics: ServerMetrics,
  ) {
    for (const app of config.apps) {
      if (app.hooks) this.apps.set(app.appId, { urls: app.hooks.urls, secret: app.hooks.secret ?? app.masterKey });
    }
    this.notifications = new RetryQueue<Pending>({
      maxQueued: MAX_QUEUED,
      concurrency: CONCURRENCY,
      retries: config.hookRetries,
      retryBaseMs: config.hookRetryBaseMs,
      timeoutMs: config.hookTimeoutMs,
      attempt: async (item, signal) => void (await this.post(item.url, item.event, item.body, item.secret, signal)),
      succeeded: (item) => metrics.countHook(item.event, 'ok'),
      retrying: (item) => metrics.countHook(item.event, 'retried'),
      failed: (item, error, attempts) => {
        metrics.countHook(item.event, 'failed');
        logger.warn({ appId: item.appId, event: item.event, attempts, ...errorFields(error) }, 'hook failed; giving up');
      },
      dropped: (item) => {
        metrics.countHook(item.event, 'dropped');
        logger.warn({ appId: item.appId, event: item.event, queued: this.notifications.size }, 'hook queue full: notification dropped');
      },
    });
  }

  /** Whether the app has a URL for this event (callers skip building the payload otherwise). */
  wants(appId: string, event: HookEvent): boolean {
    return this.apps.get(appId)?.urls[event] !== undefined;
  }

  /**
   * Asks `messageReceived` about a message. The app answers `{drop: true,
   * code?, detail?}` to refuse it, `{content: "…"}` to replace its text,
   * or anything else (`{}`) to let it through.
   */
  async messageReceived(appId: string, payload: Record<string, unknown>): Promise<MessageVerdict> {
    const pass: MessageVerdict = { drop: false, content: undefined };
    const app = this.apps.get(appId);
    const url = app?.urls.messageReceived;
    if (!app || !url) return pass;
    const body = JSON.stringify({ event: 'messageReceived', appId, ...payload });
    try {
      const answer = await withTimeout(this.config.hookTimeoutMs, this.controllers, (signal) => this.post(url, 'messageReceived', body, app.secret, signal));
      this.metrics.countHook('messageReceived', 'ok');
      if (answer?.drop === true) {
        const code = typeof answer.code === 'number' && Number.isInteger(answer.code) ? answer.code : undefined;
        const detail = typeof answer.detail === 'string' ? answer.detail.slice(0, 200) : undefined;
        return { drop: true, code, detail };
      }
      return { drop: false, content: typeof answer?.content === 'string' ? answer.content : undefined };
    } catch (error) {
      this.metrics.countHook('messageReceived', 'failed');
      this.logger.warn({ appId, event: 'messageReceived', policy: this.config.messageHookFailure, ...errorFields(error) }, 'hook failed');
      return this.config.messageHookFailure === 'drop' ? { drop: true, code: undefined, detail: 'the app did not answer in time' } : pass;
    }
  }

  /** Queues a notification; returns at once. */
  notify(appId: string, event: Exclude<HookEvent, 'messageReceived'>, payload: Record<string, unknown>): void {
    const app = this.apps.get(appId);
    const url = app?.urls[event];
    if (!app || !url || this.closed) return;
    this.notifications.push({ appId, event, url, body: JSON.stringify({ event, appId, ...payload }), secret: app.secret });
  }

  /** Notifications waiting (for tests and /health). */
  get pending(): number {
    return this.notifications.pending;
  }

  /** Stops retrying and aborts calls in flight. */
  close(): void {
    this.closed = true;
    this.notifications.close();
    for (const controller of this.controllers) controller.abort();
  }

  /** One signed POST; resolves with the JSON answer (or undefined), rejects on any failure. */
  private async post(url: string, event: HookEvent, body: string, secret: string, signal: AbortSignal): Promise<Record<string, unknown> | undefined> {
    const timestamp = String(Date.now());
    const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-LC-Hook-Event': event, 'X-LC-Hook-Timestamp': timestamp, 'X-LC-Hook-Signature': `sha256=${signature}` },
      body,
      signal,
      redirect: 'error',
    });
    const text = await readBounded(response);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    if (text.trim() === '') return undefined;
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  }
}

async function readBounded(response: Response): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) throw new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Checks an app's hook settings; throws naming the bad one. */
export function checkAppHooks(hooks: unknown): void {
  if (hooks === undefined) return;
  if (hooks === null || typeof hooks !== 'object') throw new Error('hooks must be an object');
  const { urls, secret } = hooks as AppHooks;
  if (urls === null || typeof urls !== 'object') throw new Error('hooks.urls must be an object');
  for (const [event, url] of Object.entries(urls)) {
    if (!(HOOK_EVENTS as readonly string[]).includes(event)) throw new Error(`hooks.urls: unknown event ${event}; events are ${HOOK_EVENTS.join(', ')}`);
    let parsed: URL;
    try {
      parsed = new URL(String(url));
    } catch {
      throw new Error(`hooks.urls.${event}: not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`hooks.urls.${event}: must be http or https`);
  }
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < 16)) throw new Error('hooks.secret must be at least 16 characters');
}
