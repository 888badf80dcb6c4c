/**
 * Defining lc-chat's elements, and importing them where there is no DOM.
 *
 * Server rendering in edge and worker runtimes (Next.js edge, Cloudflare
 * Workers, Vite SSR with `ssr.target: 'webworker'`) resolves Lit's browser
 * build, which runs `class extends HTMLElement` as it loads: a
 * `ReferenceError` there, as do lit-html's `document.createTreeWalker(…)`
 * and, in Lit's development builds, `window.ShadyDOM`.
 * (Node resolves Lit's `node` build, which brings a DOM shim of its own.)
 * Every element module imports this one before anything that imports
 * `lit`, so where `HTMLElement`, `document` and `window` are missing, bare stand-ins
 * exist while the module graph that imports us is evaluated (Lit's modules
 * are reached by several element modules, the directives only by some) and
 * are removed in the microtask after it, leaving the runtime as it was, so
 * code that looks for a DOM still finds none. Without `customElements`
 * nothing is defined: the elements render in the browser.
 */
import { VERSION } from '../sdk/version.js';

const STAND_IN: unique symbol = Symbol('lc-chat: HTMLElement stand-in');
type StandIn = { readonly [STAND_IN]: true };
type Globals = { HTMLElement?: unknown; document?: unknown; window?: unknown; customElements?: CustomElementRegistry };
const globals = globalThis as Globals;

if (typeof globals.HTMLElement === 'undefined') {
  globals.HTMLElement = class {
    static readonly [STAND_IN] = true;
  };
}
if (typeof globals.document === 'undefined') {
  globals.document = { [STAND_IN]: true, createTreeWalker: () => ({}) };
}
if (typeof globals.window === 'undefined') {
  globals.window = { [STAND_IN]: true };
}

function removeStandIns(): void {
  for (const name of ['HTMLElement', 'document', 'window'] as const) {
    if ((globals[name] as Partial<StandIn> | undefined)?.[STAND_IN]) delete globals[name];
  }
}
// A module graph without top-level await is evaluated in one synchronous run: this comes after it.
queueMicrotask(removeStandIns);

/** Where a defining copy leaves its version, shared across bundles by the global symbol registry. */
const VERSION_KEY = Symbol.for('lc-chat.version');

type Stamped = CustomElementConstructor & { [VERSION_KEY]?: string };

/**
 * `customElements.define(tag, element)` once per page. Without a custom
 * element registry (no DOM) nothing is defined. Another copy of the elements
 * (a second bundle, the script tag beside an npm build) may have defined the
 * tag first: the same version is harmless and skipped; a different one is
 * warned about, since the page then runs that copy's behaviour for every
 * `<tag>`, not this one's.
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  const registry = globals.customElements;
  if (!registry) return;
  const existing = registry.get(tag) as Stamped | undefined;
  if (!existing) {
    Object.defineProperty(element, VERSION_KEY, { value: VERSION, configurable: true });
    registry.define(tag, element);
    return;
  }
  if (existing === element) return;
  const theirs = existing[VERSION_KEY];
  if (theirs === VERSION) return;
  console.warn(
    `lc-chat: <${tag}> is already defined by ${theirs ? `lc-chat ${theirs}` : 'another script'}; ` +
      `this copy (lc-chat ${VERSION}) is not used for it. Load the elements once per page.`,
  );
}
