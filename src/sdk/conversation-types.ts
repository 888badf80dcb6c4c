/**
 * The types around {@link Conversation}: send options, event payloads and
 * events, and what a conversation needs from its client.
 */
import type { Command, DecodedCommand } from '../protocol/index.js';
import type { AttributeMap } from './conversation-attributes.js';
import type { ConversationData } from './conversation-record.js';
import type { MemberInfoRow, MemberInfoUpdatedPayload, MembersMutedPayload, MembersUnmutedPayload } from './conversation-roles.js';
import type { Conversation } from './conversation.js';
import type { Message } from './messages/message.js';
import type { MessagePriority } from './messages/status.js';

/** Options of {@link Conversation.send}. */
export interface SendOptions {
  /** Send transiently: not stored, no offline delivery, no receipt. Defaults to `message.transient`. */
  transient?: boolean;
  /** Ask for a delivery receipt (`receipt` event, status DELIVERED). Ignored for transient messages and chat rooms. */
  receipt?: boolean;
  /** The guide's spelling of `receipt`. */
  reciept?: boolean;
  /** Chat rooms only: drop order under load, see {@link MessagePriority}. */
  priority?: MessagePriority;
  /** Offline push payload, e.g. `{alert: '…'}`, for members who are offline. */
  pushData?: Record<string, unknown>;
  /** A "will" message: delivered only if this client disconnects abnormally. */
  will?: boolean;
}

/** Payload of `membersjoined`. */
export interface MembersJoinedPayload {
  /** The members added. */
  members: string[];
  /** Who added them. */
  invitedBy: string | undefined;
}

/** Payload of `membersleft`. */
export interface MembersLeftPayload {
  /** The members removed. */
  members: string[];
  /** Who removed them. */
  kickedBy: string | undefined;
}

/** Payload of `infoupdated` / `conversationinfoupdated`. */
export interface InfoUpdatedPayload {
  /** The changed attributes, keyed by path (`'attr.k'`) as the updater sent them. */
  attributes: AttributeMap;
  /** Who changed them. */
  updatedBy: string | undefined;
}

/** Events of a {@link Conversation}. */
export interface ConversationEvents {
  /** A message arrived in this conversation. */
  message: [message: Message];
  /** A message sent with `receipt` was delivered; `message` is the instance that was sent. */
  receipt: [payload: { message: Message }];
  /** {@link Conversation.lastDeliveredAt} moved forward. */
  lastdeliveredatupdate: [];
  /** {@link Conversation.lastReadAt} moved forward. */
  lastreadatupdate: [];
  /** A message was recalled; it is now a {@link RecalledMessage}. */
  messagerecall: [message: Message];
  /** A message was edited; this is its new content. */
  messageupdate: [message: Message];
  /** Another member changed the name or attributes (already applied). */
  infoupdated: [payload: InfoUpdatedPayload];
  /** Members were added. */
  membersjoined: [payload: MembersJoinedPayload];
  /** Members were removed. */
  membersleft: [payload: MembersLeftPayload];
  /** The current client was added. */
  invited: [payload: { invitedBy: string | undefined }];
  /** The current client was removed. */
  kicked: [payload: { kickedBy: string | undefined }];
  /** The owner changed a member's role (v4 roles). */
  memberinfoupdated: [payload: MemberInfoUpdatedPayload];
  /** The current client was muted here: its messages are refused (4563 SILIENCED). */
  muted: [payload: { mutedBy: string | undefined }];
  /** The current client was unmuted here. */
  unmuted: [payload: { unmutedBy: string | undefined }];
  /** The current client was blocked here (after `kicked`): it cannot join or be added until unblocked. */
  blocked: [payload: { blockedBy: string | undefined }];
  /** The current client was unblocked here. */
  unblocked: [payload: { unblockedBy: string | undefined }];
  /** Members were muted. */
  membersmuted: [payload: MembersMutedPayload];
  /** Members were unmuted. */
  membersunmuted: [payload: MembersUnmutedPayload];
}

/** What a `blacklistSignatureFactory` signs: the action names of LeanCloud's signing string. */
export type BlacklistAction = 'conversation-block-clients' | 'conversation-unblock-clients';

/** A conversation signature: what a `conversationSignatureFactory` returns. */
export interface SignatureResult {
  signature: string;
  timestamp: number;
  nonce: string;
}

/** What a Conversation needs from its IMClient: not for apps, but declared, since `Conversation`'s declarations import it. */
export interface ConversationHost {
  readonly clientId: string;
  send(command: Command): Promise<DecodedCommand>;
  post(command: Command): boolean;
  parseMessage(raw: string): Promise<Message>;
  signConversation(cid: string | null, members: string[], action: 'create' | 'add' | 'remove'): Promise<SignatureResult | undefined>;
  signBlacklist(cid: string, members: string[], action: BlacklistAction): Promise<SignatureResult | undefined>;
  /** Queues a (throttled) `read` for the conversation. */
  markRead(conversation: Conversation): void;
  /** The unread count changed locally: the client emits `unreadmessagescountupdate`. */
  unreadCountChanged(conversation: Conversation): void;
  /** A message was sent and stored: the catch-up after a reconnect starts after it. */
  sent(conversation: Conversation, message: Message): void;
  /** Queries the conversation's current data. */
  fetch(id: string): Promise<ConversationData | undefined>;
  /** v4 roles: the members with a role of their own (owner, managers), read over REST. */
  memberInfo(cid: string): Promise<MemberInfoRow[]>;
  /** The newest patch time seen, sent with patches. */
  readonly lastPatchTime: number;
}
