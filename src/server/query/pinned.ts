/**
 * The conversation ids a `where` pins at its top level (`objectId` equal to
 * an id, or `$in` a list of ids, possibly inside a top-level `$and`): every
 * match has one of them. `getConversation(id)`, `getConversations(ids)` and
 * `fetch()` query this way; a non-member knowing an id may see its public
 * view (the id is an unguessable capability), nothing more.
 */
import type { Condition } from '../store/types.js';

export function pinnedIds(condition: Condition | null): string[] | undefined {
  if (!condition) return undefined;
  if (condition.op === 'and') {
    for (const inner of condition.conditions) {
      const ids = pinnedIds(inner);
      if (ids !== undefined) return ids;
    }
    return undefined;
  }
  if (condition.op === 'or' || condition.field !== 'objectId') return undefined;
  if (condition.op === 'eq') return typeof condition.value === 'string' ? [condition.value] : [];
  if (condition.op === 'in') return condition.values.filter((value): value is string => typeof value === 'string');
  return undefined;
}
