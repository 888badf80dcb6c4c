/** `lc-chat/dist/elements/lc-live-room.js`: <lc-live-room>, loaded on demand by the ES build. */
export * from '../../../lib/components/lc-live-room/lc-live-room.js';
