/**
 * React components for lc-chat's elements, made by `@lit/react`
 * (`lc-chat/react`): `<LcChat members={['bob']} onLcMessage={…} />`.
 * React 18 and earlier set every prop as an attribute and cannot listen to
 * custom events; these wrappers set properties and add listeners, as
 * Shoelace's do. React 19 handles custom elements itself: `<lc-chat
 * onlc-message={…}>` works there too (types from `lc-chat/types/react`).
 *
 * Importing this module defines the five elements. `react` is an optional
 * peer dependency of lc-chat: an app that imports this module has it.
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { LcChat as LcChatElement } from '../components/lc-chat/lc-chat.js';
import { LcConversationList as LcConversationListElement } from '../components/lc-conversation-list/lc-conversation-list.js';
import { LcLiveRoom as LcLiveRoomElement } from '../components/lc-live-room/lc-live-room.js';
import { LcRealtime as LcRealtimeElement } from '../components/lc-realtime/lc-realtime.js';
import { LcSupport as LcSupportElement } from '../components/lc-support/lc-support.js';
import type {
  LcBeforeSendEvent,
  LcConflictEvent,
  LcConnectionChangeEvent,
  LcConversationSelectEvent,
  LcDanmakuDropEvent,
  LcDanmakuEndEvent,
  LcDanmakuStartEvent,
  LcErrorEvent,
  LcMessageEvent,
  LcNewConversationEvent,
  LcReceiptEvent,
  LcUnreadChangeEvent,
} from '../components/events.js';
import type { LcAttachEvent } from '../components/events.js';

/** `<lc-realtime>`: one shared connection for the elements inside. */
export const LcRealtime = createComponent({
  react: React,
  tagName: 'lc-realtime',
  elementClass: LcRealtimeElement,
  events: { onLcError: 'lc-error' as EventName<LcErrorEvent> },
});

/** `<lc-chat>`: a conversation. */
export const LcChat = createComponent({
  react: React,
  tagName: 'lc-chat',
  elementClass: LcChatElement,
  events: {
    onLcConnectionChange: 'lc-connection-change' as EventName<LcConnectionChangeEvent>,
    onLcMessage: 'lc-message' as EventName<LcMessageEvent>,
    onLcReceipt: 'lc-receipt' as EventName<LcReceiptEvent>,
    onLcConflict: 'lc-conflict' as EventName<LcConflictEvent>,
    onLcUnreadChange: 'lc-unread-change' as EventName<LcUnreadChangeEvent>,
    onLcBeforeSend: 'lc-before-send' as EventName<LcBeforeSendEvent>,
    onLcError: 'lc-error' as EventName<LcErrorEvent>,
    onLcAttach: 'lc-attach' as EventName<LcAttachEvent>,
  },
});

/** `<lc-conversation-list>`: the user's conversations. */
export const LcConversationList = createComponent({
  react: React,
  tagName: 'lc-conversation-list',
  elementClass: LcConversationListElement,
  events: {
    onLcConversationSelect: 'lc-conversation-select' as EventName<LcConversationSelectEvent>,
    onLcUnreadChange: 'lc-unread-change' as EventName<LcUnreadChangeEvent>,
    onLcNewConversation: 'lc-new-conversation' as EventName<LcNewConversationEvent>,
    onLcError: 'lc-error' as EventName<LcErrorEvent>,
  },
});

/** `<lc-live-room>`: a chat room over a video, with danmaku. */
export const LcLiveRoom = createComponent({
  react: React,
  tagName: 'lc-live-room',
  elementClass: LcLiveRoomElement,
  events: {
    onLcDanmakuStart: 'lc-danmaku-start' as EventName<LcDanmakuStartEvent>,
    onLcDanmakuEnd: 'lc-danmaku-end' as EventName<LcDanmakuEndEvent>,
    onLcDanmakuDrop: 'lc-danmaku-drop' as EventName<LcDanmakuDropEvent>,
    onLcMessage: 'lc-message' as EventName<LcMessageEvent>,
    onLcError: 'lc-error' as EventName<LcErrorEvent>,
  },
});

/** `<lc-support>`: a floating support chat. */
export const LcSupport = createComponent({
  react: React,
  tagName: 'lc-support',
  elementClass: LcSupportElement,
  events: { onLcUnreadChange: 'lc-unread-change' as EventName<LcUnreadChangeEvent> },
});
