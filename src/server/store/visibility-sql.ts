/**
 * What a viewer may see of each conversation row, as SQL (the rules are on
 * `QueryViewer`). Enforced inside the query rather than by filtering its
 * results, so `limit`/`skip` page over visible rows only, and so a hidden
 * field cannot be probed by querying or sorting by it: for a row the viewer
 * may not see a field of, conditions on that field see it as missing.
 */
import { pinnedIds } from '../query/pinned.js';
import type { Condition, QueryViewer } from './types.js';

/** Alias of the viewer's own `conversation_members` row, LEFT JOINed by the query (NULL: not a member). */
export const VIEWER_ROW = 'v';

export interface Visibility {
  /** A boolean expression over `c` and the viewer's row: the row may be returned at all. */
  readonly rows: string;
  /** The expression under which the viewer sees `field` of a row, or undefined when always. */
  guard(field: string): string | undefined;
}

/** Columns every viewer of a row sees (its public view). */
const PUBLIC_COLUMNS: ReadonlySet<string> = new Set([
  'objectId', 'name', 'c', 'tr', 'sys', 'unique', 'uniqueId', 'createdAt', 'updatedAt',
]);
const MEMBER_COLUMNS: ReadonlySet<string> = new Set(['m', 'mu']);

export function visibility(viewer: QueryViewer, where: Condition | null): Visibility {
  const member = `${VIEWER_ROW}.client_id IS NOT NULL`;
  // Chat rooms have no members: whoever finds one sees what it is about.
  const shared = viewer.open ? undefined : `(c.tr = 1 OR ${member})`;
  const hidden = new Set(viewer.privateAttributes);
  // Pinned ids bound the rows already; any other query is bounded by membership.
  const rows = viewer.open || pinnedIds(where) !== undefined ? 'TRUE' : `(${member} OR c.tr = 1)`;
  return {
    rows,
    guard(field) {
      if (PUBLIC_COLUMNS.has(field)) return undefined;
      if (MEMBER_COLUMNS.has(field) || hidden.has(field.split('.')[0]!)) return member;
      return shared;
    },
  };
}
