/**
 * `loadElement` and `autoload` for builds that define every element up
 * front (`lc-chat/components`, `dist/lc-chat.iife.js`): the same API as the
 * ES build's on-demand loader (`autoload.ts`), so page code works with
 * either, without the dynamic imports, which IIFE output would have to
 * wrap in lazy-initialisation code for nothing.
 */
import type { LazyElementTag, LcElementTag } from './autoload.js';

export type { LazyElementTag, LcElementTag };

const TAGS: ReadonlySet<string> = new Set<LcElementTag>(['lc-chat', 'lc-realtime', 'lc-conversation-list', 'lc-live-room', 'lc-support']);

/** Resolves to the element's class; every element is already defined here. */
export function loadElement(tag: LcElementTag): Promise<CustomElementConstructor> {
  if (!TAGS.has(tag)) return Promise.reject(new TypeError(`<${String(tag)}> is not an lc-chat element`));
  return customElements.whenDefined(tag);
}

/** Nothing to watch for: every element is already defined. Returns a no-op stop function. */
export function autoload(_root?: Document | DocumentFragment | Element): () => void {
  return () => {};
}
