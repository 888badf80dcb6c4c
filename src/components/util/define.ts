/**
 * Defines a custom element once per page. Another copy of the elements
 * (a second bundle, the script tag beside an npm build) may have defined
 * the tag first: the same version is harmless and skipped; a different
 * one is warned about, since the page then runs that copy's behaviour
 * for every `<tag>`, not this one's.
 */
import { VERSION } from '../../sdk/version.js';

/** Where a defining copy leaves its version, shared across bundles by the global symbol registry. */
const VERSION_KEY = Symbol.for('lc-chat.version');

type Stamped = CustomElementConstructor & { [VERSION_KEY]?: string };

/**
 * `customElements.define(tag, element)` unless the tag is taken; warns
 * when it is taken by another version of lc-chat (or by something else).
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  const existing = customElements.get(tag) as Stamped | undefined;
  if (!existing) {
    Object.defineProperty(element, VERSION_KEY, { value: VERSION, configurable: true });
    customElements.define(tag, element);
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
