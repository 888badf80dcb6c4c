/**
 * A small typed event emitter. The SDK runs in browsers too, so it cannot
 * use Node's `events` module; this one has just what the SDK's classes need.
 */

/**
 * Maps event names to the argument tuples their listeners receive. Written
 * as a mapped constraint so that interfaces (which have no implicit index
 * signature) qualify and unknown event names stay type errors.
 */
export type EventMap<E> = { [K in keyof E]: unknown[] };

/** A listener for the event `K` of the map `E`. */
export type Listener<E extends EventMap<E>, K extends keyof E> = (...args: E[K]) => void;

interface Registration {
  // Stored untyped: one map holds listeners of every event.
  listener: unknown;
  once: boolean;
}

/**
 * Emits events declared in `E`. A listener that throws does not stop the
 * others: the error is reported asynchronously, so one faulty UI handler
 * cannot break message delivery to the rest of the app.
 */
export class EventEmitter<E extends EventMap<E>> {
  #listeners = new Map<keyof E, Registration[]>();

  /** Adds a listener. */
  on<K extends keyof E>(event: K, listener: Listener<E, K>): this {
    return this.#add(event, listener, false);
  }

  /** Adds a listener that is removed after its first call. */
  once<K extends keyof E>(event: K, listener: Listener<E, K>): this {
    return this.#add(event, listener, true);
  }

  /** Removes a listener, or every listener of the event when none is given. */
  off<K extends keyof E>(event: K, listener?: Listener<E, K>): this {
    if (!listener) {
      this.#listeners.delete(event);
      return this;
    }
    const registrations = this.#listeners.get(event);
    if (!registrations) return this;
    const index = registrations.findIndex((r) => r.listener === listener);
    if (index >= 0) registrations.splice(index, 1);
    if (registrations.length === 0) this.#listeners.delete(event);
    return this;
  }

  /** Removes every listener of every event. */
  removeAllListeners(): this {
    this.#listeners.clear();
    return this;
  }

  /** How many listeners the event has. */
  listenerCount(event: keyof E): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /** Calls the event's listeners synchronously, in the order they were added. Returns whether there were any. */
  emit<K extends keyof E>(event: K, ...args: E[K]): boolean {
    const registrations = this.#listeners.get(event);
    if (!registrations || registrations.length === 0) return false;
    // Copy: listeners may add or remove listeners while we iterate.
    for (const registration of [...registrations]) {
      const listener = registration.listener as Listener<E, K>;
      if (registration.once) this.off(event, listener);
      try {
        listener(...args);
      } catch (error) {
        reportListenerError(error);
      }
    }
    return true;
  }

  #add<K extends keyof E>(event: K, listener: Listener<E, K>, once: boolean): this {
    if (typeof listener !== 'function') throw new TypeError(`${String(listener)} is not a function`);
    let registrations = this.#listeners.get(event);
    if (!registrations) this.#listeners.set(event, (registrations = []));
    registrations.push({ listener, once });
    return this;
  }
}

function reportListenerError(error: unknown): void {
  // Reported outside the emitting call stack: it surfaces as an uncaught
  // error (window 'error' / process 'uncaughtException') like any bug in app
  // code, without unwinding the SDK's own state updates.
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else
    queueMicrotask(() => {
      throw error;
    });
}
