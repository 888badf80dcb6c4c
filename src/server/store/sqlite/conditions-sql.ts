/**
 * Compiles a conversation query (`Condition` tree, sort keys, paging) into
 * one SQLite SELECT. Every client value is a bound parameter; field names
 * only choose among fixed SQL fragments, and attribute paths are bound too.
 *
 * Semantics follow LeanCloud's (MongoDB's): a condition on an array matches
 * when any element matches; values of another type than the field's never
 * match; `$ne`/`$nin`/`$exists:false` are the exact negations of
 * `eq`/`$in`/`$exists:true` (so they match a missing field).
 */
import { ProtocolError } from '../../../protocol/errors.js';
import { CONVERSATION_COLUMNS, FIELD_PATH, MAX_FIELD_LENGTH } from '../../query/where.js';
import type { Condition, ConversationQuery, SortKey } from '../types.js';
import { CONVERSATION_SELECT, memberSetJson } from './rows.js';
import { VIEWER_ROW, visibility, type Visibility } from './visibility-sql.js';

export type SqlValue = string | number | null;

export interface CompiledQuery {
  sql: string;
  /** Named parameters (`@p0`, `@p1`, …) for better-sqlite3. */
  params: Record<string, SqlValue>;
}

export function compileConversationQuery(query: ConversationQuery): CompiledQuery {
  for (const [name, value] of [['limit', query.limit], ['skip', query.skip]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  const params = new Params();
  const app = params.bind(query.appId);
  // "Conversations of X" is the common query. Without statistics SQLite
  // would walk all of the app's conversations probing membership; starting
  // from X's member rows (CROSS JOIN fixes the loop order) reads only X's.
  const member = query.where ? drivingMember(query.where) : undefined;
  const from =
    member === undefined
      ? 'conversations c'
      : `conversation_members d CROSS JOIN conversations c ON c.app_id = d.app_id AND c.id = d.cid`;
  const memberFilter = member === undefined ? '' : `d.app_id = ${app} AND d.client_id = ${params.bind(member)} AND `;
  const seen = query.viewer ? visibility(query.viewer, query.where) : undefined;
  // The viewer's own member row, if any: one primary-key probe per row.
  const viewerJoin = query.viewer
    ? ` LEFT JOIN conversation_members ${VIEWER_ROW} ON ${VIEWER_ROW}.app_id = c.app_id AND ${VIEWER_ROW}.cid = c.id AND ${VIEWER_ROW}.client_id = ${params.bind(query.viewer.clientId)}`
    : '';
  const scope: Scope = { params, app, seen };
  const where = query.where ? predicate(query.where, scope) : '1';
  // lc_tick comes first so that it runs once per row examined (see query-budget.ts).
  const tick = query.budget ? 'lc_tick() AND ' : '';
  const rows = seen && seen.rows !== '1' ? `${seen.rows} AND ` : '';
  const sql =
    `SELECT ${CONVERSATION_SELECT} FROM ${from}${viewerJoin} WHERE ${tick}${memberFilter}c.app_id = ${app} AND c.expires_at IS NULL AND ${rows}(${where}) ` +
    `ORDER BY ${orderBy(query.sort, scope)} LIMIT ${params.bind(query.limit)} OFFSET ${params.bind(query.skip)}`;
  return { sql, params: params.values };
}

/** What compiling one query needs everywhere. */
interface Scope {
  params: Params;
  /** The app id's placeholder. */
  app: string;
  /** The viewer's visibility; undefined for the server's own queries. */
  seen: Visibility | undefined;
}

/**
 * Joins terms as a balanced tree of `op`: SQLite's parser nests a chain
 * `a OR b OR c …` one level per term and refuses expressions deeper than
 * 1000, while a balanced tree is only log2(terms) deep.
 */
function balanced(parts: string[], op: 'AND' | 'OR'): string {
  if (parts.length === 1) return parts[0]!;
  const middle = parts.length >> 1;
  return `(${balanced(parts.slice(0, middle), op)} ${op} ${balanced(parts.slice(middle), op)})`;
}

/** A client every match must have as a member, when the condition says so at its top level. */
function drivingMember(condition: Condition): string | undefined {
  if (condition.op === 'and') {
    for (const inner of condition.conditions) {
      const member = drivingMember(inner);
      if (member !== undefined) return member;
    }
    return undefined;
  }
  if (condition.op === 'all' && condition.field === 'm' && typeof condition.values[0] === 'string') return condition.values[0];
  if (condition.op === 'eq' && condition.field === 'm' && typeof condition.value === 'string') return condition.value;
  return undefined;
}

class Params {
  readonly values: Record<string, SqlValue> = {};
  private next = 0;

  /** Returns the placeholder; a placeholder may be used several times in the SQL. */
  bind(value: SqlValue): string {
    const name = `p${this.next++}`;
    this.values[name] = value;
    return '@' + name;
  }
}

type Comparison = '=' | '<' | '<=' | '>' | '>=';
const COMPARISONS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/** The SQL for one field's conditions; each method returns a boolean expression. */
interface FieldSql {
  compare(op: Comparison, value: unknown): string;
  in(values: unknown[]): string;
  exists(): string;
  size(size: number): string;
  regex(pattern: string, flags: string): string;
  /** An expression to sort by. */
  order(): string;
}

function predicate(condition: Condition, scope: Scope): string {
  switch (condition.op) {
    case 'and':
    case 'or': {
      if (condition.conditions.length === 0) return condition.op === 'and' ? '1' : '0';
      const parts = condition.conditions.map((inner) => `(${predicate(inner, scope)})`);
      return balanced(parts, condition.op === 'and' ? 'AND' : 'OR');
    }
  }
  const field = resolveField(condition.field, scope);
  switch (condition.op) {
    case 'eq':
      return field.compare('=', normalize(condition.value));
    case 'ne':
      return not(field.compare('=', normalize(condition.value)));
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return field.compare(COMPARISONS[condition.op], normalize(condition.value));
    case 'in':
      return field.in(condition.values.map(normalize));
    case 'nin':
      return not(field.in(condition.values.map(normalize)));
    case 'exists':
      return condition.exists ? field.exists() : not(field.exists());
    case 'all':
      // Mongo: an empty $all matches nothing.
      if (condition.values.length === 0) return '0';
      return balanced(condition.values.map((value) => `(${field.compare('=', normalize(value))})`), 'AND');
    case 'size':
      return field.size(condition.size);
    case 'regex':
      return field.regex(condition.pattern, condition.flags);
  }
}

/** SQL NULL (unknown) must count as "no match" before negating. */
function not(expression: string): string {
  return `NOT coalesce((${expression}), 0)`;
}

/** Dates may come as `{__type:'Date', iso}`; they compare as ms. */
function normalize(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && (value as { __type?: unknown }).__type === 'Date') {
    const ms = Date.parse(String((value as { iso?: unknown }).iso));
    if (!Number.isNaN(ms)) return ms;
  }
  return value;
}

function orderBy(sort: SortKey[], scope: Scope): string {
  // Explicit NULLS placement equals SQLite's default (NULL is the smallest
  // value, as in Mongo), which keeps the lm index usable.
  const keys = sort.length
    ? sort.map(({ field, descending }) => `${resolveField(field, scope).order()} ${descending ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`)
    : ['c.lm DESC NULLS LAST', 'c.updated_at DESC'];
  // A unique last key keeps skip/limit pages stable when the others tie.
  return [...keys, 'c.id'].join(', ');
}

type ColumnSpec =
  | { kind: 'scalar'; sql: string; nullable: boolean; accept: (value: unknown) => SqlValue | undefined }
  | { kind: 'members' }
  | { kind: 'muted' };

const text = (value: unknown): SqlValue | undefined => (typeof value === 'string' ? value : undefined);
const number = (value: unknown): SqlValue | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const bool = (value: unknown): SqlValue | undefined => (typeof value === 'boolean' ? (value ? 1 : 0) : undefined);

const COLUMNS = new Map<string, ColumnSpec>([
  ['objectId', { kind: 'scalar', sql: 'c.id', nullable: false, accept: text }],
  ['name', { kind: 'scalar', sql: 'c.name', nullable: true, accept: text }],
  ['c', { kind: 'scalar', sql: 'c.creator', nullable: false, accept: text }],
  ['uniqueId', { kind: 'scalar', sql: 'c.unique_id', nullable: true, accept: text }],
  ['tr', { kind: 'scalar', sql: 'c.tr', nullable: false, accept: bool }],
  ['sys', { kind: 'scalar', sql: 'c.sys', nullable: false, accept: bool }],
  ['unique', { kind: 'scalar', sql: 'c.is_unique', nullable: false, accept: bool }],
  ['lm', { kind: 'scalar', sql: 'c.lm', nullable: true, accept: number }],
  ['createdAt', { kind: 'scalar', sql: 'c.created_at', nullable: false, accept: number }],
  ['updatedAt', { kind: 'scalar', sql: 'c.updated_at', nullable: false, accept: number }],
  ['m', { kind: 'members' }],
  ['mu', { kind: 'muted' }],
]);

/** The field's SQL; where the viewer may not see it in a row, it reads as missing there. */
function resolveField(name: string, scope: Scope): FieldSql {
  const field = fieldSql(name, scope.params, scope.app);
  const guard = scope.seen?.guard(name);
  return guard === undefined ? field : guarded(field, guard);
}

/** `field` where `guard` holds, otherwise a field no row has (so $ne, $nin and $exists:false match). */
function guarded(field: FieldSql, guard: string): FieldSql {
  const when = (expression: string): string => `(${guard} AND (${expression}))`;
  return {
    compare: (op, value) => when(field.compare(op, value)),
    in: (values) => when(field.in(values)),
    exists: () => when(field.exists()),
    size: (size) => when(field.size(size)),
    regex: (pattern, flags) => when(field.regex(pattern, flags)),
    order: () => `(CASE WHEN ${guard} THEN ${field.order()} END)`,
  };
}

function fieldSql(name: string, params: Params, app: string): FieldSql {
  const column = COLUMNS.get(name);
  if (column?.kind === 'scalar') return scalarField(column.sql, column.nullable, column.accept, params);
  // m is mirrored in conversation_members, whose (app_id, client_id) index
  // answers "conversations of this client" without reading member lists.
  // An IN subquery (rather than a correlated EXISTS) lets the planner
  // start from that index.
  if (column?.kind === 'members') {
    return setField('c.members', 'cm.client_id', (element) => `c.id IN (SELECT cm.cid FROM conversation_members cm WHERE cm.app_id = ${app} AND ${element})`, params);
  }
  if (column?.kind === 'muted') {
    return setField('c.muted', 'e.value', (element) => `EXISTS (SELECT 1 FROM json_each(c.muted) e WHERE ${element})`, params);
  }
  // The parser validated the name already; checked again because this
  // string becomes part of a JSON path.
  const head = name.split('.')[0]!;
  if (name.length > MAX_FIELD_LENGTH || !FIELD_PATH.test(name) || CONVERSATION_COLUMNS.has(head)) {
    throw ProtocolError.of('CONVERSATION_QUERY_FAILED', `invalid field name ${JSON.stringify(name)}`);
  }
  return attributeField(name, params);
}

function scalarField(sql: string, nullable: boolean, accept: (value: unknown) => SqlValue | undefined, params: Params): FieldSql {
  const field: FieldSql = {
    compare(op, value) {
      if (value === null && op === '=') return nullable ? `${sql} IS NULL` : '0';
      const bound = accept(value);
      return bound === undefined ? '0' : `${sql} ${op} ${params.bind(bound)}`;
    },
    in(values) {
      const accepted = values.map(accept).filter((value): value is SqlValue => value !== undefined);
      const parts = accepted.length ? [`${sql} IN (${accepted.map((value) => params.bind(value)).join(', ')})`] : [];
      if (values.includes(null)) parts.push(field.compare('=', null));
      return parts.length ? parts.join(' OR ') : '0';
    },
    exists: () => (nullable ? `${sql} IS NOT NULL` : '1'),
    size: () => '0',
    regex: (pattern, flags) => `lc_regexp(${params.bind(pattern)}, ${params.bind(flags)}, ${sql})`,
    order: () => sql,
  };
  return field;
}

/**
 * A member list (`m`, `mu`): stored as a sorted JSON array in `column`,
 * elements reachable as `element` inside `any(…)`.
 */
function setField(column: string, element: string, any: (condition: string) => string, params: Params): FieldSql {
  const field: FieldSql = {
    compare(op, value) {
      if (typeof value === 'string') return any(`${element} ${op} ${params.bind(value)}`);
      // An array value compares the whole set, in any order.
      if (op === '=' && Array.isArray(value) && value.every((item) => typeof item === 'string')) {
        return `${column} = ${params.bind(memberSetJson(value))}`;
      }
      return '0';
    },
    in(values) {
      const ids = values.filter((value): value is string => typeof value === 'string');
      const parts = ids.length ? [any(`${element} IN (${ids.map((id) => params.bind(id)).join(', ')})`)] : [];
      for (const value of values) if (Array.isArray(value)) parts.push(field.compare('=', value));
      return parts.length ? balanced(parts, 'OR') : '0';
    },
    exists: () => '1',
    size: (size) => `json_array_length(${column}) = ${params.bind(size)}`,
    regex: (pattern, flags) => any(`lc_regexp(${params.bind(pattern)}, ${params.bind(flags)}, ${element})`),
    order: () => column,
  };
  return field;
}

/** `attr.k` → `$."attr"."k"`; segments are identifiers, so quoting cannot be escaped. */
function jsonPath(name: string): string {
  return '$' + name.split('.').map((segment) => `."${segment}"`).join('');
}

/**
 * `attrs` where SQLite can read it (schema.ts): one bad stored value must
 * not fail every attribute query of the app, only read as missing.
 */
const ATTRS = 'c.attrs_readable';

/** A custom attribute inside the `attrs` JSON column. */
function attributeField(name: string, params: Params): FieldSql {
  const path = params.bind(jsonPath(name));
  const value = `json_extract(${ATTRS}, ${path})`;
  const type = `json_type(${ATTRS}, ${path})`;
  const elements = (condition: (value: string, type: string) => string): string =>
    `(${type} = 'array' AND EXISTS (SELECT 1 FROM json_each(${ATTRS}, ${path}) e WHERE ${condition('e.value', 'e.type')}))`;
  // Attributes set to a Date are stored as {__type:'Date', iso}: compare them as ms.
  const dateMs = (): string =>
    `(CASE WHEN ${type} = 'object' AND json_extract(${ATTRS}, ${params.bind(jsonPath(name) + '."__type"')}) = 'Date' ` +
    `THEN CAST(round(unixepoch(json_extract(${ATTRS}, ${params.bind(jsonPath(name) + '."iso"')}), 'subsec') * 1000) AS INTEGER) END)`;

  /** `value op operand` for one JSON value of the given JSON type, or undefined when the types cannot compare. */
  const typed = (op: Comparison, operand: unknown): ((value: string, type: string) => string) | undefined => {
    if (typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand))) {
      const bound = params.bind(operand);
      const types = typeof operand === 'string' ? `'text'` : `'integer', 'real'`;
      return (v, t) => `(${t} IN (${types}) AND ${v} ${op} ${bound})`;
    }
    if (op !== '=') return undefined;
    if (typeof operand === 'boolean') return (_v, t) => `${t} = '${operand ? 'true' : 'false'}'`;
    if (operand === null) return (_v, t) => `${t} = 'null'`;
    if (typeof operand === 'object') {
      const bound = params.bind(JSON.stringify(operand));
      const kind = Array.isArray(operand) ? `'array'` : `'object'`;
      return (v, t) => `(${t} = ${kind} AND ${v} = json(${bound}))`;
    }
    return undefined;
  };

  const field: FieldSql = {
    compare(op, operand) {
      const match = typed(op, operand);
      if (!match) return '0';
      const parts = [match(value, type), elements(match)];
      if (typeof operand === 'number') parts.push(`${dateMs()} ${op} ${params.bind(operand)}`);
      // Mongo: {k: null} also matches documents without k.
      if (operand === null) parts.push(`${type} IS NULL`);
      return parts.join(' OR ');
    },
    in(values) {
      // Strings and numbers as one IN list (no affinity, so '1' never equals 1, as with =);
      // other values one comparison each.
      const scalars = values.filter((operand): operand is string | number => typeof operand === 'string' || typeof operand === 'number');
      const numbers = scalars.filter((operand) => typeof operand === 'number');
      const parts = values.filter((operand) => !scalars.includes(operand as string | number)).map((operand) => `(${field.compare('=', operand)})`);
      if (scalars.length) {
        const list = scalars.map((operand) => params.bind(operand)).join(', ');
        const match = (v: string, t: string): string => `(${t} IN ('text', 'integer', 'real') AND ${v} IN (${list}))`;
        parts.push(match(value, type), elements(match));
        if (numbers.length) parts.push(`${dateMs()} IN (${numbers.map((operand) => params.bind(operand)).join(', ')})`);
      }
      return parts.length ? balanced(parts, 'OR') : '0';
    },
    exists: () => `${type} IS NOT NULL`,
    size: (size) => `(${type} = 'array' AND json_array_length(${ATTRS}, ${path}) = ${params.bind(size)})`,
    regex(pattern, flags) {
      const match = (v: string, t: string): string => `(${t} = 'text' AND lc_regexp(${params.bind(pattern)}, ${params.bind(flags)}, ${v}))`;
      return `${match(value, type)} OR ${elements(match)}`;
    },
    order: () => value,
  };
  return field;
}
