/**
 * Keeps a message list where the reader expects it:
 * - pinned to the bottom while the reader is at the bottom (new messages,
 *   images finishing loading, the composer growing);
 * - unmoved when older messages are prepended above: the first message
 *   in view stays exactly where it was, whatever else changed above or
 *   below it in the same render.
 *
 * The browser's own scroll anchoring does not help at scrollTop 0, which is
 * exactly where older pages get prepended, so the list sets
 * `overflow-anchor: none` and this does it by hand.
 */

/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_SLACK = 32;

export class ScrollAnchor {
  #list: HTMLElement | undefined;
  #pinned = true;
  #prepend: { element: Element; offset: number } | undefined;
  #resize: ResizeObserver | undefined;
  readonly #onChange: () => void;

  readonly #itemSelector: string;

  /**
   * @param itemSelector the list's items (messages), to find the one in view
   * @param onChange called when the reader scrolls
   */
  constructor(itemSelector: string, onChange: () => void) {
    this.#itemSelector = itemSelector;
    this.#onChange = onChange;
  }

  /** Starts managing a list (its content is observed for size changes). */
  attach(list: HTMLElement, content: Element): void {
    if (this.#list === list) return;
    this.detach();
    this.#list = list;
    list.addEventListener('scroll', this.#onScroll, { passive: true });
    this.#resize = new ResizeObserver(() => {
      if (this.#pinned && !this.#prepend) this.#toBottom();
    });
    this.#resize.observe(content);
    this.#resize.observe(list);
  }

  detach(): void {
    this.#list?.removeEventListener('scroll', this.#onScroll);
    this.#resize?.disconnect();
    this.#list = undefined;
  }

  /** Whether the reader is at (or pinned to) the bottom. */
  get atBottom(): boolean {
    return this.#pinned;
  }

  /** How far from the top the reader is, in pixels. */
  get scrollTop(): number {
    return this.#list?.scrollTop ?? 0;
  }

  /** Call before older messages are prepended: remembers the first item in view and where it is. */
  capturePrepend(): void {
    const list = this.#list;
    if (!list) return;
    const top = list.getBoundingClientRect().top;
    for (const element of list.querySelectorAll(this.#itemSelector)) {
      const rect = element.getBoundingClientRect();
      if (rect.bottom > top) {
        this.#prepend = { element, offset: rect.top - top };
        return;
      }
    }
  }

  /** Pins to the bottom from the next render on (the reader sent a message, or asked to). */
  pin(): void {
    this.#pinned = true;
    this.#toBottom();
  }

  /** Call after each render: restores the anchor or the pin. */
  restore(): void {
    const list = this.#list;
    if (!list) return;
    const prepend = this.#prepend;
    this.#prepend = undefined;
    if (prepend?.element.isConnected) {
      list.scrollTop += prepend.element.getBoundingClientRect().top - list.getBoundingClientRect().top - prepend.offset;
    } else if (this.#pinned) {
      this.#toBottom();
    }
  }

  #toBottom(): void {
    const list = this.#list;
    if (list) list.scrollTop = list.scrollHeight;
  }

  readonly #onScroll = (): void => {
    const list = this.#list;
    if (!list) return;
    const pinned = list.scrollHeight - list.scrollTop - list.clientHeight <= BOTTOM_SLACK;
    if (pinned !== this.#pinned) {
      this.#pinned = pinned;
    }
    this.#onChange();
  };
}
