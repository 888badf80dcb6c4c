/**
 * `messageType` and `messageField`: declare a TypedMessage subclass's type
 * number and the extra fields it sends. Each works as a TS 5 (standard)
 * class decorator, `@messageType(1)`, and as a plain call,
 * `messageType(1)(OperationMessage)`, for code without decorators.
 */
import type { TypedMessage } from './typed-message.js';

/** A TypedMessage class (its constructor may take arguments). */
export type TypedMessageClass = (abstract new (...args: never[]) => TypedMessage) & { TYPE?: number };

/** A class decorator that also works when called as a plain function. */
export type MessageClassDecorator = <C extends TypedMessageClass>(target: C, context?: ClassDecoratorContext<C>) => void;

// Fields declared on each class itself; a class sends its own and its
// ancestors' fields (collected by walking the constructor chain).
const ownFields = new WeakMap<object, readonly string[]>();

/**
 * Declares the message type of a TypedMessage subclass, sent as `_lctype`.
 * Negative types are the SDK's (text -1 … file -6, recalled -127); 0 is
 * reserved; positive types are the app's.
 * @param type a non-zero integer
 */
export function messageType(type: number): MessageClassDecorator {
  if (!Number.isInteger(type) || type === 0) throw new TypeError(`message type ${String(type)} is not a non-zero integer`);
  return (target) => {
    Object.defineProperty(target, 'TYPE', { value: type, enumerable: true, configurable: true, writable: false });
  };
}

/**
 * Declares instance fields of a TypedMessage subclass that are sent in the
 * payload next to `_lctype`, `_lctext` and `_lcattrs`, and set on received
 * messages.
 * @param fields a field name or a list of them
 */
export function messageField(fields: string | readonly string[]): MessageClassDecorator {
  const list = typeof fields === 'string' ? [fields] : fields;
  if (!Array.isArray(list) || list.some((field) => typeof field !== 'string')) {
    throw new TypeError(`${String(fields)} is not a field name or a list of field names`);
  }
  return (target) => {
    ownFields.set(target, [...(ownFields.get(target) ?? []), ...list]);
  };
}

/** The custom fields a class sends: its own and its ancestors'. */
export function customFieldsOf(constructor: object): string[] {
  const fields: string[] = [];
  for (let current: object | null = constructor; current && current !== Function.prototype; current = Object.getPrototypeOf(current)) {
    const own = ownFields.get(current);
    if (own) fields.unshift(...own);
  }
  return [...new Set(fields)];
}
