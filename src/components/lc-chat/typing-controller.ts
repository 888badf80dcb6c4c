import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Someone's typing indicator disappears this long after their last signal. */
const TYPING_TTL_MS = 6_000;
/** While the user types, the indicator is sent again at most this often. */
const TYPING_RESEND_MS = 3_000;

/**
 * Typing indicators, both ways: who else is typing (each expiring on its
 * own unless refreshed), and when to tell the others that this user is
 * (throttled; a "stopped" signal when the draft is emptied).
 */
export class TypingController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  #typing: readonly string[] = [];
  #lastSent = 0;
  #announced = false;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** clientIds typing now, in the order they started. */
  get typing(): readonly string[] {
    return this.#typing;
  }

  /** `from` is typing (again): shown until they stop, send, or go quiet. */
  start(from: string): void {
    clearTimeout(this.#timers.get(from));
    this.#timers.set(
      from,
      setTimeout(() => this.stop(from), TYPING_TTL_MS),
    );
    if (!this.#typing.includes(from)) this.#set([...this.#typing, from]);
  }

  stop(from: string): void {
    clearTimeout(this.#timers.get(from));
    this.#timers.delete(from);
    if (this.#typing.includes(from)) this.#set(this.#typing.filter((id) => id !== from));
  }

  /** Forgets everyone (another conversation). */
  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#set([]);
    this.sent();
  }

  /**
   * The draft changed: calls `send(true)` while there is text (throttled)
   * and `send(false)` once when it is emptied.
   */
  draftChanged(hasText: boolean, send: (typing: boolean) => void): void {
    const now = Date.now();
    if (hasText && now - this.#lastSent > TYPING_RESEND_MS) {
      this.#lastSent = now;
      this.#announced = true;
      send(true);
    } else if (!hasText && this.#announced) {
      this.sent();
      send(false);
    }
  }

  /** The draft was sent: the message itself ends the indicator on the other side. */
  sent(): void {
    this.#announced = false;
    this.#lastSent = 0;
  }

  hostDisconnected(): void {
    this.clear();
  }

  #set(typing: readonly string[]): void {
    this.#typing = typing;
    this.#host.requestUpdate();
  }
}
