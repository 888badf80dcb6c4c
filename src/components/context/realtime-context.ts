/**
 * The realtime-client context: `<lc-realtime>` provides a shared client,
 * every `lc-*` element inside consumes it. The key is a string, not a
 * symbol or object, so elements from two copies of the bundle on one page
 * still find each other's provider.
 */
import { createContext, ContextRoot } from '@lit/context';
import type { SharedClient } from '../client/shared-client.js';

export const realtimeContext = createContext<SharedClient | undefined>('lc-chat/realtime-client');

const ROOT = Symbol.for('lc-chat.context-root');
type Global = typeof globalThis & { [ROOT]?: ContextRoot };

/**
 * Attaches one ContextRoot to the document: a `lc-*` element that upgrades
 * (or is inserted) before its `<lc-realtime>` asks for the client and gets
 * no answer; the root remembers the request and replays it when the
 * provider appears.
 */
export function ensureContextRoot(): void {
  const global = globalThis as Global;
  if (global[ROOT] || typeof document === 'undefined') return;
  const root = new ContextRoot();
  root.attach(document.documentElement);
  global[ROOT] = root;
}
