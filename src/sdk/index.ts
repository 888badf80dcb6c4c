/**
 * lc-chat SDK: a TypeScript implementation of the LeanCloud JS realtime SDK
 * v3 API (guide: spec/js-realtime-sdk-v3-guide.zh.md) for the lc-chat
 * server. Runs in browsers and Node.
 *
 * ```ts
 * import { Realtime, TextMessage } from 'lc-chat';
 * const realtime = new Realtime({ appId, server: 'wss://chat.example.com' });
 * const tom = await realtime.createIMClient('Tom');
 * const conversation = await tom.createConversation({ members: ['Jerry'], name: 'Tom & Jerry' });
 * await conversation.send(new TextMessage('耗子,起床!'));
 * ```
 */
export { Realtime, type RealtimeOptions, type RealtimeEvents } from './realtime.js';
export {
  IMClient,
  type IMClientOptions,
  type IMClientEvents,
  type UnreadMessagesPayload,
  type CreateConversationOptions,
  type SignatureFactory,
  type ConversationSignatureFactory,
  type BlacklistSignatureFactory,
} from './im-client.js';
export {
  Conversation,
  MESSAGE_QUERY_LIMITS,
  type ConversationEvents,
  type SendOptions,
  type QueryMessagesOptions,
  type SignatureResult,
  type MembersJoinedPayload,
  type MembersLeftPayload,
  type InfoUpdatedPayload,
} from './conversation.js';
export type { AttributeMap } from './conversation-attributes.js';
export { MembershipError, type MembershipResult } from './conversation-members.js';
export {
  ConversationMemberInfo,
  ConversationMemberRole,
  type MemberInfoUpdatedPayload,
  type MembersMutedPayload,
  type MembersUnmutedPayload,
  type MutedMembersPage,
  type BlockedMembersPage,
} from './conversation-roles.js';
export type { MessageReference } from './message-patch.js';
export { ConversationQuery, type ConversationQueryJSON, type QueryValue } from './conversation-query.js';
export { MessagesIterator, type MessagesIteratorOptions, type MessagesPage } from './messages-iterator.js';
export {
  Message,
  MessageStatus,
  MessagePriority,
  TypedMessage,
  TextMessage,
  RecalledMessage,
  messageType,
  messageField,
  type TypedMessagePayload,
  type MessageClass,
  type MessageClassDecorator,
  type TypedMessageClass,
} from './messages/index.js';
export { EventEmitter, type EventMap, type Listener } from './event-emitter.js';
export { ClientErrorName, ProtocolError, isFatalCode, isTransientError } from './errors.js';
export type { ConnectionState, ConnectionTimings, LifecycleEvents } from './connection.js';
export { PluginError, type Plugin, type PluginPoint, type Middleware } from './plugins.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket.js';
export { VERSION } from './version.js';
