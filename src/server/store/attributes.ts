/** Custom attribute updates shared by every store implementation. */
import { ProtocolError } from '../../protocol/errors.js';
import type { AttributeLimits, AttributeSet, ConversationRecord, ConversationUpdate } from './types.js';

type JsonObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Returns a copy of `attributes` with each path set, in order. A path
 * through a missing or non-object value replaces it with an object, as
 * LeanCloud does for `"attr.k": 1` when `attr` is absent. The caller has
 * validated the segments (no `__proto__` and the like).
 */
export function applyAttributeSets(attributes: JsonObject, sets: readonly AttributeSet[]): JsonObject {
  const result = structuredClone(attributes);
  for (const { path, value } of sets) {
    let target = result;
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        target[segment] = structuredClone(value);
        return;
      }
      const next = target[segment];
      if (!isPlainObject(next)) target[segment] = {};
      target = target[segment] as JsonObject;
    });
  }
  return result;
}

/*
 * AttributeLimits (types.ts) bound what one conversation's name and custom
 * attributes may hold. Without them, members could grow one row to tens of
 * MiB (every update then rewrites and re-parses it on the event loop) or
 * nest a value deeper than the JSON functions of queries and sorts accept.
 * `maxBytes` counts the name plus the attributes' JSON; `maxDepth` the
 * objects and arrays nested inside one attribute's value
 * (`{"a": {"b": [1]}}` nests 2).
 */
export type { AttributeLimits };

/** The byte size that `AttributeLimits.maxBytes` bounds. */
export function attributeBytes(name: string | null, attributes: JsonObject): number {
  return Buffer.byteLength(JSON.stringify(attributes)) + (name === null ? 0 : Buffer.byteLength(name));
}

/** How deeply `value` nests objects and arrays, counting no further than `limit + 1`. */
export function nestingDepth(value: unknown, limit: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  // Stops descending past the limit, so a value nested thousands deep costs no stack.
  if (limit <= 0) return 1;
  let deepest = 0;
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, nestingDepth(child, limit - 1));
    if (deepest >= limit) break;
  }
  return 1 + deepest;
}

/**
 * Why the result of a write breaks the limits, or undefined. `before` is
 * the stored size: a conversation stored over `maxBytes` before the limit
 * existed may still be made smaller.
 */
export function attributeLimitViolation(
  name: string | null,
  attributes: JsonObject,
  limits: AttributeLimits,
  before = 0,
): string | undefined {
  for (const [key, value] of Object.entries(attributes)) {
    if (nestingDepth(value, limits.maxDepth) > limits.maxDepth) {
      return `attribute ${JSON.stringify(key.slice(0, 80))} nests deeper than ${limits.maxDepth} levels`;
    }
  }
  const bytes = attributeBytes(name, attributes);
  if (bytes > limits.maxBytes && bytes >= before) return `name and attributes would take ${bytes} bytes, more than the ${limits.maxBytes} allowed`;
  return undefined;
}

/**
 * The name and attributes `change` makes of the conversation's, or
 * CONVERSATION_UPDATE_FAILED when they would break the change's limits.
 */
export function updatedAttributes(conversation: ConversationRecord, change: ConversationUpdate): { name: string | null; attributes: JsonObject } {
  const name = change.name === undefined ? conversation.name : change.name;
  const attributes = applyAttributeSets(conversation.attributes, change.attributes);
  if (change.limits) {
    const before = attributeBytes(conversation.name, conversation.attributes);
    const violation = attributeLimitViolation(name, attributes, change.limits, before);
    if (violation) throw ProtocolError.of('CONVERSATION_UPDATE_FAILED', violation);
  }
  return { name, attributes };
}
