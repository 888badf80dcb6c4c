import { customFieldsOf } from './decorators.js';
import { Message } from './message.js';
import { isRecord } from '../json-object.js';

/** The JSON payload of a typed message. */
export interface TypedMessagePayload {
  _lctype: number;
  _lctext?: string;
  _lcattrs?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Keys of the payload that custom fields may not overwrite. */
const RESERVED = new Set(['_lctype', '_lctext', '_lcattrs']);

/**
 * Base class of typed (rich) messages, e.g. {@link TextMessage}. Subclasses
 * declare a type with `messageType(n)` and extra fields with
 * `messageField(...)`, and are registered with `realtime.register(Class)` so
 * received payloads with their `_lctype` become instances of them.
 */
export class TypedMessage extends Message {
  /** The type number, set by `messageType`. */
  declare static TYPE: number;

  #text: string | undefined;
  #attributes: Record<string, unknown> | undefined;

  constructor() {
    super(undefined);
  }

  /** The message type, i.e. the class's `TYPE`. */
  get type(): number {
    const type = (this.constructor as typeof TypedMessage).TYPE;
    if (type === undefined) throw new Error(`${this.constructor.name} has no message type: decorate it with messageType(n)`);
    return type;
  }

  /** The text (`_lctext`). */
  get text(): string | undefined {
    return this.getText();
  }

  set text(text: string | undefined) {
    this.setText(text);
  }

  /** Custom attributes (`_lcattrs`). */
  get attributes(): Record<string, unknown> | undefined {
    return this.getAttributes();
  }

  set attributes(attributes: Record<string, unknown> | undefined) {
    this.setAttributes(attributes);
  }

  /** A text to show for the message in a list; its text by default. */
  get summary(): string | undefined {
    return this.text;
  }

  /** The text (`_lctext`). */
  getText(): string | undefined {
    return this.#text;
  }

  /**
   * Sets the text (`_lctext`).
   * @returns this message
   */
  setText(text: string | undefined): this {
    this.#text = text;
    return this;
  }

  /** Custom attributes (`_lcattrs`). */
  getAttributes(): Record<string, unknown> | undefined {
    return this.#attributes;
  }

  /**
   * Sets custom attributes (`_lcattrs`): app data sent with the message.
   * @returns this message
   */
  setAttributes(attributes: Record<string, unknown> | undefined): this {
    this.#attributes = attributes;
    return this;
  }

  /** The payload: `{_lctype, _lctext, _lcattrs, ...custom fields}`. */
  override toJSON(): TypedMessagePayload {
    const payload: TypedMessagePayload = { _lctype: this.type };
    if (this.#text !== undefined) payload._lctext = this.#text;
    if (this.#attributes !== undefined) payload._lcattrs = this.#attributes;
    for (const field of customFieldsOf(this.constructor)) {
      if (RESERVED.has(field)) continue;
      const value: unknown = Reflect.get(this, field);
      if (value !== undefined) payload[field] = value;
    }
    return payload;
  }

  override getPayload(): TypedMessagePayload {
    return this.toJSON();
  }

  /**
   * Reads text, attributes and the class's custom fields from a payload.
   * @param json the parsed payload
   * @param message the instance to fill; a new one of this class by default
   */
  static override parse(json: unknown, message?: Message): Message {
    const target = message ?? new this();
    if (target instanceof TypedMessage && isRecord(json)) {
      target.content = json;
      if (typeof json._lctext === 'string') target.#text = json._lctext;
      if (isRecord(json._lcattrs)) target.#attributes = json._lcattrs;
      for (const field of customFieldsOf(target.constructor)) {
        if (!RESERVED.has(field) && field in json) Reflect.set(target, field, json[field]);
      }
    }
    return super.parse(json, target);
  }
}
