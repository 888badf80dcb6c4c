/**
 * What sessions, handlers and the REST API may do with a client's socket.
 * The gateway's `Connection` implements it; everything outside the gateway
 * depends on this interface, so that the gateway depends on the handlers
 * and never the reverse.
 */
import type { Command } from '../../protocol/codec.js';
import type { Subprotocol } from '../../protocol/subprotocols.js';
import type { Session } from './session.js';

/**
 * `reliable`: must arrive or the socket is closed (the client recovers
 * from history). `high`/`normal`/`low`: chat-room messages by
 * `GenericCommand.priority`; `normal` and `low` may be dropped.
 */
export type FrameClass = 'reliable' | 'high' | 'normal' | 'low';

/**
 * Builds one batch of bulk frames once it is its turn; an empty batch
 * sends nothing.
 */
export type BulkBatch = () => Command[] | Promise<Command[]>;

/** A push encoded once for many recipients, completed per recipient by its `peerId` field (gateway/shared-frame.ts). */
export interface SharedFrame {
  /** WebSocket header and body of a binary frame whose `peerId` field has `tailLength` bytes. */
  head(tailLength: number): Buffer;
  /** The recipient's whole command, for a frame built for it alone. */
  bytesFor(tail: Buffer): Uint8Array;
}

/** One client socket, as sessions and handlers see it. */
export interface SessionConnection {
  /** Unique in this process; for logs. */
  readonly id: number;
  readonly subprotocol: Subprotocol;
  readonly isOpen: boolean;
  /** Sessions by client id, in the order they were opened. */
  readonly sessions: ReadonlyMap<string, Session>;
  /** The session a command belongs to: by `peerId`, or the first one (v4 omits it). */
  sessionFor(peerId: string | undefined): Session | undefined;
  addSession(session: Session): void;
  removeSession(clientId: string): void;
  /** Encodes and queues a command (a reply or a push built for this socket alone). */
  send(command: Command, cls?: FrameClass): void;
  /** Queues already encoded bytes. */
  sendEncoded(bytes: Uint8Array, cls?: FrameClass): void;
  /** Queues a push, held while a request that holds pushes back is unanswered. */
  sendPush(bytes: Uint8Array, cls?: FrameClass): void;
  /** Queues a push shared by many recipients, completed by this one's `peerId` field. */
  sendShared(push: SharedFrame, peerIdField: Buffer, cls: FrameClass, queuedAt: number): void;
  /** Queues a batch of bulk frames after the batches before it left; resolves when it did, or the socket closed. */
  sendBulk(build: BulkBatch): Promise<void>;
  /** Holds pushes to this client until the returned function is called (idempotent). */
  holdPushesUntilReplied(): () => void;
}
