/** `lc-chat/dist/lc-chat.iife.js`: a classic script; it defines every element and sets `window.LcChat`. */
import type * as LcChatGlobal from '../../lib/components/index.js';

declare global {
  // eslint-disable-next-line no-var
  var LcChat: typeof LcChatGlobal;
}
