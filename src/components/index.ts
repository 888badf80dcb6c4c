/**
 * lc-chat's web components: importing this module defines all five
 * elements (`<lc-realtime>`, `<lc-chat>`, `<lc-conversation-list>`,
 * `<lc-support>`, `<lc-live-room>`). It also re-exports the SDK, so one
 * bundle (or one `<script>` tag, `window.LcChat` from `dist/lc-chat.iife.js`)
 * gives a page both. This is `lc-chat/components` for bundlers and Node.
 *
 * The ES build for `<script type="module">` (`dist/lc-chat.js`) starts from
 * `es-entry.ts` instead: the same exports minus the three elements below,
 * which it loads on demand.
 *
 * ```html
 * <script src="/lc-chat.iife.js"></script>
 * <lc-chat server="wss://chat.example.com" app-id="…" client-id="alice" members="bob" unique></lc-chat>
 * ```
 */
export * from './core.js';
export {
  LcMessageActionEvent,
  LcMessageRecallEvent,
  LcMessageEditEvent,
  LcMessageReplyEvent,
  LcMessageCopyEvent,
  LcMessageRetryEvent,
  LcMessageDeleteEvent,
} from './message-action-events.js';
export { LcConversationList, type ConversationListItem } from './lc-conversation-list/lc-conversation-list.js';
export { LcSupport, visitorId } from './lc-support/lc-support.js';
export { LcLiveRoom, DANMAKU_KEY } from './lc-live-room/lc-live-room.js';
export type { DanmakuMode, DanmakuInput } from './lc-live-room/danmaku-stage.js';
export { autoload, loadElement, type LazyElementTag, type LcElementTag } from './eager-load.js';
