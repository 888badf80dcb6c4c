import type {
  LcChat,
  LcConnectionChangeEvent,
  LcMessageEvent,
  LcReceiptEvent,
  LcConflictEvent,
  LcUnreadChangeEvent,
  LcBeforeSendEvent,
  LcAttachEvent,
  LcStatusChangeEvent,
  LcMessageReplyEvent,
  LcMessageCopyEvent,
  LcMessageEditEvent,
  LcMessageRecallEvent,
  LcMessageRetryEvent,
  LcMessageDeleteEvent,
  LcPushChangeEvent,
  LcErrorEvent,
  LcConversationList,
  LcConversationSelectEvent,
  LcNewConversationEvent,
  LcLiveRoom,
  LcDanmakuStartEvent,
  LcDanmakuEndEvent,
  LcDanmakuDropEvent,
  LcRealtime,
  LcSupport,
  LcPrechatSubmitEvent,
} from "../lib/components/index.js";

/**
 * This type can be used to create scoped tags for your components.
 *
 * Usage:
 *
 * ```ts
 * import type { ScopedElements } from "path/to/library/jsx-integration";
 *
 * declare module "my-library" {
 *   namespace JSX {
 *     interface IntrinsicElements
 *       extends ScopedElements<'test-', ''> {}
 *   }
 * }
 * ```
 *
 */
export type ScopedElements<Prefix extends string = "", Suffix extends string = ""> = {
  [Key in keyof CustomElements as `${Prefix}${Key}${Suffix}`]: CustomElements[Key];
};

type BaseProps = {
  /** Content added between the opening and closing tags of the element */
  children?: any;
  /** Used for declaratively styling one or more elements using CSS (Cascading Stylesheets) */
  class?: string;
  /** Used for declaratively styling one or more elements using CSS (Cascading Stylesheets) */
  className?: string;
  /** Takes an object where the key is the class name(s) and the value is a boolean expression. When true, the class is applied, and when false, it is removed. */
  classList?: Record<string, boolean | undefined>;
  /** Specifies the text direction of the element. */
  dir?: "ltr" | "rtl";
  /** Contains a space-separated list of the part names of the element that should be exposed on the host element. */
  exportparts?: string;
  /** For <label> and <output>, lets you associate the label with some control. */
  htmlFor?: string;
  /** Specifies whether the element should be hidden. */
  hidden?: boolean | string;
  /** A unique identifier for the element. */
  id?: string;
  /** Keys tell React which array item each component corresponds to */
  key?: string | number;
  /** Specifies the language of the element. */
  lang?: string;
  /** Contains a space-separated list of the part names of the element. Part names allows CSS to select and style specific elements in a shadow tree via the ::part pseudo-element. */
  part?: string;
  /** Use the ref attribute with a variable to assign a DOM element to the variable once the element is rendered. */
  ref?: unknown | ((e: unknown) => void);
  /** Adds a reference for a custom element slot */
  slot?: string;
  /** Prop for setting inline styles */
  style?: Record<string, string | number>;
  /** Overrides the default Tab button behavior. Avoid using values other than -1 and 0. */
  tabIndex?: number;
  /** Specifies the tooltip text for the element. */
  title?: string;
  /** Passing 'no' excludes the element content from being translated. */
  translate?: "yes" | "no";
};

type BaseEvents = {};

export type LcChatProps = {
  /** Language of the widget's own strings (`en`, `zh-CN`); default: the nearest `lang` up the tree, else the browser's. */
  lang?: LcChat["lang"];
  /** The conversation to show. */
  "conversation-id"?: LcChat["conversationId"];
  /** Members of the conversation to open (or create) when there is no `conversation-id`: clientIds, as an array or comma- or space-separated. */
  members?: LcChat["members"] | string;
  /** With `members`: reuse the conversation with exactly these members instead of creating a new one each time. */
  unique?: LcChat["unique"];
  /** Title shown in the header (default: the conversation's name, else the other members). Also the name of a conversation created from `members`. */
  name?: LcChat["name"];
  /** Composer placeholder (default: localized "Write a message…"). */
  placeholder?: LcChat["placeholder"];
  /** Shows the conversation without a composer. */
  readonly?: LcChat["readOnly"];
  /** Messages per history page. */
  "page-size"?: LcChat["pageSize"];
  /** Support conversations (see `<lc-support>`): hides the visitor's email, page and browser under the header. */
  "no-visitor-details"?: LcChat["noVisitorDetails"];
  /** Support conversations: hides the open/resolved status and its "Mark resolved" / "Reopen" button. */
  "no-status"?: LcChat["noStatus"];
  /** No attachments: no attach button, and pasted or dropped files are left to the page. */
  "no-attachments"?: LcChat["noAttachments"];
  /** No emoji picker button. */
  "no-emoji"?: LcChat["noEmoji"];
  /** No */
  "no-mentions"?: LcChat["noMentions"];
  /** The message actions offered, space- or comma-separated, from `reply`,
`copy`, `edit`, `recall`, `retry`, `delete`; unset: all of them;
`actions=""`: none (no menu; failed messages then show no Retry or
Delete either). A reply carries `attributes.lcReply` =
`{ id, timestamp, from, text? }` (the original's id, server time in ms,
sender and at most 200 characters of its text). */
  actions?: LcChat["actions"];
  /** Seconds after sending during which the user may recall a message; 0 (default): no limit. */
  "recall-window"?: LcChat["recallWindow"];
  /** Web Push: the URL of the service worker shipped as `lc-chat-sw.js`,
served from the page's own origin (e.g. `/lc-chat-sw.js`). The header
then has a button that turns browser notifications for new messages on,
so a visitor who closed the tab is notified. Unset: no button, nothing loaded. */
  push?: LcChat["push"];
  /** Color theme: `light` (default), `dark`, or `auto` (follows the system). */
  theme?: LcChat["theme"];
  /** The lc-chat server: `wss://host` (or `https://host`). Inside `<lc-realtime>`, leave the connection attributes unset to use its client. */
  server?: LcChat["server"];
  /** The app id. */
  "app-id"?: LcChat["appId"];
  /** The app key: uploads authenticate with it when given, else with the session token. */
  "app-key"?: LcChat["appKey"];
  /** The user's clientId. */
  "client-id"?: LcChat["clientId"];
  /** Endpoint that signs logins: `POST {clientId}` → `{signature, timestamp, nonce}`. */
  "signature-url"?: LcChat["signatureUrl"];
  /** Endpoint that signs conversation operations: `POST {conversationId, clientId, members, action}`. */
  "conversation-signature-url"?: LcChat["conversationSignatureUrl"];
  /** Device kind for single-device login; a newer login with the same tag takes over (conflict). */
  tag?: LcChat["tag"];
  /** Use text (base64) frames instead of binary ones. */
  "no-binary"?: LcChat["noBinary"];
  /** Messages kept per conversation in the browser's cache. */
  "cache-limit"?: LcChat["cacheLimit"];
  /** Renderers for this element only, by `_lctype` or built-in name; they win over `registerRenderer`. */
  renderers?: LcChat["renderers"];
  /** Avatar image URLs by clientId (http, https or blob; default: the initial on a color of the id). */
  avatars?: LcChat["avatars"];
  /** The conversation, once opened. */
  conversation?: LcChat["conversation"];
  /** The user's standing in the conversation, as learnt from the server:
`member`, `muted` (the composer is disabled and says so), `removed`
or `blocked` (no composer; a message says so). */
  membership?: LcChat["membership"];
  /** The connection state shown. */
  connectionState?: LcChat["connectionState"];
  /** The messages shown, oldest first, pending ones last. */
  messages?: LcChat["messages"];
  /** Display names by clientId (default: the clientId). */
  names?: LcChat["names"];
  /** The shared client this element uses (from `<lc-realtime>` or its own attributes). */
  client?: LcChat["client"];
  /** The connection's state changed (`state`, `previous`). */
  "onlc-connection-change"?: (e: LcConnectionChangeEvent) => void;
  /** A message arrived, or one the user sent was accepted (`message`, `conversation`, `outgoing`). */
  "onlc-message"?: (e: LcMessageEvent) => void;
  /** A message the user sent was delivered or read (`message`, `status`). Statuses only move forward; it fires once per step, not again for a status already known (cached) on a later load. */
  "onlc-receipt"?: (e: LcReceiptEvent) => void;
  /** Another device or tab took the session over (`reason`: the server's reason, else "Session taken over by another device"). Cancelable: a host that cancels shows its own UI. */
  "onlc-conflict"?: (e: LcConflictEvent) => void;
  /** The conversation's unread count changed (`conversationId`, `count`, `total`). Only on a change: not while the reader is looking at the newest messages (those are read at once). */
  "onlc-unread-change"?: (e: LcUnreadChangeEvent) => void;
  /** The user is sending (`text`, `attributes`, both writable); with attached files too, `text` being the first file's caption. Cancelable: the text (and the files) stay in the composer. */
  "onlc-before-send"?: (e: LcBeforeSendEvent) => void;
  /** A file is being attached (`file`, `source`: `picker`, `paste` or `drop`). Cancelable: the file is not added. */
  "onlc-attach"?: (e: LcAttachEvent) => void;
  /** An agent is marking a support conversation `resolved` or `open` (`conversationId`, `status`, `previous`). Cancelable: the status stays. */
  "onlc-status-change"?: (e: LcStatusChangeEvent) => void;
  /** The user chose Reply on a message (`message`). Cancelable: no "Replying to" bar opens. */
  "onlc-message-reply"?: (e: LcMessageReplyEvent) => void;
  /** The user chose Copy text (`message`). Cancelable: nothing is copied. */
  "onlc-message-copy"?: (e: LcMessageCopyEvent) => void;
  /** The user saved an edit of their text message (`message`, `text`: the new text, writable). Cancelable: the message stays as it was. */
  "onlc-message-edit"?: (e: LcMessageEditEvent) => void;
  /** The user chose Recall on their message (`message`). Cancelable: it is not recalled. */
  "onlc-message-recall"?: (e: LcMessageRecallEvent) => void;
  /** The user chose Retry on a failed message (`message`). Cancelable: it is not sent again. */
  "onlc-message-retry"?: (e: LcMessageRetryEvent) => void;
  /** The user chose Delete on a failed message (`message`). Cancelable: it stays. */
  "onlc-message-delete"?: (e: LcMessageDeleteEvent) => void;
  /** With `push`: the user is turning browser notifications on or off (`enabled`). Cancelable: nothing changes. */
  "onlc-push-change"?: (e: LcPushChangeEvent) => void;
  /** Signing in, loading or sending failed (`error`, `operation`). With `operation: 'membership'`: the user was muted (4563 `SILIENCED`), removed (4317 `CONVERSATION_MEMBERSHIP_REQUIRED`) or blocked (4315 `CONVERSATION_BLACKLISTED`) in this conversation. */
  "onlc-error"?: (e: LcErrorEvent) => void;
};

export type LcConversationListProps = {
  /** Language of the element's strings (`en`, `zh-CN`). */
  lang?: LcConversationList["lang"];
  /** id of an `<lc-chat>` (in the same document or shadow root) that shows the chosen conversation. */
  for?: LcConversationList["for"];
  /** The chosen conversation's id. */
  selected?: LcConversationList["selected"];
  /** Title in the header (default: localized "Conversations"). */
  heading?: LcConversationList["heading"];
  /** Hides the filter box. */
  "no-filter"?: LcConversationList["noFilter"];
  /** Hides the "new conversation" button. */
  "no-new"?: LcConversationList["noNew"];
  /** Conversations loaded per page (1 to 1000, default 50); more load as the user scrolls to the end. */
  "page-size"?: LcConversationList["pageSize"];
  /** A support inbox: lists only `open` or `resolved` conversations (see
`<lc-support>`), or `all`, and shows All / Open / Resolved buttons that
change it. Without it: every conversation, no buttons. */
  status?: LcConversationList["status"];
  /** Color theme: `light` (default), `dark`, or `auto` (follows the system). */
  theme?: LcConversationList["theme"];
  /** The lc-chat server: `wss://host` (or `https://host`). Inside `<lc-realtime>`, leave the connection attributes unset to use its client. */
  server?: LcConversationList["server"];
  /** The app id. */
  "app-id"?: LcConversationList["appId"];
  /** The app key: uploads authenticate with it when given, else with the session token. */
  "app-key"?: LcConversationList["appKey"];
  /** The user's clientId. */
  "client-id"?: LcConversationList["clientId"];
  /** Endpoint that signs logins: `POST {clientId}` → `{signature, timestamp, nonce}`. */
  "signature-url"?: LcConversationList["signatureUrl"];
  /** Endpoint that signs conversation operations: `POST {conversationId, clientId, members, action}`. */
  "conversation-signature-url"?: LcConversationList["conversationSignatureUrl"];
  /** Device kind for single-device login; a newer login with the same tag takes over (conflict). */
  tag?: LcConversationList["tag"];
  /** Use text (base64) frames instead of binary ones. */
  "no-binary"?: LcConversationList["noBinary"];
  /** Messages kept per conversation in the browser's cache. */
  "cache-limit"?: LcConversationList["cacheLimit"];
  /** The conversations, newest activity first (unfiltered). */
  items?: LcConversationList["items"];
  /** Unread messages across the listed conversations. */
  unreadTotal?: LcConversationList["unreadTotal"];
  /** Whether the server has conversations beyond the pages loaded so far. */
  hasMore?: LcConversationList["hasMore"];
  /** Display names by clientId (default: the clientId). */
  names?: LcConversationList["names"];
  /** The shared client this element uses (from `<lc-realtime>` or its own attributes). */
  client?: LcConversationList["client"];
  /** The user chose a conversation (`conversationId`, `conversation`). */
  "onlc-conversation-select"?: (e: LcConversationSelectEvent) => void;
  /** A conversation's unread count changed (`conversationId`, `count`, `total`). */
  "onlc-unread-change"?: (e: LcUnreadChangeEvent) => void;
  /** The "new conversation" button was pressed; the page handles it. */
  "onlc-new-conversation"?: (e: LcNewConversationEvent) => void;
  /** Loading the conversations failed (`error`, `operation`). */
  "onlc-error"?: (e: LcErrorEvent) => void;
};

export type LcLiveRoomProps = {
  /** Language of the element's strings (`en`, `zh-CN`). */
  lang?: LcLiveRoom["lang"];
  /** The chat room to join. */
  "room-id"?: LcLiveRoom["roomId"];
  /** Without `room-id`: the name of the room to join, created when no room has it. Also the title. */
  name?: LcLiveRoom["name"];
  /** Speed of scrolling comments, pixels per second (independent of the stage width). */
  speed?: LcLiveRoom["speed"];
  /** Seconds a top or bottom comment stays. */
  duration?: LcLiveRoom["duration"];
  /** Fraction of the stage's height comments may use, from the top (default
0.8). No comment of any mode enters the bottom `1 - area`, which keeps
subtitles clear: bottom comments sit at the bottom of the area. */
  area?: LcLiveRoom["area"];
  /** At most this many comments on screen: LOW ones are dropped first, then NORMAL; HIGH never. */
  "max-on-screen"?: LcLiveRoom["maxOnScreen"];
  /** Place comments even when no lane is free (they may overlap). */
  "allow-overlap"?: LcLiveRoom["allowOverlap"];
  /** `running` or `paused`: follows the slotted video; set it to pause the comments yourself. */
  "play-state"?: LcLiveRoom["playState"];
  /** Comments containing any of these words (case-insensitive) are not shown: an array, or comma-separated. */
  "block-words"?: LcLiveRoom["blockWords"] | string;
  /** Shows the side chat with every message. */
  chat?: LcLiveRoom["chat"];
  /** Hides the composer. */
  readonly?: LcLiveRoom["readOnly"];
  /** Seconds between online-count refreshes. */
  "count-interval"?: LcLiveRoom["countInterval"];
  /** Color theme of the side chat and composer: `light`, `dark` (default), or `auto`. */
  theme?: LcLiveRoom["theme"];
  /** The lc-chat server: `wss://host` (or `https://host`). Inside `<lc-realtime>`, leave the connection attributes unset to use its client. */
  server?: LcLiveRoom["server"];
  /** The app id. */
  "app-id"?: LcLiveRoom["appId"];
  /** The app key: uploads authenticate with it when given, else with the session token. */
  "app-key"?: LcLiveRoom["appKey"];
  /** The user's clientId. */
  "client-id"?: LcLiveRoom["clientId"];
  /** Endpoint that signs logins: `POST {clientId}` → `{signature, timestamp, nonce}`. */
  "signature-url"?: LcLiveRoom["signatureUrl"];
  /** Endpoint that signs conversation operations: `POST {conversationId, clientId, members, action}`. */
  "conversation-signature-url"?: LcLiveRoom["conversationSignatureUrl"];
  /** Device kind for single-device login; a newer login with the same tag takes over (conflict). */
  tag?: LcLiveRoom["tag"];
  /** Use text (base64) frames instead of binary ones. */
  "no-binary"?: LcLiveRoom["noBinary"];
  /** Messages kept per conversation in the browser's cache. */
  "cache-limit"?: LcLiveRoom["cacheLimit"];
  /** The chat room, once joined. */
  conversation?: LcLiveRoom["conversation"];
  /** The online count, as last fetched. */
  onlineCount?: LcLiveRoom["onlineCount"];
  /** Comments on screen now. */
  onScreen?: LcLiveRoom["onScreen"];
  /** Display names by clientId (default: the clientId). */
  names?: LcLiveRoom["names"];
  /** The shared client this element uses (from `<lc-realtime>` or its own attributes). */
  client?: LcLiveRoom["client"];
  /** A comment started showing (`danmaku`). */
  "onlc-danmaku-start"?: (e: LcDanmakuStartEvent) => void;
  /** A comment left the stage (`danmaku`). Comments dropped for density are counted on the stage ("3 hidden", `part="hidden-count"`). */
  "onlc-danmaku-end"?: (e: LcDanmakuEndEvent) => void;
  /** A comment was not shown (`danmaku`, `reason`: `density` or `filter`). */
  "onlc-danmaku-drop"?: (e: LcDanmakuDropEvent) => void;
  /** A message arrived in the room, or the user's was sent (`message`, `conversation`, `outgoing`). */
  "onlc-message"?: (e: LcMessageEvent) => void;
  /** Joining or sending failed (`error`, `operation`). */
  "onlc-error"?: (e: LcErrorEvent) => void;
};

export type LcRealtimeProps = {
  /** The lc-chat server: `wss://host` (or `https://host`). Inside `<lc-realtime>`, leave the connection attributes unset to use its client. */
  server?: LcRealtime["server"];
  /** The app id. */
  "app-id"?: LcRealtime["appId"];
  /** The app key: uploads authenticate with it when given, else with the session token. */
  "app-key"?: LcRealtime["appKey"];
  /** The user's clientId. */
  "client-id"?: LcRealtime["clientId"];
  /** Endpoint that signs logins: `POST {clientId}` → `{signature, timestamp, nonce}`. */
  "signature-url"?: LcRealtime["signatureUrl"];
  /** Endpoint that signs conversation operations: `POST {conversationId, clientId, members, action}`. */
  "conversation-signature-url"?: LcRealtime["conversationSignatureUrl"];
  /** Device kind for single-device login; a newer login with the same tag takes over (conflict). */
  tag?: LcRealtime["tag"];
  /** Use text (base64) frames instead of binary ones. */
  "no-binary"?: LcRealtime["noBinary"];
  /** Messages kept per conversation in the browser's cache. */
  "cache-limit"?: LcRealtime["cacheLimit"];
  /** The shared client, once `server`, `app-id` and `client-id` are set. */
  client?: LcRealtime["client"];
  /** `operation: 'config'`: `server`, `app-id` or `client-id` is missing (a `SetupError` naming the attribute). */
  "onlc-error"?: (e: LcErrorEvent) => void;
};

export type LcSupportProps = {
  /** Language of the element's strings (`en`, `zh-CN`). */
  lang?: LcSupport["lang"];
  /** The agents' clientIds (an array, or comma- or space-separated): members of the visitor's conversation. */
  agents?: LcSupport["agents"] | string;
  /** Greeting shown next to the closed bubble until the visitor first opens the chat. */
  greeting?: LcSupport["greeting"];
  /** Title of the panel (default: the agents). Not the conversation's name: agents see visitors by their ids. */
  name?: LcSupport["name"];
  /** Whether the panel is open; remembered across reloads. */
  open?: LcSupport["open"];
  /** `bottom-right` (default) or `bottom-left`. */
  position?: LcSupport["position"];
  /** Stacking order of the launcher and panel. */
  "z-index"?: LcSupport["zIndex"];
  /** The pre-chat form's fields, `name` and/or `email` (space- or
comma-separated); each is required, the email checked. Asked once: the
answers are kept on the conversation and in local storage.
Fields the page knows already (`visitor-name`, `visitor-email`) are not asked. */
  prechat?: LcSupport["prechat"];
  /** The visitor's name, when the page knows it (a signed-in user): shown to agents, not asked. */
  "visitor-name"?: LcSupport["visitorName"];
  /** The visitor's email, when the page knows it: shown to agents, not asked. */
  "visitor-email"?: LcSupport["visitorEmail"];
  /** When the team answers: rules separated by `;`, each days then time
ranges, and the time zone (IANA) last, default UTC. E.g.
`Mon-Fri 09:00-12:30 13:30-18:00; Sat 10:00-14:00; Europe/Berlin`.
Days: `Mon`…`Sun`, ranges (`Mon-Fri`), lists (`Mon,Wed`) or `daily`;
times `HH:MM`, 24-hour, up to `24:00`. Outside them the panel shows the
away message and when the team is back. Without it: always open. */
  "office-hours"?: LcSupport["officeHours"];
  /** Shown outside office hours (default: localized "We’re away right now…"). */
  "away-message"?: LcSupport["awayMessage"];
  /** Plays a short chime when a message arrives while the tab is hidden. */
  sound?: LcSupport["sound"];
  /** Leaves the page's title alone (by default it shows the unread count while the tab is hidden). */
  "no-title-badge"?: LcSupport["noTitleBadge"];
  /** Does not record the page's URL and the browser for the agents. */
  "no-page-info"?: LcSupport["noPageInfo"];
  /** Web Push: the service worker's URL, as `<lc-chat push>` takes it; the panel's header gets the notifications button. */
  push?: LcSupport["push"];
  /** Color theme: `light` (default), `dark`, or `auto` (follows the system). */
  theme?: LcSupport["theme"];
  /** The lc-chat server: `wss://host` (or `https://host`). Inside `<lc-realtime>`, leave the connection attributes unset to use its client. */
  server?: LcSupport["server"];
  /** The app id. */
  "app-id"?: LcSupport["appId"];
  /** The app key: uploads authenticate with it when given, else with the session token. */
  "app-key"?: LcSupport["appKey"];
  /** The user's clientId. */
  "client-id"?: LcSupport["clientId"];
  /** Endpoint that signs logins: `POST {clientId}` → `{signature, timestamp, nonce}`. */
  "signature-url"?: LcSupport["signatureUrl"];
  /** Endpoint that signs conversation operations: `POST {conversationId, clientId, members, action}`. */
  "conversation-signature-url"?: LcSupport["conversationSignatureUrl"];
  /** Device kind for single-device login; a newer login with the same tag takes over (conflict). */
  tag?: LcSupport["tag"];
  /** Use text (base64) frames instead of binary ones. */
  "no-binary"?: LcSupport["noBinary"];
  /** Messages kept per conversation in the browser's cache. */
  "cache-limit"?: LcSupport["cacheLimit"];
  /** Display names by clientId; they win over the names in the conversation's `lcSupport.agents`. */
  names?: LcSupport["names"];
  /** Avatar image URLs (http, https) by clientId; they win over the conversation's `lcSupport.agents`. */
  avatars?: LcSupport["avatars"];
  /** Whether the desk is outside its office hours now. */
  away?: LcSupport["away"];
  /** The support info on the visitor's conversation, as last read or written (status, what agents see). */
  support?: LcSupport["support"];
  /** Whether the panel shows the pre-chat form (fields asked that are not known yet) instead of the chat. */
  needsPrechat?: LcSupport["needsPrechat"];
  /** Unread messages from the agents. */
  unread?: LcSupport["unread"];
  /** The `<lc-chat>` inside the panel, while open. */
  chat?: LcSupport["chat"];
  /** The shared client this element uses (from `<lc-realtime>` or its own attributes). */
  client?: LcSupport["client"];
  /** Unread messages from the agents changed (`conversationId`, `count`, `total`). */
  "onlc-unread-change"?: (e: LcUnreadChangeEvent) => void;
  /** The visitor sent the pre-chat form (`name`, `email`, checked). Cancelable: the form stays. */
  "onlc-prechat-submit"?: (e: LcPrechatSubmitEvent) => void;
  /** The visitor's message opens a resolved conversation again (`conversationId`, `status`, `previous`). Cancelable: it stays resolved. */
  "onlc-status-change"?: (e: LcStatusChangeEvent) => void;
  /** `office-hours` cannot be read (`operation: 'config'`), or recording the visitor's details failed (`operation: 'support'`). */
  "onlc-error"?: (e: LcErrorEvent) => void;
};

export type CustomElements = {
  /**
   * An embeddable chat: history from the cache then the network, an offline outbox, receipts, typing, themes and i18n.
   * ---
   *
   *
   * ### **Events:**
   *  - **lc-connection-change** - The connection's state changed (`state`, `previous`).
   * - **lc-message** - A message arrived, or one the user sent was accepted (`message`, `conversation`, `outgoing`).
   * - **lc-receipt** - A message the user sent was delivered or read (`message`, `status`). Statuses only move forward; it fires once per step, not again for a status already known (cached) on a later load.
   * - **lc-conflict** - Another device or tab took the session over (`reason`: the server's reason, else "Session taken over by another device"). Cancelable: a host that cancels shows its own UI.
   * - **lc-unread-change** - The conversation's unread count changed (`conversationId`, `count`, `total`). Only on a change: not while the reader is looking at the newest messages (those are read at once).
   * - **lc-before-send** - The user is sending (`text`, `attributes`, both writable); with attached files too, `text` being the first file's caption. Cancelable: the text (and the files) stay in the composer.
   * - **lc-attach** - A file is being attached (`file`, `source`: `picker`, `paste` or `drop`). Cancelable: the file is not added.
   * - **lc-status-change** - An agent is marking a support conversation `resolved` or `open` (`conversationId`, `status`, `previous`). Cancelable: the status stays.
   * - **lc-message-reply** - The user chose Reply on a message (`message`). Cancelable: no "Replying to" bar opens.
   * - **lc-message-copy** - The user chose Copy text (`message`). Cancelable: nothing is copied.
   * - **lc-message-edit** - The user saved an edit of their text message (`message`, `text`: the new text, writable). Cancelable: the message stays as it was.
   * - **lc-message-recall** - The user chose Recall on their message (`message`). Cancelable: it is not recalled.
   * - **lc-message-retry** - The user chose Retry on a failed message (`message`). Cancelable: it is not sent again.
   * - **lc-message-delete** - The user chose Delete on a failed message (`message`). Cancelable: it stays.
   * - **lc-push-change** - With `push`: the user is turning browser notifications on or off (`enabled`). Cancelable: nothing changes.
   * - **lc-error** - Signing in, loading or sending failed (`error`, `operation`). With `operation: 'membership'`: the user was muted (4563 `SILIENCED`), removed (4317 `CONVERSATION_MEMBERSHIP_REQUIRED`) or blocked (4315 `CONVERSATION_BLACKLISTED`) in this conversation.
   *
   * ### **Methods:**
   *  - **send(text: _string_, attributes: _Record<string, unknown>_): __** - Sends a text as the user, without `lc-before-send` (the page itself is
   * sending). Queued while offline.
   * - **retry(): _void_** - Reconnects now (after a lost connection, a conflict or a failed login).
   * - **scrollToBottom(): _void_** - Scrolls to the newest message.
   * - **logout(options: _{ clearCache?: boolean }_): _Promise<void>_** - Logs the user out: closes the shared client for every element using it.
   * `clearCache` also deletes the cached messages and outbox.
   * - **focus(options: _FocusOptions_): _void_** - Focuses the composer.
   *
   * ### **Slots:**
   *  - **header-actions** - Buttons at the end of the header (close, menu…).
   *
   * ### **CSS Properties:**
   *  - **--lc-color-bg** - Background of the widget. _(default: undefined)_
   * - **--lc-color-surface** - Background of the input field. _(default: undefined)_
   * - **--lc-color-surface-2** - Placeholders behind media. _(default: undefined)_
   * - **--lc-color-text** - Text color. _(default: undefined)_
   * - **--lc-color-muted** - Secondary text (times, senders, hints). _(default: undefined)_
   * - **--lc-color-border** - Borders and separators. _(default: undefined)_
   * - **--lc-color-accent** - Accent: send button, links, focus rings, unread separator. _(default: undefined)_
   * - **--lc-color-accent-contrast** - Text on the accent color. _(default: undefined)_
   * - **--lc-color-danger** - Failed messages and errors. _(default: undefined)_
   * - **--lc-color-notice-bg** - Background of the connection banner. _(default: undefined)_
   * - **--lc-color-notice** - Text of the connection banner. _(default: undefined)_
   * - **--lc-bubble-own-bg** - The user's bubbles. _(default: undefined)_
   * - **--lc-bubble-own-color** - Text in the user's bubbles. _(default: undefined)_
   * - **--lc-bubble-other-bg** - Other people's bubbles. _(default: undefined)_
   * - **--lc-bubble-other-color** - Text in other people's bubbles. _(default: undefined)_
   * - **--lc-radius** - Corner radius of the widget. _(default: undefined)_
   * - **--lc-bubble-radius** - Corner radius of bubbles. _(default: undefined)_
   * - **--lc-font-family** - Font stack. _(default: undefined)_
   * - **--lc-font-size** - Base font size. _(default: undefined)_
   * - **--lc-spacing** - Base spacing unit. _(default: undefined)_
   * - **--lc-shadow** - Shadow around the widget. _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **header** - The header: avatar, title, connection state or typing.
   * - **banner** - The connection banner (offline, reconnecting, conflict, errors).
   * - **list** - The scrolling message list (`role="log"`).
   * - **message** - One message row.
   * - **bubble** - A message bubble.
   * - **link** - A link inside a message.
   * - **image** - An image message's button (opens the lightbox).
   * - **file** - A file message's download link.
   * - **location** - A location message's map link.
   * - **actions-button** - The "Message actions" button beside a message (shown on hover and focus).
   * - **menu** - A message's action menu (`role="menu"`).
   * - **editor** - The inline editor of a message being edited.
   * - **quote** - The quote above a reply (a button: it scrolls to the original).
   * - **edited** - "(edited)" under an edited message.
   * - **reply-bar** - "Replying to …" above the composer, with its cancel button.
   * - **composer** - The composer form.
   * - **composer-note** - "You have been muted in this conversation", above the disabled composer.
   * - **removed-note** - "You were removed from this conversation" (or blocked), in place of the composer.
   * - **input** - The message textarea.
   * - **send-button** - The send button.
   * - **attach-button** - The attach button (uploads use the app key if given, else the session token).
   * - **progress** - An upload's progress bar.
   * - **attachments** - The files staged above the composer (thumbnails or names, each with a remove button).
   * - **drop-zone** - What covers the chat while files are dragged over it.
   * - **emoji-button** - The button that opens the emoji picker.
   * - **emoji-panel** - The emoji picker.
   * - **mentions** - The @-mention suggestions.
   * - **latest-button** - "Scroll to latest" (with the count of new messages), shown while the reader is away from the bottom.
   * - **lightbox** - The image viewer dialog.
   * - **visitor** - Support conversations, agent side: the visitor's details and status under the header.
   * - **visitor-email** - The visitor's email (a `mailto:` link).
   * - **visitor-url** - The page the visitor is on (a link).
   * - **visitor-browser** - The visitor's browser and system.
   * - **status** - The conversation's status (open or resolved).
   * - **status-button** - "Mark resolved" / "Reopen".
   * - **push-toggle** - With `push`: the notifications button in the header.
   */
  "lc-chat": Partial<LcChatProps & BaseProps & BaseEvents>;

  /**
   * An inbox: the user's conversations with previews and unread badges, live.
   * ---
   *
   *
   * ### **Events:**
   *  - **lc-conversation-select** - The user chose a conversation (`conversationId`, `conversation`).
   * - **lc-unread-change** - A conversation's unread count changed (`conversationId`, `count`, `total`).
   * - **lc-new-conversation** - The "new conversation" button was pressed; the page handles it.
   * - **lc-error** - Loading the conversations failed (`error`, `operation`).
   *
   * ### **Methods:**
   *  - **refresh(): _Promise<void>_** - Loads the list from the server again (as many conversations as are loaded now).
   * - **loadMore(): _Promise<void>_** - Loads the next page of conversations, as scrolling to the end does.
   * Resolves when it is listed; does nothing when everything is loaded.
   * - **select(conversationId: _string_): _void_** - Chooses a conversation as if the user had: fires
   * `lc-conversation-select`, drives the `for` chat and marks it read.
   * - **titleOf(item: _ConversationListItem_): _string_** - The conversation's name, else the other members.
   *
   * ### **Slots:**
   *  - **header-actions** - Buttons at the end of the header, before "new conversation".
   *
   * ### **CSS Properties:**
   *  - **--lc-color-bg** - Background. _(default: undefined)_
   * - **--lc-color-surface** - Background of the filter box and of the hovered row. _(default: undefined)_
   * - **--lc-color-text** - Text color. _(default: undefined)_
   * - **--lc-color-muted** - Previews and times. _(default: undefined)_
   * - **--lc-color-border** - Separators. _(default: undefined)_
   * - **--lc-color-accent** - Selection, badges and focus rings. _(default: undefined)_
   * - **--lc-color-accent-contrast** - Text on the accent color. _(default: undefined)_
   * - **--lc-radius** - Corner radius. _(default: undefined)_
   * - **--lc-font-family** - Font stack. _(default: undefined)_
   * - **--lc-font-size** - Base font size. _(default: undefined)_
   * - **--lc-spacing** - Base spacing unit. _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **header** - The header with the title and actions.
   * - **new-button** - The "new conversation" button.
   * - **filter** - The filter (search) input.
   * - **list** - The list of conversations (`role="listbox"`).
   * - **item** - One conversation.
   * - **badge** - An unread badge.
   * - **empty** - The empty state.
   * - **more** - The end of the list while more conversations can be loaded: a "show more" button, or the loading indicator.
   * - **mention** - The "@" beside the unread badge: the unread messages mention the user.
   * - **visitor** - Support conversations: the visitor's email, page and browser in the row.
   * - **status** - Support conversations: "Resolved" in the row.
   * - **status-filter** - The All / Open / Resolved buttons (with `status`).
   */
  "lc-conversation-list": Partial<LcConversationListProps & BaseProps & BaseEvents>;

  /**
   * Danmaku over a video from a chat room, with an online count, a side chat and a composer.
   * ---
   *
   *
   * ### **Events:**
   *  - **lc-danmaku-start** - A comment started showing (`danmaku`).
   * - **lc-danmaku-end** - A comment left the stage (`danmaku`). Comments dropped for density are counted on the stage ("3 hidden", `part="hidden-count"`).
   * - **lc-danmaku-drop** - A comment was not shown (`danmaku`, `reason`: `density` or `filter`).
   * - **lc-message** - A message arrived in the room, or the user's was sent (`message`, `conversation`, `outgoing`).
   * - **lc-error** - Joining or sending failed (`error`, `operation`).
   *
   * ### **Methods:**
   *  - **show(text: _string_, options: _{ mode?: DanmakuMode; priority?: number; from?: string; own?: boolean; color?: string }_): _void_** - Shows a comment locally, without sending it (a page's own notices,
   * gifts, replays). It goes through the same filter and density rules.
   * - **send(text: _string_, options: _{ mode?: DanmakuMode; priority?: number; color?: string }_): _Promise<void>_** - Sends a comment to the room and shows it (outlined, as the user's own).
   * LOW for ordinary comments, HIGH for gifts and pinned notices.
   * - **refreshCount(): _Promise<void>_** - Refreshes the online count now.
   *
   * ### **Slots:**
   *  - _default_ - The content under the comments, usually a `<video>`; its play state drives the comments'.
   * - **header-actions** - Buttons at the end of the header.
   *
   * ### **CSS Properties:**
   *  - **--lc-danmaku-font-size** - Size of comments (default 22px). _(default: undefined)_
   * - **--lc-danmaku-color** - Color of comments (default white). _(default: undefined)_
   * - **--lc-danmaku-opacity** - Opacity of comments (default 1). _(default: undefined)_
   * - **--lc-color-bg** - Background of the side chat and composer. _(default: undefined)_
   * - **--lc-color-text** - Text color. _(default: undefined)_
   * - **--lc-color-accent** - Accent: send button, own comments' outline. _(default: undefined)_
   * - **--lc-radius** - Corner radius. _(default: undefined)_
   * - **--lc-font-family** - Font stack. _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **header** - The header: title and online count.
   * - **stage** - The area holding the slotted content and the overlay.
   * - **overlay** - The layer of comments: over the picture itself (a letterboxed video's black bars stay clear).
   * - **hidden-count** - How many comments were not shown because the screen was full.
   * - **danmaku** - One comment (also has the classes `scroll`, `top`, `bottom`, `own`, `normal`, `high`).
   * - **side** - The side chat.
   * - **composer** - The composer.
   * - **input** - The comment input.
   * - **send-button** - The send button.
   */
  "lc-live-room": Partial<LcLiveRoomProps & BaseProps & BaseEvents>;

  /**
   * Provides a shared realtime client to the `lc-*` elements inside it.
   * ---
   *
   *
   * ### **Events:**
   *  - **lc-error** - `operation: 'config'`: `server`, `app-id` or `client-id` is missing (a `SetupError` naming the attribute).
   *
   * ### **Slots:**
   *  - _default_ - The elements that use the client.
   */
  "lc-realtime": Partial<LcRealtimeProps & BaseProps & BaseEvents>;

  /**
   * A floating support chat: bubble with unread badge, panel with the conversation, pre-chat form, office hours.
   * ---
   *
   *
   * ### **Events:**
   *  - **lc-unread-change** - Unread messages from the agents changed (`conversationId`, `count`, `total`).
   * - **lc-prechat-submit** - The visitor sent the pre-chat form (`name`, `email`, checked). Cancelable: the form stays.
   * - **lc-status-change** - The visitor's message opens a resolved conversation again (`conversationId`, `status`, `previous`). Cancelable: it stays resolved.
   * - **lc-error** - `office-hours` cannot be read (`operation: 'config'`), or recording the visitor's details failed (`operation: 'support'`).
   *
   * ### **Methods:**
   *  - **show(): _void_** - Opens the panel.
   * - **hide(): _void_** - Closes the panel.
   *
   * ### **CSS Properties:**
   *  - **--lc-color-accent** - The bubble's color. _(default: undefined)_
   * - **--lc-color-accent-contrast** - The icon on the bubble. _(default: undefined)_
   * - **--lc-support-offset** - Distance from the viewport's edges (default 20px). _(default: undefined)_
   * - **--lc-support-width** - Width of the panel (default 380px). _(default: undefined)_
   * - **--lc-support-height** - Height of the panel (default 600px). _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **launcher** - The floating bubble button.
   * - **badge** - The unread badge on the bubble.
   * - **greeting** - The greeting callout next to the closed bubble.
   * - **panel** - The panel holding the chat.
   * - **prechat** - The pre-chat form.
   * - **prechat-input** - A field of the pre-chat form.
   * - **prechat-submit** - The pre-chat form's "Start chat" button.
   * - **away** - The away message outside office hours.
   * - **push-toggle** - With `push`: the chat's notifications button.
   */
  "lc-support": Partial<LcSupportProps & BaseProps & BaseEvents>;
};
