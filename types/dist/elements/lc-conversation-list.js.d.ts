/** `lc-chat/dist/elements/lc-conversation-list.js`: <lc-conversation-list>, loaded on demand by the ES build. */
export * from '../../../lib/components/lc-conversation-list/lc-conversation-list.js';
