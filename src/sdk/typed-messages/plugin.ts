import type { Plugin } from '../plugins.js';
import { AudioMessage, FileMessage, ImageMessage, VideoMessage } from './file-message.js';
import { LocationMessage } from './location-message.js';

/**
 * Registers the rich media message classes (as the official
 * `leancloud-realtime-plugin-typed-messages`):
 * `new Realtime({ appId, server, plugins: [TypedMessagesPlugin] })`.
 */
export const TypedMessagesPlugin: Plugin = Object.freeze({
  name: 'lc-chat-typed-messages',
  messageClasses: Object.freeze([FileMessage, ImageMessage, AudioMessage, VideoMessage, LocationMessage]),
});
