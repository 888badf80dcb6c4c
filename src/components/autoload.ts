/**
 * On-demand loading for the elements most pages do not use.
 *
 * The ES build (`dist/lc-chat.js`) defines `<lc-realtime>` and `<lc-chat>`
 * up front and leaves `<lc-conversation-list>`, `<lc-live-room>` and
 * `<lc-support>` out of the first load: each is its own module
 * (`dist/elements/<tag>.js`), imported the first time its tag appears in the
 * document, in the way Shoelace's autoloader works (one scan, then a
 * MutationObserver). Until then the element is an undefined custom element:
 * attributes and event listeners set on it stay, and Lit keeps properties
 * set before the upgrade. Call `await loadElement(tag)` (or
 * `customElements.whenDefined(tag)`) before calling an element's methods.
 *
 * A document-level observer cannot see into shadow roots: a page that puts
 * these tags in its own shadow DOM calls `autoload(shadowRoot)`.
 */

/** The elements loaded on demand, each from its own module. */
const LOADERS = {
  'lc-conversation-list': () => import('./lc-conversation-list/lc-conversation-list.js'),
  'lc-live-room': () => import('./lc-live-room/lc-live-room.js'),
  'lc-support': () => import('./lc-support/lc-support.js'),
} as const satisfies Record<string, () => Promise<unknown>>;

export type LazyElementTag = keyof typeof LOADERS;

/** Every element of lc-chat: the two the ES build defines up front, and the rest. */
export type LcElementTag = 'lc-chat' | 'lc-realtime' | LazyElementTag;

const TAGS = Object.keys(LOADERS) as LazyElementTag[];
const SELECTOR = TAGS.join(',');
const loading = new Map<LazyElementTag, Promise<CustomElementConstructor>>();
const observers = new Set<MutationObserver>();

function isLazyTag(name: string): name is LazyElementTag {
  return Object.hasOwn(LOADERS, name);
}

/**
 * Loads and defines one of lc-chat's elements (a no-op for those already
 * defined); resolves to its class. Safe to call any number of times.
 */
export function loadElement(tag: LcElementTag): Promise<CustomElementConstructor> {
  if (tag === 'lc-chat' || tag === 'lc-realtime') return customElements.whenDefined(tag);
  if (!isLazyTag(tag)) return Promise.reject(new TypeError(`<${String(tag)}> is not an lc-chat element`));
  let promise = loading.get(tag);
  if (!promise) {
    promise = LOADERS[tag]().then(() => customElements.whenDefined(tag));
    loading.set(tag, promise);
    // A failed fetch (offline, a deploy replaced the chunk) is retried the next time the tag is seen.
    promise.catch(() => loading.delete(tag));
  }
  return promise;
}

function request(tag: LazyElementTag): void {
  if (customElements.get(tag) || loading.has(tag)) return;
  loadElement(tag)
    .then(() => {
      // Every element defined: nothing left to watch for.
      if (TAGS.every((name) => customElements.get(name))) {
        for (const observer of observers) observer.disconnect();
        observers.clear();
      }
    })
    .catch((error: unknown) => console.error(`lc-chat: could not load <${tag}>`, error));
}

function scan(node: Node): void {
  if (!(node instanceof Element || node instanceof Document || node instanceof DocumentFragment)) return;
  if (node instanceof Element && isLazyTag(node.localName)) request(node.localName);
  for (const element of node.querySelectorAll(SELECTOR)) request(element.localName as LazyElementTag);
}

/**
 * Loads the on-demand elements found under `root` now and whenever they are
 * added later. Returns a function that stops watching.
 */
export function autoload(root: Document | DocumentFragment | Element = document): () => void {
  scan(root);
  if (TAGS.every((name) => customElements.get(name))) return () => {};
  const observer = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) scan(node);
  });
  observer.observe(root, { childList: true, subtree: true });
  observers.add(observer);
  return () => {
    observer.disconnect();
    observers.delete(observer);
  };
}
