/**
 * A logged-in client (guide: IMClient): one session on the Realtime's
 * shared connection. Creates and caches conversations, receives their
 * messages and events, and re-opens its session after a reconnect.
 */
import { CommandType, OpType, has, type Command, type DecodedCommand, type ISessionCommand } from '../protocol/index.js';
import type { MemberInfoRow, MemberInfoUpdatedPayload, MembersMutedPayload, MembersUnmutedPayload } from './conversation-roles.js';
import { Conversation, signatureFields, type BlacklistAction, type ConversationHost, type InfoUpdatedPayload, type MembersJoinedPayload, type MembersLeftPayload, type SignatureResult } from './conversation.js';
import { ConversationQuery } from './conversation-query.js';
import { parseConversationRow, type ConversationData } from './conversation-record.js';
import { decodeDate } from './dates.js';
import { DeliveryAcks } from './delivery-acks.js';
import type { LifecycleEvents } from './connection.js';
import { ClientErrorName, ProtocolError, clientError } from './errors.js';
import { EventEmitter } from './event-emitter.js';
import type { Message } from './messages/message.js';
import { MissedMessages } from './missed-messages.js';
import type { Plugins } from './plugins.js';
import { PushHandler } from './push-handler.js';
import { ReadBuffer } from './read-buffer.js';
import { VERSION } from './version.js';

/** Signs a login: returns (or resolves) the signature of `appid:clientid::timestamp:nonce`. */
export type SignatureFactory = (clientId: string) => SignatureResult | Promise<SignatureResult>;

/** Signs conversation operations: `create`, `add` (invite/join) and `remove` (kick/quit). */
export type ConversationSignatureFactory = (
  conversationId: string | null,
  clientId: string,
  targetIds: string[],
  action: 'create' | 'add' | 'remove',
) => SignatureResult | Promise<SignatureResult>;

/**
 * Signs blocking and unblocking (4.x `blacklistSignatureFactory`): the
 * server checks `appId:clientId:conversationId:sortedIds:timestamp:nonce:action`.
 */
export type BlacklistSignatureFactory = (
  clientId: string,
  conversationId: string,
  sortedIds: string[],
  action: BlacklistAction,
) => SignatureResult | Promise<SignatureResult>;

/** Options of `realtime.createIMClient`. */
export interface IMClientOptions {
  /** Signs the login when the app requires signatures. */
  signatureFactory?: SignatureFactory;
  /** Signs conversation creation and membership changes. */
  conversationSignatureFactory?: ConversationSignatureFactory;
  /** Signs blocking and unblocking members when the app requires signatures. */
  blacklistSignatureFactory?: BlacklistSignatureFactory;
  /** Device kind for single-device login (e.g. `'Web'`): a newer login with the same tag kicks this one. */
  tag?: string;
  /** Log in as a reconnection: never kicks another device with the same tag (fails instead). */
  isReconnect?: boolean;
}

/** Options of {@link IMClient.createConversation}; every other key is a custom attribute. */
export interface CreateConversationOptions {
  /** The other members (the current client is always added). */
  members?: string[];
  /** The conversation's name. */
  name?: string;
  /** Create a chat room. */
  transient?: boolean;
  /** Return the existing conversation with exactly these members, if any. */
  unique?: boolean;
  /** Custom attributes. */
  [attribute: string]: unknown;
}

/** Events of an {@link IMClient}: the connection's lifecycle events, forwarded, and its own. */
export interface IMClientEvents extends LifecycleEvents {
  /**
   * A message arrived (also emitted on the conversation). After a
   * reconnect this includes, oldest first, the messages missed meanwhile in
   * the conversations the client holds (at most the newest 500 per
   * conversation; chat rooms excepted), fetched from the history: each
   * message once.
   */
  message: [message: Message, conversation: Conversation];
  /** Reconnected and the session re-opened: the client works again; missed messages follow as `message` events. */
  reconnect: [];
  /** Reconnected, but re-opening the session failed. */
  reconnecterror: [error: ProtocolError];
  /** Another device logged in with the same tag; this client is closed. */
  conflict: [payload: { reason: string | undefined }];
  /** The server closed the session (e.g. 4115 KICKED_BY_APP); this client is closed. */
  close: [payload: { code: number; reason: string | undefined }];
  /** The current client was added to a conversation. */
  invited: [payload: { invitedBy: string | undefined }, conversation: Conversation];
  /** The current client was removed from a conversation. */
  kicked: [payload: { kickedBy: string | undefined }, conversation: Conversation];
  /** Members were added to a conversation. */
  membersjoined: [payload: MembersJoinedPayload, conversation: Conversation];
  /** Members were removed from a conversation. */
  membersleft: [payload: MembersLeftPayload, conversation: Conversation];
  /** Another member changed a conversation's name or attributes (already applied). */
  conversationinfoupdated: [payload: InfoUpdatedPayload, conversation: Conversation];
  /** The owner changed a member's role in a conversation (v4 roles). */
  memberinfoupdated: [payload: MemberInfoUpdatedPayload, conversation: Conversation];
  /** The current client was muted in a conversation: its messages there are refused (4563 SILIENCED). */
  muted: [payload: { mutedBy: string | undefined }, conversation: Conversation];
  /** The current client was unmuted in a conversation. */
  unmuted: [payload: { unmutedBy: string | undefined }, conversation: Conversation];
  /** The current client was blocked from a conversation (after `kicked`): it cannot join or be added until unblocked. */
  blocked: [payload: { blockedBy: string | undefined }, conversation: Conversation];
  /** The current client was unblocked in a conversation. */
  unblocked: [payload: { unblockedBy: string | undefined }, conversation: Conversation];
  /** Members were muted in a conversation. */
  membersmuted: [payload: MembersMutedPayload, conversation: Conversation];
  /** Members were unmuted in a conversation. */
  membersunmuted: [payload: MembersUnmutedPayload, conversation: Conversation];
  /**
   * The server reported a conversation's unread count (after login, or
   * reset by a read on another device); once per conversation whose count
   * changed. `conversation.unreadMessagesCount` is already updated.
   */
  unreadmessages: [payload: UnreadMessagesPayload, conversation: Conversation];
  /** Unread counts changed: a batch from the server, a new message, or `read()`. */
  unreadmessagescountupdate: [conversations: Conversation[]];
  /** A message was recalled by its sender; it is now a RecalledMessage. */
  messagerecall: [message: Message, conversation: Conversation];
  /** A message was edited by its sender; this is its new content. */
  messageupdate: [message: Message, conversation: Conversation];
}

/** Payload of the `unreadmessages` event (guide: 未读消息数量通知). */
export interface UnreadMessagesPayload {
  /** Unread messages in the conversation. */
  count: number;
  /** Id of the newest unread message, if known. */
  lastMessageId: string | undefined;
  /** Time of the newest unread message, if known. */
  lastMessageTimestamp: Date | undefined;
}

/** @internal What an IMClient needs from its Realtime. */
export interface ClientHost {
  readonly appId: string;
  /** The server's HTTP base URL (file uploads). */
  readonly httpUrl: string;
  /** The app key, for the HTTP APIs that want it (v4 member info). */
  readonly appKey: string | undefined;
  readonly deviceId: string;
  readonly plugins: Plugins;
  send(command: Command): Promise<DecodedCommand>;
  post(command: Command): boolean;
  parseMessage(raw: string): Promise<Message>;
  /** The client closed: forget it (and close the connection if it was the last). */
  release(client: IMClient): void;
}

/**
 * `configBitmap` bits this SDK announces (protocol.md §4.1): patch pushes
 * (bit 0, recall/edit), and transient messages sent with `i`, waiting for
 * their ack (bit 3). Partial-success replies (bit 5) are not asked for:
 * add/remove read `allowedPids`/`failedPids` whenever a server sends them.
 */
const CONFIG_BITMAP = (1 << 0) | (1 << 3);
/** The most ids `ping` may ask about. */
const MAX_PING_IDS = 20;
/** `getConversations` fetches at most this many per query. */
const MAX_QUERY_LIMIT = 999;
/** Temporary conversation ids per `tempConvIds` query (the server takes at most 100). */
const MAX_TEMPORARY_IDS = 100;

/**
 * A client logged in with a clientId. Emits {@link IMClientEvents}:
 * `message` for every message received, connection events, membership
 * events, `conflict` and `close`.
 */
export class IMClient extends EventEmitter<IMClientEvents> {
  /** The clientId; assigned by the server for an anonymous client. */
  id: string;
  /** The options the client was created with. */
  readonly options: Readonly<IMClientOptions>;

  readonly #host: ClientHost;
  readonly #conversations = new Map<string, Conversation>();
  readonly #fetching = new Map<string, Promise<Conversation | null>>();
  readonly #pushes: PushHandler;
  readonly #acks: DeliveryAcks;
  readonly #reads: ReadBuffer;
  readonly #missed = new MissedMessages();
  readonly #conversationHost: ConversationHost;
  #session: { token: string; expiresAt: number } | undefined;
  #renewing: Promise<void> | undefined;
  #lastUnreadNotifTime: number | undefined;
  // Patches older than the client are not wanted: it has no copies of those
  // messages to update (the official SDK starts from the creation time too).
  #lastPatchTime = Date.now();
  #closed = false;

  /** @internal Use `realtime.createIMClient`. */
  constructor(host: ClientHost, id: string | undefined, options: IMClientOptions = {}) {
    super();
    this.#host = host;
    this.id = id ?? '';
    this.options = Object.freeze({ ...options });
    this.#acks = new DeliveryAcks((command) => this.#post(command));
    this.#reads = new ReadBuffer((command) => this.#post(command));
    // The getters read late: an anonymous client learns its id on login.
    const client = this;
    this.#conversationHost = {
      get clientId() {
        return client.id;
      },
      get lastPatchTime() {
        return client.#lastPatchTime;
      },
      send: (command) => this.#send(command),
      post: (command) => this.#post(command),
      parseMessage: (raw) => this.#host.parseMessage(raw),
      signConversation: (cid, members, action) => this.#signConversation(cid, members, action),
      signBlacklist: async (cid, members, action) => {
        const factory = this.options.blacklistSignatureFactory;
        return factory ? validateSignature(await factory(this.id, cid, members, action)) : undefined;
      },
      markRead: (conversation) => this.#reads.add({ id: conversation.id, readTuple: () => conversation._readTuple() }),
      unreadCountChanged: (conversation) => this.emit('unreadmessagescountupdate', [conversation]),
      sent: (conversation, message) => this.#missed.delivered(conversation.id, message),
      fetch: async (id) => (await (id.startsWith('_tmp:') ? this.#queryData(undefined, [id]) : this.#queryData(this.getQuery().equalTo('objectId', id).limit(1))))[0],
      memberInfo: (cid) => this.#fetchMemberInfo(cid),
    };
    this.#pushes = new PushHandler(this, {
      plugins: host.plugins,
      acks: this.#acks,
      missed: this.#missed,
      parseMessage: (raw) => host.parseMessage(raw),
      conversationFor: (cid, noCache) => this.#conversationFor(cid, noCache),
      cached: (cid) => this.#conversations.get(cid),
      unreadNotified: (notifTime) => {
        this.#lastUnreadNotifTime = notifTime;
      },
      patched: (patchTime) => {
        this.#lastPatchTime = Math.max(this.#lastPatchTime, patchTime);
      },
      closedByServer: (code, reason) => this.#closedByServer(code, reason),
    });
  }

  /** Whether {@link close} was called (or the server closed the session). */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Creates a conversation with the current client and `members`. `name`
   * and every key besides `members`, `transient` and `unique` are stored as
   * attributes.
   */
  async createConversation(options: CreateConversationOptions = {}): Promise<Conversation> {
    return this.#startConversation(options);
  }

  /**
   * Creates a temporary conversation (the official 4.x SDK's
   * `createTemporaryConversation`): an id starting with `_tmp:`, members
   * only, gone after `ttl` seconds (default and maximum one day, 86400, as
   * on LeanCloud). Its `expiredAt` says when; once `expired`, sending to it
   * or reading its history fails with 4323 TEMPORARY_CONVERSATION_EXPIRED.
   * Not found by queries: {@link getConversation} with its id finds it.
   * @param options.members the other members (the current client is added)
   * @param options.ttl life in seconds, 1 to 86400; more is cut to 86400
   * @throws TypeError if `members` is not an array or `ttl` not a positive integer
   */
  async createTemporaryConversation(options: { members: string[]; ttl?: number; [attribute: string]: unknown }): Promise<Conversation> {
    const { ttl, ...rest } = options;
    if (ttl !== undefined && (!Number.isInteger(ttl) || ttl <= 0)) throw new TypeError(`ttl ${String(ttl)} is not a positive number of seconds`);
    return this.#startConversation({ ...rest, transient: false, unique: false }, { ttl: ttl ?? 0 });
  }

  async #startConversation(options: CreateConversationOptions, temporary?: { ttl: number }): Promise<Conversation> {
    const { members, name, transient, unique, attributes, ...custom } = options;
    if (!transient && !Array.isArray(members)) throw new TypeError(`conversation members ${String(members)} is not an array`);
    if (name !== undefined && typeof name !== 'string') throw new TypeError(`conversation name ${String(name)} is not a string`);
    const memberIds = [...new Set([...(members ?? []), this.id])].sort();
    if (memberIds.some((id) => typeof id !== 'string' || id === '')) throw new TypeError('conversation members must be non-empty clientIds');
    const customAttributes: Record<string, unknown> = { ...custom };
    // The deprecated v3 `attributes` option lives under the `attr` key.
    if (attributes !== undefined) customAttributes.attr = attributes;
    // `name` travels with the custom attributes, at top level.
    const attr = name === undefined ? customAttributes : { ...customAttributes, name };
    const signature = await this.#signConversation(null, memberIds, 'create');
    const reply = await this.#send({
      cmd: CommandType.conv,
      op: OpType.start,
      convMessage: {
        m: memberIds,
        attr: { data: JSON.stringify(attr) },
        ...(transient ? { transient: true } : {}),
        ...(unique ? { unique: true } : {}),
        ...(temporary ? { tempConv: true, ...(temporary.ttl ? { tempConvTTL: temporary.ttl } : {}) } : {}),
        ...signatureFields(signature),
      },
    });
    const cid = reply.convMessage?.cid;
    if (!cid) throw new ProtocolError(4300, { name: 'CONVERSATION_INTERNAL_ERROR', message: 'conv/started reply without cid' });
    if (unique) {
      // A unique conversation may be an older one, with its own creator,
      // dates and attributes: read them rather than guess.
      const existing = await this.getConversation(cid, true).catch(() => null);
      if (existing) return existing;
    }
    const createdAt = decodeDate(reply.convMessage?.cdate);
    return this.#upsert({
      id: cid,
      name,
      // A chat room has no member list (guide: 聊天室), only an online count.
      members: transient ? [] : memberIds,
      creator: this.id,
      transient: Boolean(transient),
      createdAt,
      updatedAt: createdAt,
      attributes: customAttributes,
      ...(reply.convMessage?.tempConvTTL ? { expiredAt: new Date(Date.now() + reply.convMessage.tempConvTTL * 1000) } : {}),
    });
  }

  /**
   * The conversation with this id: from the cache, else queried.
   * @param noCache always query the server
   * @returns null if there is no such conversation
   */
  getConversation(id: string, noCache = false): Promise<Conversation | null> {
    if (typeof id !== 'string' || !id) return Promise.reject(new TypeError(`${String(id)} is not a conversation id`));
    if (!noCache) {
      const cached = this.#conversations.get(id);
      if (cached) return Promise.resolve(cached);
      // Concurrent pushes for one unknown conversation share one query.
      const inFlight = this.#fetching.get(id);
      if (inFlight) return inFlight;
    }
    const fetching = (
      id.startsWith('_tmp:')
        ? this.#queryTemporary([id])
        : this.getQuery().equalTo('objectId', id).limit(1).find()
    ).then((conversations) => conversations[0] ?? null);
    if (!noCache) {
      this.#fetching.set(id, fetching);
      const forget = (): void => {
        if (this.#fetching.get(id) === fetching) this.#fetching.delete(id);
      };
      fetching.then(forget, forget);
    }
    return fetching;
  }

  /**
   * The conversations with these ids, in order (null where none exists);
   * cached ones are not queried again unless `noCache`.
   */
  async getConversations(ids: readonly string[], noCache = false): Promise<(Conversation | null)[]> {
    const wanted = [...new Set(noCache ? ids : ids.filter((id) => !this.#conversations.has(id)))];
    // Temporary conversations are not found by queries, only by their ids.
    const temporary = wanted.filter((id) => id.startsWith('_tmp:'));
    for (let start = 0; start < temporary.length; start += MAX_TEMPORARY_IDS) await this.#queryTemporary(temporary.slice(start, start + MAX_TEMPORARY_IDS));
    const missing = wanted.filter((id) => !id.startsWith('_tmp:'));
    for (let start = 0; start < missing.length; start += MAX_QUERY_LIMIT) {
      await this.getQuery().containedIn('objectId', missing.slice(start, start + MAX_QUERY_LIMIT)).limit(MAX_QUERY_LIMIT).find();
    }
    return ids.map((id) => this.#conversations.get(id) ?? null);
  }

  /** A new conversation query. */
  getQuery(): ConversationQuery {
    return new ConversationQuery((query) => this.#executeQuery(query), this.id);
  }

  /**
   * Marks conversations read, like calling `read()` on each (guide:
   * 未读消息). One throttled `read` command carries them all.
   * @returns the same conversations
   */
  async markAllAsRead(conversations: readonly Conversation[]): Promise<Conversation[]> {
    if (!Array.isArray(conversations)) throw new TypeError(`${String(conversations)} is not an array`);
    for (const conversation of conversations) {
      if (!(conversation instanceof Conversation)) throw new TypeError(`${String(conversation)} is not a Conversation`);
    }
    return Promise.all(conversations.map((conversation) => conversation.read()));
  }

  /**
   * Which of these clients are online.
   * @param clientIds at most 20 ids
   */
  async ping(clientIds: readonly string[]): Promise<string[]> {
    if (!Array.isArray(clientIds)) throw new TypeError(`${String(clientIds)} is not an array`);
    if (clientIds.length > MAX_PING_IDS) throw new RangeError(`ping accepts at most ${MAX_PING_IDS} ids`);
    if (clientIds.length === 0) return [];
    const reply = await this.#send({ cmd: CommandType.session, op: OpType.query, sessionMessage: { sessionPeerIds: [...clientIds] } });
    return reply.sessionMessage?.onlineSessionPeerIds ?? [];
  }

  /**
   * Logs out: closes the session and forgets the client; the Realtime's
   * connection closes with its last client. Resolves even if the server
   * cannot be told (the session then ends with the connection).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#acks.flush();
    this.#reads.flush();
    this.#closed = true;
    try {
      await this.#host.send({ cmd: CommandType.session, op: OpType.close, peerId: this.id });
    } catch {
      // Disconnected or refused: locally the client is closed either way.
    }
    this.#release();
  }

  /**
   * The session token (`st`) the server issued at login, for the server's
   * HTTP APIs (e.g. file uploads with `X-LC-IM-Session-Token`), so browser
   * code needs no app key. An expired token is renewed first by re-opening
   * the session as a reconnect, which never kicks another device.
   * @throws Error if the client is closed or the server issued no token
   */
  async getSessionToken(): Promise<string> {
    if (this.#closed) throw new Error(`client ${this.id} is closed`);
    if (!this.#session || this.#session.expiresAt <= Date.now()) {
      this.#renewing ??= this.#openSession(true).finally(() => {
        this.#renewing = undefined;
      });
      await this.#renewing;
    }
    if (!this.#session) throw new Error('the server issued no session token');
    return this.#session.token;
  }

  /** @internal Where and as which app this client reaches the server's HTTP APIs. */
  get _httpEndpoint(): { url: string; appId: string } {
    return { url: this.#host.httpUrl, appId: this.#host.appId };
  }

  /** @internal Opens the session (first login). */
  async _open(): Promise<void> {
    await this.#openSession(Boolean(this.options.isReconnect));
  }

  /**
   * @internal The connection came back: re-open the session, announce it,
   * and deliver what was missed meanwhile (see missed-messages.ts).
   */
  async _reopen(): Promise<void> {
    if (this.#closed) return;
    let settle!: (reopened: boolean) => void;
    const reopened = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    // Queued before the open is sent, so the pushes that follow it wait
    // for the missed messages that came before them.
    this.#catchUp(reopened);
    try {
      await this.#openSession(true);
    } catch (error) {
      settle(false);
      if (!this.#closed) this.emit('reconnecterror', toProtocolError(error));
      return;
    }
    settle(!this.#closed);
    if (this.#closed) return;
    this.#acks.flush();
    this.#reads.flush();
    this.emit('reconnect');
  }

  /**
   * Catches up every cached conversation the client is a member of, except
   * chat rooms, which keep no offline messages (guide: 聊天室), and system
   * conversations, which have subscribers rather than members.
   */
  #catchUp(reopened: Promise<boolean>): void {
    for (const conversation of this.#conversations.values()) {
      if (conversation.transient || conversation.system) continue;
      // Known not to be a member (e.g. a conversation found by a query): its history is refused.
      // The server sends no member list to a non-member.
      if (!conversation._membersKnown || (conversation.members.length > 0 && !conversation.members.includes(this.id))) continue;
      const from = this.#missed.startOf(conversation);
      if (from) this.#pushes.catchUp(conversation, from, reopened);
    }
  }

  /** @internal The connection failed for good (fatal close code). */
  _terminate(code: number, reason: string | undefined): void {
    this.#closedByServer(code, reason);
  }

  /** The server ended the session: 4111 is a login elsewhere (`conflict`), anything else a `close`. */
  #closedByServer(code: number, reason: string | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release();
    if (code === 4111) this.emit('conflict', { reason });
    else this.emit('close', { code, reason });
  }

  /** @internal A push addressed to this client. */
  _handlePush(command: DecodedCommand): void {
    if (!this.#closed) this.#pushes.handle(command);
  }

  async #openSession(reconnect: boolean): Promise<void> {
    const token = this.#session && this.#session.expiresAt > Date.now() ? this.#session.token : undefined;
    const sessionMessage: ISessionCommand = {
      ua: `lc-chat/${VERSION}`,
      r: reconnect,
      deviceId: this.#host.deviceId,
      configBitmap: CONFIG_BITMAP,
      lastPatchTime: this.#lastPatchTime,
    };
    if (this.options.tag) sessionMessage.tag = this.options.tag;
    if (this.#lastUnreadNotifTime !== undefined) sessionMessage.lastUnreadNotifTime = this.#lastUnreadNotifTime;
    if (reconnect && token) {
      sessionMessage.st = token;
    } else if (this.options.signatureFactory) {
      const signature = validateSignature(await this.options.signatureFactory(this.id));
      Object.assign(sessionMessage, { s: signature.signature, t: signature.timestamp, n: signature.nonce });
    }
    let reply: DecodedCommand;
    try {
      reply = await this.#host.send({
        cmd: CommandType.session,
        op: OpType.open,
        appId: this.#host.appId,
        ...(this.id ? { peerId: this.id } : {}),
        sessionMessage,
      });
    } catch (error) {
      if (sessionMessage.st && error instanceof ProtocolError && error.code === 4112) {
        // SESSION_TOKEN_EXPIRED: log in again without it (signing if needed).
        this.#session = undefined;
        return this.#openSession(reconnect);
      }
      throw error;
    }
    const session = reply.sessionMessage;
    if (session && has(session, 'code') && session.code) {
      throw new ProtocolError(session.code, {
        ...(session.reason ? { name: session.reason, message: session.reason } : {}),
        ...(session.detail ? { detail: session.detail } : {}),
      });
    }
    if (!this.id && has(reply, 'peerId')) this.id = reply.peerId;
    if (session?.st) {
      // Without a TTL the token is tried until the server refuses it (4112).
      const expiresAt = session.stTtl ? Date.now() + session.stTtl * 1000 : Number.POSITIVE_INFINITY;
      this.#session = { token: session.st, expiresAt };
    }
  }

  /**
   * The conversation a push refers to. If it cannot be fetched, a bare one
   * (id only, not cached) stands in, so the event is still delivered and a
   * later push tries the fetch again.
   */
  async #conversationFor(cid: string, noCache = false): Promise<Conversation> {
    const conversation = await this.getConversation(cid, noCache).catch(() => null);
    return conversation ?? new Conversation(this.#conversationHost, { id: cid });
  }

  async #executeQuery(query: ConversationQuery): Promise<Conversation[]> {
    return (await this.#queryData(query)).map((data) => this.#upsert(data));
  }

  /** Runs a query, returning the rows' data without touching the cache. */
  /** Temporary conversations by id (`tempConvIds`): the live ones this client is a member of. */
  async #queryTemporary(ids: string[]): Promise<Conversation[]> {
    return (await this.#queryData(undefined, ids)).map((data) => this.#upsert(data));
  }

  async #queryData(query: ConversationQuery | undefined, tempConvIds?: string[]): Promise<ConversationData[]> {
    const convMessage = query
      ? (({ where, ...options }) => ({ where: { data: JSON.stringify(where) }, ...options }))(query.toJSON())
      : { tempConvIds: tempConvIds ?? [] };
    const reply = await this.#send({ cmd: CommandType.conv, op: OpType.query, convMessage });
    const json = reply.convMessage?.results?.data;
    if (!json) return [];
    let rows: unknown;
    try {
      rows = JSON.parse(json);
    } catch (error) {
      throw new ProtocolError(4310, { name: 'CONVERSATION_QUERY_FAILED', message: `unparsable query results: ${String(error)}` });
    }
    if (!Array.isArray(rows)) return [];
    return Promise.all(
      rows
        .filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null)
        .map((row) => parseConversationRow(row, (raw) => this.#host.parseMessage(raw))),
    );
  }

  /** Updates the cached conversation, or caches a new one. */
  #upsert(data: ConversationData): Conversation {
    const cached = this.#conversations.get(data.id);
    if (cached) {
      cached._apply(data);
      return cached;
    }
    const conversation = new Conversation(this.#conversationHost, data);
    this.#conversations.set(data.id, conversation);
    this.#host.plugins.decorate('onConversationCreate', conversation);
    return conversation;
  }

  /** GET /1.1/classes/_ConversationMemberInfo (v4 roles): app key and session token. */
  async #fetchMemberInfo(cid: string): Promise<MemberInfoRow[]> {
    const appKey = this.#host.appKey;
    if (!appKey) throw new Error('member info needs the appKey option of Realtime');
    const url = new URL('/1.1/classes/_ConversationMemberInfo', this.#host.httpUrl);
    url.searchParams.set('where', JSON.stringify({ cid }));
    url.searchParams.set('client_id', this.id);
    const response = await fetch(url, {
      headers: { 'X-LC-Id': this.#host.appId, 'X-LC-Key': appKey, 'X-LC-IM-Session-Token': await this.getSessionToken() },
    });
    const body = (await response.json().catch(() => ({}))) as { results?: MemberInfoRow[]; code?: number; error?: string };
    if (!response.ok || !Array.isArray(body.results)) {
      const code = body.code ?? response.status;
      throw new ProtocolError(code, { detail: body.error ?? `member info: HTTP ${response.status}` });
    }
    return body.results;
  }

  async #signConversation(cid: string | null, members: string[], action: 'create' | 'add' | 'remove'): Promise<SignatureResult | undefined> {
    const factory = this.options.conversationSignatureFactory;
    if (!factory) return undefined;
    return validateSignature(await factory(cid, this.id, members, action));
  }

  #send(command: Command): Promise<DecodedCommand> {
    if (this.#closed) return Promise.reject(clientError(ClientErrorName.CLIENT_CLOSED, `client ${this.id} is closed`));
    return this.#host.send({ ...command, peerId: this.id });
  }

  #post(command: Command): boolean {
    if (this.#closed) return false;
    return this.#host.post({ ...command, peerId: this.id });
  }

  #release(): void {
    this.#acks.clear();
    this.#reads.clear();
    this.#host.release(this);
  }
}

function validateSignature(result: unknown): SignatureResult {
  const signature = result as Partial<SignatureResult> | null | undefined;
  if (typeof signature?.signature !== 'string' || typeof signature.timestamp !== 'number' || typeof signature.nonce !== 'string') {
    throw new TypeError('malformed signature: expected {signature: string, timestamp: number, nonce: string}');
  }
  return signature as SignatureResult;
}

function toProtocolError(error: unknown): ProtocolError {
  return error instanceof ProtocolError ? error : new ProtocolError(0, { name: 'UNKNOWN_ERROR', message: String(error) });
}
