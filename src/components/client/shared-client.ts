/**
 * One logged-in client shared by every widget of a page that names the same
 * (server, app, clientId): one Realtime, one IMClient, one cache and one
 * outbox. Turns the SDK's connection events into one visible state and
 * has its outbox (client/outbox.ts) send what was typed offline once the
 * connection is back; conversation lookup is client/conversations.ts. Reconnecting,
 * the first connect's included, is the SDK's (`retryFirstConnect`): one
 * Realtime, one back-off, for the life of the client.
 */
import {
  EventEmitter,
  Message,
  ProtocolError,
  Realtime,
  TextMessage,
  type Conversation,
  type IMClient,
} from '../../sdk/index.js';
import type { LcFile, LcFileSaveOptions } from '../../sdk/typed-messages/lc-file.js';
import { openChatCache, type ChatCache } from '../cache/chat-cache.js';
import { fromSdkMessage, TYPING_KEY, typingState, type ChatMessage } from '../model/chat-message.js';
import { clientKey, type ClientOptions } from './client-options.js';
import type { Outbox, OutboxHost } from './outbox.js';
import { Conversations, receiptTimes, type ConversationSpec, type ReceiptTimes } from './conversations.js';
import { fetchLimits, type ServerLimits } from './limits.js';
import type { SetupError } from './setup-error.js';
import { conversationSignatureFactory, loginSignatureFactory, SignatureError } from './signature.js';

/**
 * What the widgets show about the connection (not the SDK's
 * `ConnectionState`, whose `offline` means paused):
 * `connecting` (first login), `online`, `offline` (lost; a retry is
 * scheduled), `reconnecting`, `conflict` (another device took the session
 * over), `closed` (logged out or closed by the server), `error` (login
 * refused, e.g. the signature endpoint failed).
 */
export type WidgetConnectionState = 'connecting' | 'online' | 'offline' | 'reconnecting' | 'conflict' | 'closed' | 'error';

/**
 * @deprecated Use {@link WidgetConnectionState}: the widgets' `offline`
 * means "connection lost", the SDK's `ConnectionState` `offline` "paused".
 */
export type ConnectionState = WidgetConnectionState;

export type { ConversationSpec, ReceiptTimes } from './conversations.js';

/**
 * The user's standing in a conversation: `member`; `muted` (its messages
 * are refused, 4563 SILIENCED); `removed` (kicked); `blocked` (kicked and
 * blocked: it cannot join or be added back).
 */
export type MembershipStatus = 'member' | 'muted' | 'removed' | 'blocked';

/** A text draft about to be sent; `lc-before-send` may change it. */
export interface OutgoingDraft {
  text: string;
  attributes?: Record<string, unknown>;
  /** Members mentioned (`mentionList`); `all` for "@all" (`mentionedAll`). Group conversations. */
  mentions?: { list: string[]; all: boolean };
}

export interface SharedClientEvents {
  state: [state: WidgetConnectionState, previous: WidgetConnectionState];
  /** A message from someone (or from this user on another device) arrived. */
  message: [message: ChatMessage, conversation: Conversation];
  /** A member started or stopped typing. */
  typing: [cid: string, from: string, typing: boolean];
  /** The pending (unacknowledged) messages of a conversation changed. */
  outbox: [cid: string];
  /** A message of ours was acknowledged: it replaces the pending one with the same `localId`. */
  sent: [message: ChatMessage, conversation: Conversation];
  /** A message of ours was delivered (or read). */
  receipt: [message: ChatMessage];
  /**
   * One-to-one conversations: the other member received (`deliveredAt`) or
   * read (`readAt`) everything up to these times (ms).
   */
  receipts: [cid: string, times: ReceiptTimes];
  /** A message was edited or recalled. */
  update: [message: ChatMessage, conversation: Conversation];
  /** A conversation's unread count changed. */
  unread: [cid: string, count: number];
  /** Something failed that the user should know about; `operation` says what (`login`, `send`, `cache`, `read`). */
  error: [error: Error, operation: string];
  /** While offline: the next attempt to connect is due at `at` (ms since the epoch). */
  schedule: [at: number];
  /** The user was muted, unmuted, removed or blocked in a conversation (from the server's pushes or a refused send). */
  membership: [cid: string, status: MembershipStatus];
}

/** How long an unanswered `GET /limits` is not asked again. */
const LIMITS_RETRY_MS = 60_000;

/** Pages of `queryMutedMembers` read at most to learn at load whether the user is muted (100 ids each). */
const MUTED_PAGES_MAX = 10;

/** What was thrown, as an Error (a string or anything else becomes one's message). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class SharedClient extends EventEmitter<SharedClientEvents> {
  readonly options: Readonly<ClientOptions>;
  readonly key: string;
  /** The last login or connection error, for the UI. */
  lastError: Error | undefined;
  /**
   * Set when the login failed because of how the page set the widget up
   * (unknown app id, missing signature endpoint…): retrying cannot help,
   * so the widgets show what to fix and no Retry.
   */
  setupError: SetupError | undefined;
  /** While offline: when the next attempt to connect is due (ms since the epoch), if one is scheduled. */
  nextAttemptAt: number | undefined;

  readonly #realtime: Realtime;
  #client: IMClient | undefined;
  // A createIMClient is under way (the SDK retrying the first connect included).
  #loggingIn = false;
  #state: WidgetConnectionState = 'connecting';
  #cache: Promise<ChatCache>;
  // The outbox (outbox.ts) is not in the first load: it loads as the
  // client starts (#loadOutbox), beside the cache and the connection.
  // Nothing is pending before it has read the cache anyway (it then says
  // which conversations have pending messages), and every send waits for
  // it, so what was restored from the cache goes out before anything typed
  // after, in order.
  #outbox: Outbox | undefined;
  #outboxLoading: Promise<Outbox> | undefined;
  readonly #outboxHost: OutboxHost;
  #waiters: Array<(client: IMClient) => void> = [];
  readonly #conversations: Conversations;
  #unread = new Map<string, number>();
  #membership = new Map<string, MembershipStatus>();
  #closed = false;
  #limits: ServerLimits | undefined;
  #limitsRequest: Promise<ServerLimits | undefined> | undefined;
  #limitsFailedAt = -Infinity;

  constructor(options: ClientOptions) {
    super();
    this.options = Object.freeze({ ...options });
    this.key = clientKey(options);
    this.#cache = openChatCache({
      server: options.server,
      appId: options.appId,
      clientId: options.clientId,
      ...(options.cacheLimit ? { maxMessagesPerConversation: options.cacheLimit } : {}),
    });
    this.#outboxHost = {
      clientId: options.clientId,
      noBinary: Boolean(options.noBinary),
      cache: this.#cache,
      online: () => this.#state === 'online',
      limits: () => this.limits(),
      frameLimits: () => ({ server: this.#limits?.maxPayload, sdk: this.#realtime.maxFrameBytes }),
      restoreMessage: (payload, dt) => this.#realtime.restoreMessage(payload, { dt }),
      conversation: (cid) => this.conversation({ id: cid }),
      withCache: (write) => this.#withCache(write),
      report: (error, operation) => this.#report(error, operation),
      changed: (cid) => this.emit('outbox', cid),
      sent: (message, conversation) => this.emit('sent', message, conversation),
      muted: (cid) => this.#setMembership(cid, 'muted'),
      upload: async (file, signal, progress) => (await import('./attachment-upload.js')).uploadAttachment(this, file, signal, progress),
      uploadFailure: async (error, file) => {
        const { uploadFailure } = await import('./upload-failure.js');
        return uploadFailure(error, file.blob.type, this.#limits?.maxUploadBytes, this.#state === 'online');
      },
    };
    // A failed load is tried again by the next send, which reports it.
    this.#loadOutbox().catch(() => undefined);
    this.#conversations = new Conversations({
      clientId: options.clientId,
      cache: this.#cache,
      ready: () => this.ready(),
      withCache: (write) => this.#withCache(write),
      resolved: (conversation) => {
        void this.#checkMuted(conversation);
        this.#setUnread(conversation.id, conversation.unreadMessagesCount);
      },
      receipts: (cid, times) => this.emit('receipts', cid, times),
      receipt: (message) => this.emit('receipt', message),
    });
    this.#realtime = new Realtime({
      appId: options.appId,
      server: options.server,
      retryFirstConnect: true,
      ...(options.appKey ? { appKey: options.appKey } : {}),
      ...(options.noBinary ? { noBinary: true } : {}),
      ...(options.plugins ? { plugins: [...options.plugins] } : {}),
      ...(options.timings ? { timings: options.timings } : {}),
    });
    this.#wireRealtime(this.#realtime);
    void this.limits();
    void this.#login();
  }

  /**
   * The server's limits (message size, upload size), asked once and
   * remembered; asked again after a failure. Undefined while unknown:
   * the server still refuses what is over them.
   */
  limits(): Promise<ServerLimits | undefined> {
    if (this.#limits) return Promise.resolve(this.#limits);
    // Each delivery asks while the limits are unknown: not every time when the server cannot say.
    if (!this.#limitsRequest && Date.now() - this.#limitsFailedAt < LIMITS_RETRY_MS) return Promise.resolve(undefined);
    this.#limitsRequest ??= fetchLimits(this.options.server).then((limits) => {
      this.#limitsRequest = undefined;
      if (!limits) this.#limitsFailedAt = Date.now();
      if (limits) {
        this.#limits = limits;
        // The SDK then refuses a frame the server would close the socket on.
        this.#realtime.maxFrameBytes = limits.maxPayload;
      }
      return limits;
    });
    return this.#limitsRequest;
  }

  /** The server's limits if already known. */
  get knownLimits(): ServerLimits | undefined {
    return this.#limits;
  }

  get clientId(): string {
    return this.options.clientId;
  }

  get state(): WidgetConnectionState {
    return this.#state;
  }

  /** The IMClient while logged in. */
  get imClient(): IMClient | undefined {
    return this.#client;
  }

  get cache(): Promise<ChatCache> {
    return this.#cache;
  }

  /** Resolves with the IMClient once logged in (at once if already). */
  ready(): Promise<IMClient> {
    if (this.#client && this.#state === 'online') return Promise.resolve(this.#client);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Reconnects now: after a lost connection, a failed login, a conflict
   * (taking the session back) or a logout.
   */
  retry(): void {
    if (this.#closed || this.#state === 'online' || this.#state === 'connecting') return;
    const realtime = this.#realtime;
    // An attempt is scheduled: now instead, the back-off starting over.
    if (realtime.state === 'waiting') return realtime.retry();
    // Paused because the browser said it lost the network: try anyway.
    if (realtime.state === 'offline') return realtime.resume();
    if (this.#loggingIn) return; // an attempt is under way
    // Logged out, taken over, or the session could not be re-opened: log in again.
    const stale = this.#client;
    this.#client = undefined;
    void (stale ? stale.close().catch(() => {}) : Promise.resolve()).then(() => this.#login());
  }

  /** Resolves the conversation a widget shows; the same promise while the session lasts. */
  conversation(spec: ConversationSpec): Promise<Conversation> {
    return this.#conversations.get(spec);
  }

  /** The id cached for a members conversation, so it can be shown offline. */
  cachedConversationId(spec: ConversationSpec): Promise<string | undefined> {
    return this.#conversations.cachedId(spec);
  }

  /** Messages of ours not yet acknowledged, as the list shows them (none known before the outbox has loaded: it then says which changed). */
  pending(cid: string): ChatMessage[] {
    return this.#outbox?.pending(cid) ?? [];
  }

  /** The outbox, once loaded (see `#outbox`); back online before it was, it sends what it restored. */
  #loadOutbox(): Promise<Outbox> {
    return (this.#outboxLoading ??= import('./outbox.js').then(
      ({ Outbox }) => {
        const outbox = (this.#outbox = new Outbox(this.#outboxHost));
        if (this.#state === 'online') outbox.flush();
        return outbox;
      },
      (error: unknown) => {
        this.#outboxLoading = undefined;
        throw error;
      },
    ));
  }

  /**
   * Sends a text: into the outbox first (so it survives going offline and
   * reloading), then to the server when connected.
   * @returns the pending message as the list shows it
   */
  sendText(cid: string, draft: OutgoingDraft): Promise<ChatMessage> {
    const message = new TextMessage(draft.text);
    if (draft.attributes) message.setAttributes(draft.attributes);
    if (draft.mentions) {
      message.mentionList = [...draft.mentions.list];
      message.mentionedAll = draft.mentions.all;
    }
    return this.#loadOutbox().then((outbox) => outbox.add(cid, message));
  }

  /**
   * Queues a file (from the picker, a paste or a drop) with its bytes: kept
   * in the outbox (IndexedDB) across going offline and reloading, uploaded
   * when online, then sent as an image, audio, video or file message by its
   * type. Progress and failures show on the pending message.
   * @param draft the caption (`text`), attributes and mentions of the message
   * @throws OutboxFullError when as many attachments (or bytes) as the outbox keeps are waiting
   */
  async sendAttachment(cid: string, file: File, draft: Partial<OutgoingDraft> = {}): Promise<ChatMessage> {
    return (await this.#loadOutbox()).addFile(
      cid,
      {
        blob: file,
        name: file.name || 'file',
        ...(draft.text ? { caption: draft.text } : {}),
        ...(draft.attributes ? { attributes: draft.attributes } : {}),
      },
      draft.mentions,
    );
  }

  /**
   * Where and as whom `LcFile#save` uploads the widgets' files: with the
   * app key when the page gave one, else as the logged-in client (its
   * session token).
   */
  async uploadOptions(): Promise<LcFileSaveOptions> {
    const { appKey, appId, server } = this.options;
    return appKey ? { server, appId, appKey } : { client: await this.ready() };
  }

  /**
   * Sends a saved file as an image, audio, video or file message (by the
   * type the server found in its bytes), through the outbox like a text.
   * @param file a file saved with `LcFile#save` (e.g. with `uploadOptions()`)
   * @param caption shown with the file (`_lctext`)
   */
  async sendFile(cid: string, file: LcFile, caption?: string): Promise<ChatMessage> {
    const { fileMessage } = await import('./attachment-upload.js');
    const message = await fileMessage(file, caption);
    return (await this.#loadOutbox()).add(cid, message);
  }

  /** Sends a failed (refused) message again, with the same dt; not one over the size limit, which would fail again. */
  resend(localId: string): void {
    this.#outbox?.resend(localId);
  }

  /** Drops a pending message without sending it. */
  discard(localId: string): Promise<void> {
    return this.#outbox?.discard(localId) ?? Promise.resolve();
  }

  /** Tells the others this user is (or stopped) typing: transient, best effort. */
  sendTyping(conversation: Conversation, typing: boolean): void {
    if (this.#state !== 'online') return;
    conversation.send(new Message({ [TYPING_KEY]: typing }), { transient: true }).catch(() => {});
  }

  /** The user's standing in a conversation, as last learnt (`member` until told otherwise). */
  membership(cid: string): MembershipStatus {
    return this.#membership.get(cid) ?? 'member';
  }

  #setMembership(cid: string, status: MembershipStatus): void {
    if (this.membership(cid) === status) return;
    if (status === 'member') this.#membership.delete(cid);
    else this.#membership.set(cid, status);
    this.emit('membership', cid, status);
  }

  /**
   * At load (and after each new login): whether the user is muted here, so
   * a mute or unmute missed while away shows (any member may ask; chat
   * rooms have no mutes, and a refusal says nothing).
   */
  async #checkMuted(conversation: Conversation): Promise<void> {
    const known = () => this.membership(conversation.id);
    const before = known();
    if (conversation.transient || (before !== 'member' && before !== 'muted')) return;
    let next: string | undefined;
    try {
      for (let page = 0; page < MUTED_PAGES_MAX; page++) {
        const found = await conversation.queryMutedMembers({ limit: 100, ...(next ? { next } : {}) });
        if (found.results.includes(this.clientId)) {
          if (known() === 'member') this.#setMembership(conversation.id, 'muted');
          return;
        }
        next = found.next;
        if (!next) {
          // The whole list, without the user: unmuted while away (not a mute learnt during the query).
          if (before === 'muted' && known() === 'muted') this.#setMembership(conversation.id, 'member');
          return;
        }
      }
    } catch {
      // Not answered (an older server, a chat room): the first refused send tells.
    }
  }

  /** The unread count of a conversation, as last known. */
  unread(cid: string): number {
    return this.#unread.get(cid) ?? 0;
  }

  /** All unread messages this client knows of. */
  get unreadTotal(): number {
    let total = 0;
    for (const count of this.#unread.values()) total += count;
    return total;
  }

  /** Marks a conversation read here and on the user's other devices. */
  markRead(conversation: Conversation): void {
    const had = this.#unread.get(conversation.id) ?? conversation.unreadMessagesCount;
    if (this.#state === 'online') void conversation.read().catch((error: unknown) => this.#report(error, 'read'));
    if (had !== 0) {
      this.#unread.set(conversation.id, 0);
      this.emit('unread', conversation.id, 0);
    }
  }

  /** A page of history from the server, newest first in pages, ascending inside; cached on the way. */
  async history(conversation: Conversation, limit: number, before?: { timestamp: number; id: string }): Promise<ChatMessage[]> {
    const messages = await conversation.queryMessages({
      limit,
      ...(before ? { beforeTime: before.timestamp, beforeMessageId: before.id } : {}),
    });
    const records = messages
      .filter((message) => typingState(message.toJSON()) === undefined)
      .map((message) => fromSdkMessage(message, conversation.id));
    void this.#withCache((cache) => cache.putMessages(records));
    return records;
  }

  /** Stores messages whose status moved (receipts), so the next page load shows them as they were. */
  cacheMessages(messages: readonly ChatMessage[]): void {
    if (messages.length) void this.#withCache((cache) => cache.putMessages(messages));
  }

  /** A page of history from the cache (instant; possibly stale or with gaps). */
  async cachedHistory(cid: string, limit: number, before?: { timestamp: number; id: string }): Promise<ChatMessage[]> {
    const cache = await this.#cache;
    try {
      return before ? await cache.before(cid, before, limit) : await cache.latest(cid, limit);
    } catch (error) {
      this.#report(error, 'cache');
      return [];
    }
  }

  /**
   * Logs out. `clearCache` also deletes this client's cached messages and
   * outbox from the browser.
   */
  async close(options: { clearCache?: boolean } = {}): Promise<void> {
    this.#closed = true;
    this.#client = undefined;
    this.#setState('closed');
    await this.#realtime.close().catch(() => {});
    const cache = await this.#cache;
    if (options.clearCache) {
      this.#outbox?.clear();
      await cache.clear().catch((error: unknown) => this.#report(error, 'cache'));
    } else {
      cache.close();
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  async #login(): Promise<void> {
    if (this.#closed || this.#loggingIn) return;
    this.setupError = undefined;
    this.#setState(this.#state === 'connecting' ? 'connecting' : 'reconnecting');
    this.#client = undefined;
    this.#conversations.clear();
    const options = this.options;
    const realtime = this.#realtime;
    this.#loggingIn = true;
    try {
      // Resolves once logged in, however many attempts the SDK needs to reach the server.
      const client = await realtime.createIMClient(options.clientId, {
        ...(options.signatureUrl ? { signatureFactory: loginSignatureFactory(options.signatureUrl) } : {}),
        ...(options.conversationSignatureUrl ? { conversationSignatureFactory: conversationSignatureFactory(options.conversationSignatureUrl) } : {}),
        ...(options.tag ? { tag: options.tag } : {}),
      });
      this.#loggingIn = false;
      if (this.#closed) {
        void client.close();
        return;
      }
      this.lastError = undefined;
      this.#client = client;
      this.#wire(client);
      this.#online();
    } catch (error) {
      this.#loggingIn = false;
      if (this.#closed) return;
      // The SDK retries what is transient: what reaches here was refused
      // (or is fatal), and trying again will not help until something
      // changes; the UI offers a retry.
      this.lastError = asError(error);
      const operation = error instanceof SignatureError ? 'signature' : 'login';
      // The checks and their messages load on demand (setup-check.ts); a login started meanwhile (retry) has the last word.
      const setup = await import('./setup-check.js').then(({ setupErrorOf }) => setupErrorOf(error, options)).catch(() => undefined);
      if (this.#closed || this.#loggingIn) return;
      if (setup) {
        // The page's setup is wrong: say which attribute, once per client, for the developer.
        this.setupError = this.lastError = setup;
        console.warn(`lc-chat: ${setup.message}`);
        this.#setState('error');
        this.#report(setup, operation);
        return;
      }
      this.#setState('error');
      this.#report(error, operation);
    }
  }

  /**
   * The connection's lifecycle as the widgets show it, from the Realtime
   * (which hears it before any client exists, during the first connect).
   */
  #wireRealtime(realtime: Realtime): void {
    // After a conflict or a close, nothing is connected until the next login.
    const live = () => !this.#closed && (this.#loggingIn || this.#client !== undefined);
    realtime.on('disconnect', () => live() && this.#setState('offline'));
    realtime.on('schedule', (_attempt, delay) => {
      if (!live()) return;
      this.#scheduled(delay);
      this.#setState('offline');
    });
    realtime.on('offline', () => {
      if (!live()) return;
      // The browser lost the network: nothing is scheduled until it is back.
      this.nextAttemptAt = undefined;
      this.#setState('offline');
    });
    realtime.on('retry', () => live() && this.#setState('reconnecting'));
    realtime.on('online', () => live() && this.#setState('reconnecting'));
  }

  #wire(client: IMClient): void {
    const current = () => this.#client === client;
    client.on('reconnect', () => current() && this.#online());
    client.on('reconnecterror', (error) => {
      if (!current()) return;
      this.lastError = error;
      this.#setState('error');
      this.#report(error, 'login');
    });
    client.on('conflict', ({ reason }) => {
      if (!current()) return;
      this.#client = undefined;
      // The server may give no reason: the protocol's own message for 4111 then, so lc-conflict always has one.
      this.lastError = new ProtocolError(4111, reason ? { message: reason } : {});
      this.#setState('conflict');
    });
    client.on('close', ({ code, reason }) => {
      if (!current()) return;
      this.#client = undefined;
      this.lastError = new ProtocolError(code, reason ? { name: reason, message: reason } : {});
      this.#setState('closed');
    });
    client.on('message', (message, conversation) => {
      if (!current()) return;
      const payload = message.toJSON();
      const typing = typingState(payload);
      if (typing !== undefined) {
        if (message.from && message.from !== this.clientId) this.emit('typing', conversation.id, message.from, typing);
        return;
      }
      const record = fromSdkMessage(message, conversation.id);
      if (!message.transient) void this.#withCache((cache) => cache.putMessages([record]));
      this.emit('message', record, conversation);
      this.#setUnread(conversation.id, conversation.unreadMessagesCount);
    });
    const patched = (message: Message, conversation: Conversation): void => {
      if (!current()) return;
      const record = fromSdkMessage(message, conversation.id);
      void this.#withCache((cache) => cache.putMessages([record]));
      this.emit('update', record, conversation);
    };
    const standing = (status: MembershipStatus) => (_payload: unknown, conversation: Conversation) => {
      if (!current()) return;
      // Kicked then blocked: blocked is the stronger word; an unblock alone does not make the user a member again.
      if (status === 'member' && this.membership(conversation.id) !== 'muted' && this.membership(conversation.id) !== 'member') return;
      this.#setMembership(conversation.id, status);
    };
    client.on('muted', standing('muted'));
    client.on('unmuted', standing('member'));
    client.on('kicked', standing('removed'));
    client.on('blocked', standing('blocked'));
    client.on('invited', (_payload, conversation) => {
      if (!current()) return;
      // Back in: a mute outlives leaving, so ask again.
      this.#membership.delete(conversation.id);
      this.emit('membership', conversation.id, 'member');
      void this.#checkMuted(conversation);
    });
    client.on('messagerecall', patched);
    client.on('messageupdate', patched);
    client.on('unreadmessagescountupdate', (conversations) => {
      if (!current()) return;
      for (const conversation of conversations) this.#setUnread(conversation.id, conversation.unreadMessagesCount);
    });
  }

  #online(): void {
    this.#setState('online');
    const client = this.#client!;
    for (const resolve of this.#waiters.splice(0)) resolve(client);
    this.#outbox?.flush();
  }

  /** When the other member of a one-to-one conversation last received and read it. */
  receiptTimes(conversation: Conversation): ReceiptTimes {
    return receiptTimes(conversation);
  }

  #setUnread(cid: string, count: number): void {
    if ((this.#unread.get(cid) ?? 0) === count && this.#unread.has(cid)) return;
    this.#unread.set(cid, count);
    this.emit('unread', cid, count);
  }

  #scheduled(delay: number): void {
    this.nextAttemptAt = Date.now() + delay;
    this.emit('schedule', this.nextAttemptAt);
  }

  #setState(state: WidgetConnectionState): void {
    const previous = this.#state;
    if (previous === state) return;
    if (state !== 'offline') this.nextAttemptAt = undefined;
    this.#state = state;
    this.emit('state', state, previous);
    // Pending messages show "waiting for connection" or "sending".
    for (const cid of this.#outbox?.conversations() ?? []) this.emit('outbox', cid);
  }

  async #withCache(write: (cache: ChatCache) => Promise<void>): Promise<void> {
    try {
      await write(await this.#cache);
    } catch (error) {
      this.#report(error, 'cache');
    }
  }

  #report(error: unknown, operation: string): void {
    this.emit('error', asError(error), operation);
  }
}

