import { uuid } from '../uuid.js';
import { MessageStatus } from './status.js';

// Assigned by Message's static block (declared first: the block runs when the
// class is defined). Internal to the SDK; index.ts does not export them.
/** @internal Sets a message's status; only the SDK changes it. */
export let setMessageStatus: (message: Message, status: MessageStatus) => void;
/** @internal The dedup token (`dt`) sent with the message. */
export let dedupTokenOf: (message: Message) => string;
/** @internal Whether a value was built by Message's constructor (not just given its prototype). */
export let isConstructedMessage: (value: unknown) => boolean;

/**
 * A message of a conversation. A plain `Message` carries its content as-is:
 * a string is sent verbatim, anything else as JSON. Received payloads that
 * are not a registered typed message become plain messages too.
 */
export class Message {
  /**
   * The content: a string is sent as-is, a `Uint8Array` or `ArrayBuffer` as a
   * binary message (the official 4.x SDK's `BinaryMessage`; received ones
   * carry a `Uint8Array`), anything else JSON-stringified.
   */
  content: unknown;
  /**
   * The message id. A local uuid until the server acknowledges the message,
   * then the server's id.
   */
  id: string;
  /** Id of the conversation the message belongs to. */
  cid: string | null = null;
  /** clientId of the sender. */
  from: string | undefined = undefined;
  /** When the server accepted the message (a local time until then). */
  timestamp: Date;
  /** When the receiver acknowledged it (delivery receipts). */
  deliveredAt: Date | undefined = undefined;
  /** Sent or received as a transient message: not stored, not acknowledged. */
  transient = false;
  /** Client ids this message mentions (`@`), as set by {@link setMentionList} or received. */
  mentionList: string[] = [];
  /** Whether this message mentions every member ({@link mentionAll}). */
  mentionedAll = false;
  /**
   * A received message: whether it mentions the current client, by id or
   * as one of all. False for messages the client sends.
   */
  mentioned = false;

  #status: MessageStatus = MessageStatus.NONE;
  #updatedAt: Date | undefined;
  // Kept across retries: the server dedupes on (conversation, from, dt), so
  // re-sending a message whose ack got lost cannot store it twice.
  #dedupToken: string;

  static {
    setMessageStatus = (message, status) => {
      message.#status = status;
    };
    dedupTokenOf = (message) => message.#dedupToken;
    isConstructedMessage = (value) => typeof value === 'object' && value !== null && #status in value;
  }

  /**
   * @param content the message content; a string is sent verbatim, anything
   *   else JSON-stringified.
   */
  constructor(content?: unknown) {
    this.content = content;
    this.#dedupToken = uuid();
    this.id = this.#dedupToken;
    this.timestamp = new Date();
  }

  /** The delivery state, one of {@link MessageStatus}. */
  get status(): MessageStatus {
    return this.#status;
  }

  /**
   * The dedup token sent with the message: the server stores a message
   * only once per (conversation, sender, `dt`). A fresh uuid per instance.
   *
   * To resend a message after a page reload without risking a duplicate,
   * persist `dt` with the unsent payload and restore it on the new instance
   * before sending it:
   * ```ts
   * const message = new TextMessage(saved.text);
   * message.dt = saved.dt;
   * await conversation.send(message);
   * ```
   */
  get dt(): string {
    return this.#dedupToken;
  }

  /**
   * @throws TypeError if `dt` is not a non-empty string (at most 64 characters)
   * @throws Error once the message is being sent or was sent: the token of
   *   a stored message cannot change
   */
  set dt(dt: string) {
    if (typeof dt !== 'string' || dt === '' || dt.length > 64) throw new TypeError(`dedup token ${String(dt)} is not a string of 1 to 64 characters`);
    if (this.#status !== MessageStatus.NONE && this.#status !== MessageStatus.FAILED) {
      throw new Error(`cannot change the dedup token of a message that is ${this.#status}`);
    }
    // An unsent message's id is its token (until the server assigns one).
    if (this.id === this.#dedupToken) this.id = dt;
    this.#dedupToken = dt;
  }

  /** When the message was last modified or recalled; its `timestamp` if never. */
  get updatedAt(): Date {
    return this.#updatedAt ?? this.timestamp;
  }

  set updatedAt(value: Date) {
    this.#updatedAt = value;
  }

  /**
   * Marks the message to be sent transiently: not stored, no offline
   * delivery, not in history. Same as the `transient` send option.
   * @returns this message
   */
  setTransient(transient: boolean): this {
    this.transient = transient;
    return this;
  }

  /**
   * Mentions these members (the official 4.x SDK's `setMentionList`); the
   * server marks their unread entry `mentioned` until they read.
   * @param clientIds at most 500 client ids
   * @returns this message
   */
  setMentionList(clientIds: string | string[]): this {
    const ids = Array.isArray(clientIds) ? clientIds : [clientIds];
    if (!ids.every((id) => typeof id === 'string' && id !== '')) throw new TypeError('mention list must hold client ids');
    if (ids.length > 500) throw new RangeError('at most 500 mentioned client ids');
    this.mentionList = [...ids];
    return this;
  }

  /** The client ids this message mentions. */
  getMentionList(): string[] {
    return this.mentionList;
  }

  /**
   * Mentions every member of the conversation (`@all`).
   * @returns this message
   */
  mentionAll(): this {
    this.mentionedAll = true;
    return this;
  }

  /** @internal Received mentions, and whether they name `clientId`. */
  _setMentions(pids: readonly string[] | null | undefined, all: boolean | null | undefined, clientId: string | undefined): void {
    this.mentionList = pids ? [...pids] : [];
    this.mentionedAll = all === true;
    this.mentioned = clientId !== undefined && this.from !== clientId && (this.mentionedAll || this.mentionList.includes(clientId));
  }

  /** The payload to send: the content. */
  toJSON(): unknown {
    return this.content;
  }

  /** The payload to send; same as {@link Message.toJSON}. */
  getPayload(): unknown {
    return this.toJSON();
  }

  /**
   * Builds a message from a received payload. Subclasses override this to
   * read their fields, passing their own instance up the chain.
   * @param json the payload: a parsed JSON object, or the raw string
   * @param message an instance a subclass already created
   */
  static parse(json: unknown, message?: Message): Message {
    return message ?? new this(json);
  }
}
