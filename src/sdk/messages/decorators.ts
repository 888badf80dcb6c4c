/**
 * `messageType` and `messageField`: declare a TypedMessage subclass's type
 * number and the extra fields it sends. Each works as a TS 5 (standard)
 * class decorator, `@messageType(1)`, and as a plain call,
 * `messageType(1)(OperationMessage)`, for code without decorators.
 */
import { isConstructedMessage } from './message.js';
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
    assertClass(target);
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
    assertClass(target);
    ownFields.set(target, [...(ownFields.get(target) ?? []), ...list]);
  };
}

/**
 * Refuses, when it is defined, a message class whose instances would not be
 * messages: TypedMessage is an ES class, so an ES5-style constructor that
 * calls it as a function (`inherit(TypedMessage)`, as the v3 guide's sample
 * does, or `TypedMessage.call(this)`) cannot build one. Native classes pass
 * at once; any other function is tried once with no arguments.
 * @throws TypeError naming the class and the way to define it
 */
function assertClass(target: unknown): void {
  if (typeof target !== 'function') throw new TypeError(`${String(target)} is not a message class`);
  if (/^class\b/.test(Function.prototype.toString.call(target))) return;
  let instance: unknown;
  try {
    instance = Reflect.construct(target, []);
  } catch (error) {
    // A class that needs arguments fails for other reasons: that is its business.
    if (!(error instanceof TypeError && /without 'new'/.test(error.message))) return;
  }
  if (!isConstructedMessage(instance)) {
    const name = target.name || 'this message class';
    throw new TypeError(
      `${name} is an ES5-style constructor (e.g. inherit(TypedMessage)): TypedMessage is an ES class, which cannot be called without new. ` +
        `Define it as \`class ${target.name || 'MyMessage'} extends TypedMessage {}\`, then messageType(n)(…) and messageField(…)(…) work as the guide shows.`,
    );
  }
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
