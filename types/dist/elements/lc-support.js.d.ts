/** `lc-chat/dist/elements/lc-support.js`: <lc-support>, loaded on demand by the ES build. */
export * from '../../../lib/components/lc-support/lc-support.js';
