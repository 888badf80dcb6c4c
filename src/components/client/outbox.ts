/**
 * The messages of ours not yet acknowledged, for one shared client: kept in
 * the cache (so they survive going offline and reloading), sent one at a
 * time in the order they were typed when the client is online, each with
 * its own dedup token so a retry is never stored twice, and marked failed
 * for good when the server refuses them (muted, too large).
 */
import { ClientErrorName, ProtocolError, isTransientError, type Conversation, type Message } from '../../sdk/index.js';
import type { ChatCache, OutboxEntry, OutboxFile, SendFailure, UploadFailure } from '../cache/chat-cache.js';
import { fromSdkMessage, isRecord, type ChatMessage } from '../model/chat-message.js';
import { frameBytes } from './limits.js';

/** 4563 SILIENCED: the sender is muted in the conversation. */
const SILENCED_CODE = 4563;

type TooLarge = Extract<SendFailure, { reason: 'too-large' }>;

/** What the {@link Outbox} needs from the shared client. */
export interface OutboxHost {
  readonly clientId: string;
  /** Base64 frames (they are larger than binary ones). */
  readonly noBinary: boolean;
  readonly cache: Promise<ChatCache>;
  /** Whether messages may be sent now. */
  online(): boolean;
  /** Asks the server's limits if still unknown. */
  limits(): Promise<unknown>;
  /** The frame limit as the server said it (`/limits`) and as the SDK learnt it (a 1009 close). */
  frameLimits(): { server: number | undefined; sdk: number | undefined };
  /** Rebuilds an unsent message from its payload with its dedup token. */
  restoreMessage(payload: unknown, dt: string): Message;
  conversation(cid: string): Promise<Conversation>;
  /** Writes to the cache; a failure is reported, not thrown. */
  withCache(write: (cache: ChatCache) => Promise<void>): Promise<void>;
  report(error: unknown, operation: string): void;
  /** The pending messages of `cid` changed. */
  changed(cid: string): void;
  /** A message was acknowledged: it replaces the pending one with the same `localId`. */
  sent(message: ChatMessage, conversation: Conversation): void;
  /** The server refused a message because the user is muted in `cid`. */
  muted(cid: string): void;
  /**
   * Uploads a waiting attachment and builds its typed message (image,
   * audio, video or file). Throws what the upload threw.
   */
  upload(file: OutboxFile, signal: AbortSignal, progress: (fraction: number) => void): Promise<Message>;
  /** What an upload's error means for the user; undefined for a lost connection (tried again when it is back). */
  uploadFailure(error: unknown, file: OutboxFile): Promise<UploadFailure | undefined>;
}

/** Whether retrying the same upload can help. */
export function permanentUploadFailure(failure: SendFailure | undefined): boolean {
  return failure?.reason === 'upload' && ['too-large', 'type', 'quota', 'denied'].includes(failure.cause);
}

/** The error a message over the server's limit is marked with. */
export function tooLargeError(failure: TooLarge): ProtocolError {
  return new ProtocolError(0, {
    name: ClientErrorName.MESSAGE_TOO_LARGE,
    message: `message not sent: ${failure.bytes} bytes, the server accepts at most ${failure.limit} (its --max-payload)`,
  });
}

/** A short description of a failure, stored with the entry. */
export function describe(error: unknown): string {
  if (error instanceof ProtocolError) return error.detail ? `${error.name}: ${error.detail}` : error.name;
  return error instanceof Error ? error.message : String(error);
}

/** See the module comment. */
export class Outbox {
  readonly #host: OutboxHost;
  #entries = new Map<string, OutboxEntry>();
  readonly #loaded: Promise<void>;
  // The Message instances of entries sent from this page: sending the same
  // instance again reuses its dt, so the server stores it once.
  #instances = new Map<string, Message>();
  #delivering: Promise<unknown> = Promise.resolve();
  // Uploads under way (cancelled by discard) and how far each is: not kept, a reload starts the upload over.
  #uploads = new Map<string, AbortController>();
  #progress = new Map<string, number>();

  constructor(host: OutboxHost) {
    this.#host = host;
    this.#loaded = host.cache
      .then((cache) => cache.outbox())
      .then(
        (entries) => {
          for (const entry of entries) if (!this.#entries.has(entry.localId)) this.#entries.set(entry.localId, entry);
          for (const cid of new Set(entries.map((entry) => entry.cid))) host.changed(cid);
        },
        (error: unknown) => host.report(error, 'cache'),
      );
  }

  /** The conversations with pending messages. */
  conversations(): Set<string> {
    return new Set([...this.#entries.values()].map((entry) => entry.cid));
  }

  /** Messages of ours not yet acknowledged, as the list shows them. */
  pending(cid: string): ChatMessage[] {
    const online = this.#host.online();
    return [...this.#entries.values()]
      .filter((entry) => entry.cid === cid)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((entry) => {
        const message: ChatMessage = {
          id: entry.localId,
          localId: entry.localId,
          cid: entry.cid,
          from: entry.from,
          timestamp: entry.createdAt,
          type: isRecord(entry.payload) && typeof entry.payload._lctype === 'number' ? entry.payload._lctype : null,
          payload: entry.payload,
          status: entry.state === 'failed' ? 'failed' : online ? 'sending' : 'queued',
        };
        const text = isRecord(entry.payload) ? entry.payload._lctext : entry.payload;
        if (typeof text === 'string') message.text = text;
        if (isRecord(entry.payload) && isRecord(entry.payload._lcattrs)) message.attributes = entry.payload._lcattrs;
        if (entry.error) message.error = entry.error;
        if (entry.failure) message.failure = entry.failure;
        if (entry.file) message.upload = { progress: this.#progress.get(entry.localId) ?? 0, name: entry.file.name, size: entry.file.blob.size };
        return message;
      });
  }

  /** Why a payload cannot be sent as it is, by what is known of the server's limit now. */
  #oversize(payload: unknown): TooLarge | undefined {
    const { server, sdk } = this.#host.frameLimits();
    const limit = server ?? sdk;
    if (limit === undefined) return undefined;
    const bytes = frameBytes(payload, this.#host.noBinary);
    return bytes > limit ? { reason: 'too-large', bytes, limit } : undefined;
  }

  /**
   * Puts a message into the outbox (and the cache), then sends it if online.
   * @returns the pending message as the list shows it
   */
  async add(cid: string, message: Message): Promise<ChatMessage> {
    const host = this.#host;
    const entry: OutboxEntry = {
      localId: message.id,
      cid,
      from: host.clientId,
      payload: message.toJSON(),
      createdAt: Date.now(),
      state: 'sending',
    };
    if (message.mentionList.length || message.mentionedAll) entry.mentions = { list: [...message.mentionList], all: message.mentionedAll };
    // Over the server's limit: kept (so the user sees it and can delete it)
    // but never queued, since the server would close the socket on it.
    const failure = this.#oversize(entry.payload);
    if (failure) {
      const error = tooLargeError(failure);
      Object.assign(entry, { state: 'failed', error: describe(error), failure });
      host.report(error, 'send');
    }
    this.#instances.set(entry.localId, message);
    await this.#loaded;
    this.#entries.set(entry.localId, entry);
    await host.withCache((cache) => cache.putOutbox(entry));
    host.changed(cid);
    if (host.online() && !failure) void this.#enqueue(entry.localId);
    return this.pending(cid).find((pending) => pending.localId === entry.localId)!;
  }

  /**
   * Puts an attachment into the outbox with its bytes: uploaded, then sent
   * as a typed message, when online (at once if online now), in order with
   * the texts around it.
   * @throws OutboxFullError (`OUTBOX_FULL`) past `OUTBOX_MAX_FILES` or `OUTBOX_MAX_FILE_BYTES` (outbox-files.ts)
   * @returns the pending message as the list shows it
   */
  async addFile(cid: string, file: OutboxFile, mentions?: OutboxEntry['mentions']): Promise<ChatMessage> {
    const host = this.#host;
    await this.#loaded;
    // Loaded with the first attachment, like the upload code: most pages never send one.
    const { fileEntry } = await import('./outbox-files.js');
    const entry = fileEntry(cid, host.clientId, file, mentions, [...this.#entries.values()]);
    this.#entries.set(entry.localId, entry);
    await host.withCache((cache) => cache.putOutbox(entry));
    host.changed(cid);
    if (host.online()) void this.#enqueue(entry.localId);
    return this.pending(cid).find((pending) => pending.localId === entry.localId)!;
  }

  /** Sends a failed (refused) message again, with the same dt; not one over the size limit, which would fail again. */
  resend(localId: string): void {
    const entry = this.#entries.get(localId);
    if (!entry || (entry.failure && !(entry.failure.reason === 'upload' && !permanentUploadFailure(entry.failure)))) return;
    delete entry.failure;
    entry.state = 'sending';
    delete entry.error;
    void this.#host.withCache((cache) => cache.putOutbox(entry));
    this.#host.changed(entry.cid);
    if (this.#host.online()) void this.#enqueue(localId);
  }

  /** Drops a pending message without sending it. */
  async discard(localId: string): Promise<void> {
    const entry = this.#entries.get(localId);
    if (!entry) return;
    this.#entries.delete(localId);
    this.#instances.delete(localId);
    this.#uploads.get(localId)?.abort();
    await this.#host.withCache((cache) => cache.deleteOutbox(localId));
    this.#host.changed(entry.cid);
  }

  /** Forgets everything (the cache is cleared by the caller). */
  clear(): void {
    for (const upload of this.#uploads.values()) upload.abort();
    this.#entries.clear();
    this.#instances.clear();
  }

  /** Back online: sends every waiting entry, oldest first. */
  flush(): void {
    void this.#loaded.then(() => {
      const waiting = [...this.#entries.values()].filter((entry) => entry.state === 'sending').sort((a, b) => a.createdAt - b.createdAt);
      for (const cid of new Set(waiting.map((entry) => entry.cid))) this.#host.changed(cid);
      for (const entry of waiting) void this.#enqueue(entry.localId);
    });
  }

  /** Deliveries run one at a time, in order, so a conversation's messages keep the order they were typed in. */
  #enqueue(localId: string): Promise<unknown> {
    this.#delivering = this.#delivering.then(() => this.#deliver(localId));
    return this.#delivering;
  }

  async #deliver(localId: string): Promise<void> {
    const host = this.#host;
    const entry = this.#entries.get(localId);
    if (!entry || entry.state !== 'sending' || !host.online()) return;
    if (entry.file && !(await this.#upload(entry))) return;
    let message = this.#instances.get(localId);
    if (!message) {
      // Written before a reload: rebuild it with its original dedup token
      // (the local id), so that if the first attempt reached the server,
      // this one is acknowledged as the same message instead of a copy.
      // As the class registered for its type (the page's plugins' included).
      message = host.restoreMessage(entry.payload, localId);
      if (entry.mentions) {
        message.mentionList = [...entry.mentions.list];
        message.mentionedAll = entry.mentions.all;
      }
      this.#instances.set(localId, message);
    }
    let conversation: Conversation;
    try {
      // Written before the limit was known (offline, or before a reload):
      // checked now, before it can make the server close the socket.
      await host.limits();
      const failure = this.#oversize(entry.payload);
      if (failure) {
        entry.failure = failure;
        throw tooLargeError(failure);
      }
      conversation = await host.conversation(entry.cid);
      await conversation.send(message, { receipt: true });
    } catch (error) {
      if (!this.#entries.has(localId)) return;
      if (isTransientError(error)) {
        host.changed(entry.cid);
        return;
      }
      entry.state = 'failed';
      entry.error = describe(error);
      if (error instanceof ProtocolError && error.code === SILENCED_CODE) {
        // Muted here: sending it again cannot succeed while the mute lasts.
        entry.failure = { reason: 'muted' };
        host.muted(entry.cid);
      }
      if (error instanceof ProtocolError && error.name === ClientErrorName.MESSAGE_TOO_LARGE && !entry.failure) {
        // The SDK refused it, or the server closed the socket on it.
        const { server, sdk } = host.frameLimits();
        entry.failure = { reason: 'too-large', bytes: frameBytes(entry.payload, host.noBinary), limit: sdk ?? server ?? 0 };
      }
      await host.withCache((cache) => cache.putOutbox(entry));
      host.changed(entry.cid);
      host.report(error, 'send');
      return;
    }
    const record: ChatMessage = { ...fromSdkMessage(message, entry.cid, host.clientId), localId };
    this.#entries.delete(localId);
    this.#instances.delete(localId);
    await host.withCache(async (cache) => {
      await cache.putMessages([record]);
      await cache.deleteOutbox(localId);
    });
    host.sent(record, conversation);
    host.changed(entry.cid);
  }

  /**
   * Uploads a waiting attachment; on success its entry becomes an ordinary
   * typed message (the bytes leave IndexedDB). False when it did not
   * (cancelled, offline again, or failed: the entry says why).
   */
  async #upload(entry: OutboxEntry): Promise<boolean> {
    const controller = new AbortController();
    this.#uploads.set(entry.localId, controller);
    this.#progress.set(entry.localId, 0);
    try {
      const { uploadEntry } = await import('./outbox-files.js');
      const message = await uploadEntry(entry, this.#host, controller.signal, {
        has: () => this.#entries.has(entry.localId),
        progress: (fraction) => this.#progress.set(entry.localId, fraction),
      });
      if (message) this.#instances.set(entry.localId, message);
      return message !== undefined;
    } finally {
      this.#uploads.delete(entry.localId);
      this.#progress.delete(entry.localId);
    }
  }
}
