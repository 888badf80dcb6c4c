/**
 * Everything in `lc-chat/components` except the three elements that the ES
 * build (`dist/lc-chat.js`) loads on demand: the SDK, `<lc-realtime>`,
 * `<lc-chat>` (importing this module defines both), renderers, events, the
 * shared client and the cache. `index.ts` adds the other elements eagerly
 * (bundlers, Node, the IIFE); `es-entry.ts` adds the autoloader instead.
 * Nothing here may import `lc-conversation-list`, `lc-live-room` or
 * `lc-support`, or their code would land in the ES build's first load.
 */
// The SDK's public names, listed so that what this entry exports is decided
// here (the SDK's `ConnectionState` is not among them: the widgets' state
// is `WidgetConnectionState`, still exported under its old name).
export {
  Realtime,
  IMClient,
  Conversation,
  MESSAGE_QUERY_LIMITS,
  MembershipError,
  ConversationMemberInfo,
  ConversationMemberRole,
  ConversationQuery,
  MessagesIterator,
  Message,
  MessageStatus,
  MessagePriority,
  TypedMessage,
  TextMessage,
  RecalledMessage,
  messageType,
  messageField,
  EventEmitter,
  ClientErrorName,
  ProtocolError,
  isFatalCode,
  isTransientError,
  PluginError,
  VERSION,
  type RealtimeOptions,
  type RealtimeEvents,
  type IMClientOptions,
  type IMClientEvents,
  type UnreadMessagesPayload,
  type CreateConversationOptions,
  type SignatureFactory,
  type ConversationSignatureFactory,
  type BlacklistSignatureFactory,
  type ConversationEvents,
  type SendOptions,
  type QueryMessagesOptions,
  type SignatureResult,
  type MembersJoinedPayload,
  type MembersLeftPayload,
  type InfoUpdatedPayload,
  type AttributeMap,
  type MembershipResult,
  type MemberInfoUpdatedPayload,
  type MembersMutedPayload,
  type MembersUnmutedPayload,
  type MutedMembersPage,
  type BlockedMembersPage,
  type MessageReference,
  type ConversationQueryJSON,
  type QueryValue,
  type MessagesIteratorOptions,
  type MessagesPage,
  type TypedMessagePayload,
  type MessageClass,
  type MessageClassDecorator,
  type TypedMessageClass,
  type EventMap,
  type Listener,
  type ConnectionTimings,
  type LifecycleEvents,
  type Plugin,
  type PluginPoint,
  type Middleware,
  type WebSocketConstructor,
  type WebSocketLike,
} from '../sdk/index.js';
export { LcRealtime } from './lc-realtime/lc-realtime.js';
export { LcChat } from './lc-chat/lc-chat.js';
export { previewText } from './renderers/preview.js';
export { registerRenderer } from './renderers/registry.js';
export type { MessageRenderer, RenderContext, RenderResult, RendererName } from './renderers/types.js';
export { safeUrl } from './renderers/safe-url.js';
export { linkify } from './renderers/text.js';
export { MessageType, TYPING_KEY, type ChatMessage, type ChatMessageStatus } from './model/chat-message.js';
export {
  LcBeforeSendEvent,
  LcConflictEvent,
  LcConnectionChangeEvent,
  LcErrorEvent,
  LcMessageEvent,
  LcReceiptEvent,
  LcUnreadChangeEvent,
  LcConversationSelectEvent,
  LcNewConversationEvent,
  LcDanmakuStartEvent,
  LcDanmakuEndEvent,
  LcDanmakuDropEvent,
  LcPushChangeEvent,
  type DanmakuInfo,
} from './events.js';
export { LcAttachEvent } from './events.js';
// Types only: the classes load with the actions, on demand (index.ts exports them).
export type {
  LcMessageActionEvent,
  LcMessageRecallEvent,
  LcMessageEditEvent,
  LcMessageReplyEvent,
  LcMessageCopyEvent,
  LcMessageRetryEvent,
  LcMessageDeleteEvent,
} from './message-action-events.js';
export { REPLY_KEY, type ReplyRef, type MessageAction } from './lc-chat/message-actions.js';
export { SharedClient, type WidgetConnectionState, type ConnectionState, type ConversationSpec, type MembershipStatus, type OutgoingDraft } from './client/shared-client.js';
export { acquireClient, releaseClient, openClients } from './client/client-registry.js';
export { SignatureError } from './client/signature.js';
export { SetupError, type SetupProblem } from './client/setup-error.js';
export { UploadError } from '../sdk/typed-messages/upload-error.js';
export type { ServerLimits } from './client/limits.js';
export type { SendFailure } from './cache/chat-cache.js';
export type { UploadFailure } from './cache/chat-cache.js';
export type { ClientOptions } from './client/client-options.js';
export { openChatCache, type ChatCache, type OutboxEntry, type CachedConversation } from './cache/chat-cache.js';
export { realtimeContext } from './context/realtime-context.js';
export { html, nothing } from 'lit';
