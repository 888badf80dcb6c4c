import type { TypedMessageClass } from './decorators.js';
import { Message } from './message.js';
import { isRecord } from '../json-object.js';

/** A registrable message class: a TypedMessage subclass with a `TYPE`. */
export type MessageClass = TypedMessageClass & { parse(json: unknown, message?: Message): Message };

/**
 * Maps `_lctype` numbers to message classes and turns received payloads
 * into messages. One per Realtime, so two apps on a page can register
 * different classes for the same type.
 */
export class MessageRegistry {
  #classes = new Map<number, MessageClass>();

  /**
   * Registers message classes; a later class replaces an earlier one of the same type.
   * @throws TypeError if a class has no type (decorate it with `messageType`)
   */
  register(classes: MessageClass | readonly MessageClass[]): void {
    for (const messageClass of Array.isArray(classes) ? classes : [classes as MessageClass]) {
      const type = messageClass?.TYPE;
      if (typeof messageClass !== 'function' || !Number.isInteger(type)) {
        throw new TypeError(`${String(messageClass?.name ?? messageClass)} is not a message class: decorate it with messageType(n)`);
      }
      this.#classes.set(type!, messageClass);
    }
  }

  /** The class registered for a type, if any. */
  classFor(type: number): MessageClass | undefined {
    return this.#classes.get(type);
  }

  /**
   * Builds a message from a payload already decoded by {@link decodePayload}:
   * an object with a registered `_lctype` becomes that class, anything else
   * (unknown type, plain JSON, text) a plain {@link Message} keeping it.
   * A payload its class fails to parse also falls back to a plain Message:
   * one malformed message must not stop delivery of the others.
   */
  parse(json: unknown): Message {
    const type = isRecord(json) ? json._lctype : undefined;
    const messageClass = typeof type === 'number' ? this.#classes.get(type) : undefined;
    if (messageClass) {
      try {
        return messageClass.parse(json);
      } catch {
        // fall through
      }
    }
    return Message.parse(json);
  }
}

/**
 * Decodes a wire payload (`msg`, `data`): JSON objects and arrays are parsed,
 * anything else stays the raw string, so a plain `Message('123')` arrives as
 * the string it was sent as.
 */
export function decodePayload(raw: string): unknown {
  const first = raw.trimStart()[0];
  if (first !== '{' && first !== '[') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Encodes a message's payload for the wire. */
/**
 * A message whose payload is bytes (content a `Uint8Array` or
 * `ArrayBuffer`) is sent as a binary message (v4 `binaryMsg`): its bytes,
 * else undefined.
 */
export function binaryPayloadOf(message: Message): Uint8Array | undefined {
  const payload = message.toJSON();
  if (payload instanceof Uint8Array) return payload;
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  return undefined;
}

/** A received binary message: a plain {@link Message} whose content is a copy of the bytes. */
export function binaryMessage(bytes: Uint8Array): Message {
  return new Message(new Uint8Array(bytes));
}

export function encodePayload(message: Message): string {
  const payload = message.toJSON();
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}
