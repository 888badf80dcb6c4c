/**
 * `node-websocket.ts` in browser bundles (package.json `"browser"`): browsers
 * have a WebSocket, so there is nothing to load.
 */
import type { WebSocketConstructor } from './websocket.js';

export const loadNodeWebSocket: (() => Promise<WebSocketConstructor>) | undefined = undefined;
