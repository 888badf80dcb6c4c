/**
 * lc-chat's web components: importing this module defines `<lc-realtime>`
 * and `<lc-chat>`. It also re-exports the SDK, so one bundle (or one
 * `<script>` tag, `window.LcChat`) gives a page both.
 *
 * ```html
 * <script type="module" src="/lc-chat.js"></script>
 * <lc-chat server="wss://chat.example.com" app-id="…" client-id="alice" members="bob" unique></lc-chat>
 * ```
 */
export * from '../sdk/index.js';
export { LcRealtime } from './lc-realtime/lc-realtime.js';
export { LcChat } from './lc-chat/lc-chat.js';
export { LcConversationList, type ConversationListItem } from './lc-conversation-list/lc-conversation-list.js';
export { previewText } from './renderers/preview.js';
export { LcSupport, visitorId } from './lc-support/lc-support.js';
export { LcLiveRoom, DANMAKU_KEY } from './lc-live-room/lc-live-room.js';
export type { DanmakuMode, DanmakuInput } from './lc-live-room/danmaku-stage.js';
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
  type DanmakuInfo,
} from './events.js';
export { SharedClient, type ConnectionState, type ConversationSpec, type OutgoingDraft } from './client/shared-client.js';
export { acquireClient, releaseClient, openClients } from './client/client-registry.js';
export { SignatureError } from './client/signature.js';
export type { ClientOptions } from './client/client-options.js';
export { openChatCache, type ChatCache, type OutboxEntry, type CachedConversation } from './cache/chat-cache.js';
export { realtimeContext } from './context/realtime-context.js';
export { html, nothing } from 'lit';
