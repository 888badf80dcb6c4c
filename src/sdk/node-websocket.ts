/**
 * The `ws` package as the SDK's WebSocket where the platform has none
 * (Node < 22), imported only then. package.json `"browser"` swaps this module
 * for `node-websocket.browser.ts` (nothing to load), so browser bundles carry
 * neither this code nor a reference to `ws`.
 */
import type { WebSocketConstructor } from './websocket.js';

// Larger than any frame our server sends (its own limit is far lower), and
// bounded: ws defaults to 100 MiB, which a hostile server could exploit.
const MAX_PAYLOAD = 16 * 1024 * 1024;

/** Imports `ws` and returns its WebSocket with a bounded `maxPayload`. */
export async function loadNodeWebSocket(): Promise<WebSocketConstructor> {
  const module = (await importDynamic('ws')) as { default: typeof import('ws').WebSocket };
  const WS = module.default;
  return class extends WS {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { maxPayload: MAX_PAYLOAD });
    }
  } as unknown as WebSocketConstructor;
}

// The specifier arrives as an argument so that bundlers cannot resolve it:
// browser builds must not include `ws` (nor its browser stub).
function importDynamic(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}
