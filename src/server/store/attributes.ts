/** Custom attribute updates shared by every store implementation. */
import type { AttributeSet } from './types.js';

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
