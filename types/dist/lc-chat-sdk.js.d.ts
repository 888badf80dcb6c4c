/** `lc-chat/dist/lc-chat-sdk.js`: the SDK alone, built for browsers. */
export * from '../../lib/sdk/index.js';
