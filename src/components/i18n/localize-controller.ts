import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { langOf, loadStrings, localizer, supportedLanguage, type Localizer } from './localize.js';

type Host = ReactiveControllerHost & HTMLElement;

// One observer of <html lang dir> for every element on the page.
const hosts = new Set<Host>();
let observer: MutationObserver | undefined;

function observeDocument(): void {
  if (observer || typeof MutationObserver === 'undefined') return;
  observer = new MutationObserver(() => {
    for (const host of hosts) host.requestUpdate();
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang', 'dir'] });
}

/**
 * Re-renders its element when the document's language or direction changes
 * (the element's own `lang` is a reactive property), and hands out the
 * localizer for the current render.
 */
export class LocalizeController implements ReactiveController {
  readonly #host: Host;
  #current: Localizer | undefined;

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    hosts.add(this.#host);
    observeDocument();
    // Start fetching the strings before the first update asks for them.
    void this.ready();
  }

  hostDisconnected(): void {
    hosts.delete(this.#host);
  }

  hostUpdate(): void {
    this.#current = undefined;
  }

  /**
   * Settles when the strings of the host's language are loaded; `undefined`
   * when they are already. Hosts wait for it before they render
   * (`scheduleUpdate`), so a page in Chinese never shows English first. A
   * failed load settles it too: the host renders in English.
   */
  ready(): Promise<void> | undefined {
    return loadStrings(supportedLanguage(langOf(this.#host)) ?? 'en')?.catch(() => undefined);
  }

  /** The localizer for this render. */
  get value(): Localizer {
    return (this.#current ??= localizer(this.#host));
  }
}
