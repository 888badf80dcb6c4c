/**
 * Compiles a conversation query (`Condition` tree, sort keys, paging) into
 * one SELECT, for either store: what differs between SQLite and PostgreSQL
 * (placeholders, JSON functions, regexes, the cost meter) comes from a
 * `SqlDialect`. Every client value is a bound parameter; field names only
 * choose among fixed SQL fragments, and attribute paths are bound too.
 *
 * Semantics follow LeanCloud's (MongoDB's): a condition on an array matches
 * when any element matches; values of another type than the field's never
 * match; `$ne`/`$nin`/`$exists:false` are the exact negations of
 * `eq`/`$in`/`$exists:true` (so they match a missing field).
 */
import { ProtocolError } from '../../protocol/errors.js';
import { CONVERSATION_COLUMNS, FIELD_PATH, MAX_FIELD_LENGTH } from '../query/where.js';
import { memberSetJson } from './rows.js';
import type { Condition, ConversationQuery, QueryBudget, SortKey } from './types.js';
import { VIEWER_ROW, visibility, type Visibility } from './visibility-sql.js';

export type SqlValue = string | number | boolean | null | readonly string[];

/** The parameters of one query, in order; `bind` returns a value's placeholder. */
export class Params {
  readonly values: SqlValue[] = [];

  constructor(private readonly placeholder: (index: number) => string) {}

  /** Returns the placeholder; a placeholder may be used several times in the SQL. */
  bind(value: SqlValue): string {
    this.values.push(value);
    return this.placeholder(this.values.length - 1);
  }
}

export type Comparison = '=' | '<' | '<=' | '>' | '>=';

/** The SQL for one field's conditions; each method returns a boolean expression. */
export interface FieldSql {
  compare(op: Comparison, value: unknown): string;
  in(values: unknown[]): string;
  exists(): string;
  size(size: number): string;
  regex(pattern: string, flags: string): string;
  /** Expressions to sort by, most significant first. */
  order(): string[];
}

/** What one database does its own way. */
export interface SqlDialect {
  placeholder(index: number): string;
  /** The select list of conversation rows (`c`). */
  select: string;
  /** Joins `conversations c` to the driving member rows `d` so that the loop starts from `d`. */
  memberJoin: string;
  /** A term put first in a budgeted query's WHERE, charging each row examined; '' for none. */
  tick(budget: QueryBudget, params: Params): string;
  /** `value` (a text expression) matches the client's regex (already checked by query/regex.ts). */
  regex(pattern: string, flags: string, value: string, params: Params): string;
  /** `condition` holds for an element `e.value` (text) of the JSON array column `column`. */
  anyElement(column: string, condition: string): string;
  /** The length of the JSON array column `column`. */
  arrayLength(column: string): string;
  /** A custom attribute path (validated) inside the attributes. */
  attribute(name: string, params: Params): FieldSql;
}

export interface CompiledQuery {
  sql: string;
  params: Params;
}

export function compileQuery(query: ConversationQuery, dialect: SqlDialect): CompiledQuery {
  for (const [name, value] of [['limit', query.limit], ['skip', query.skip]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  const params = new Params((index) => dialect.placeholder(index));
  const app = params.bind(query.appId);
  // "Conversations of X" is the common query: starting from X's member rows
  // reads only X's conversations instead of walking all of the app's.
  const member = query.where ? drivingMember(query.where) : undefined;
  const from = member === undefined ? 'conversations c' : `conversation_members d ${dialect.memberJoin} conversations c ON c.app_id = d.app_id AND c.id = d.cid`;
  const memberFilter = member === undefined ? '' : `d.app_id = ${app} AND d.client_id = ${params.bind(member)} AND `;
  const seen = query.viewer ? visibility(query.viewer, query.where) : undefined;
  // The viewer's own member row, if any: one primary-key probe per row.
  const viewerJoin = query.viewer
    ? ` LEFT JOIN conversation_members ${VIEWER_ROW} ON ${VIEWER_ROW}.app_id = c.app_id AND ${VIEWER_ROW}.cid = c.id AND ${VIEWER_ROW}.client_id = ${params.bind(query.viewer.clientId)}`
    : '';
  const scope: Scope = { params, app, seen, dialect };
  const where = query.where ? predicate(query.where, scope) : 'TRUE';
  // The tick comes first so that it runs once per row examined.
  const tick = query.budget ? dialect.tick(query.budget, params) : '';
  const rows = seen && seen.rows !== 'TRUE' ? `${seen.rows} AND ` : '';
  const sql =
    `SELECT ${dialect.select} FROM ${from}${viewerJoin} WHERE ${tick}${memberFilter}c.app_id = ${app} AND c.expires_at IS NULL AND ${rows}(${where}) ` +
    `ORDER BY ${orderBy(query.sort, scope)} LIMIT ${params.bind(query.limit)} OFFSET ${params.bind(query.skip)}`;
  return { sql, params };
}

/** What compiling one query needs everywhere. */
interface Scope {
  params: Params;
  /** The app id's placeholder. */
  app: string;
  /** The viewer's visibility; undefined for the server's own queries. */
  seen: Visibility | undefined;
  dialect: SqlDialect;
}

/**
 * Joins terms as a balanced tree of `op`: SQLite's parser nests a chain
 * `a OR b OR c …` one level per term and refuses expressions deeper than
 * 1000, while a balanced tree is only log2(terms) deep.
 */
export function balanced(parts: string[], op: 'AND' | 'OR'): string {
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

const COMPARISONS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function predicate(condition: Condition, scope: Scope): string {
  switch (condition.op) {
    case 'and':
    case 'or': {
      if (condition.conditions.length === 0) return condition.op === 'and' ? 'TRUE' : 'FALSE';
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
      if (condition.values.length === 0) return 'FALSE';
      return balanced(condition.values.map((value) => `(${field.compare('=', normalize(value))})`), 'AND');
    case 'size':
      return field.size(condition.size);
    case 'regex':
      return field.regex(condition.pattern, condition.flags);
  }
}

/** SQL NULL (unknown) must count as "no match" before negating. */
function not(expression: string): string {
  return `NOT coalesce((${expression}), FALSE)`;
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
  // Explicit NULLS placement: NULL is the smallest value (as in Mongo and
  // SQLite), which also keeps the lm index usable.
  const keys = sort.length
    ? sort.flatMap(({ field, descending }) => resolveField(field, scope).order().map((key) => `${key} ${descending ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`))
    : ['c.lm DESC NULLS LAST', 'c.updated_at DESC'];
  // A unique last key keeps skip/limit pages stable when the others tie.
  return [...keys, 'c.id'].join(', ');
}

type ColumnSpec =
  | { kind: 'scalar'; sql: string; nullable: boolean; accept: (value: unknown) => SqlValue | undefined }
  | { kind: 'integer'; sql: string; nullable: boolean }
  | { kind: 'members' }
  | { kind: 'muted' };

const text = (value: unknown): SqlValue | undefined => (typeof value === 'string' ? value : undefined);
const bool = (value: unknown): SqlValue | undefined => (typeof value === 'boolean' ? (value ? 1 : 0) : undefined);

const COLUMNS = new Map<string, ColumnSpec>([
  ['objectId', { kind: 'scalar', sql: 'c.id', nullable: false, accept: text }],
  ['name', { kind: 'scalar', sql: 'c.name', nullable: true, accept: text }],
  ['c', { kind: 'scalar', sql: 'c.creator', nullable: false, accept: text }],
  ['uniqueId', { kind: 'scalar', sql: 'c.unique_id', nullable: true, accept: text }],
  ['tr', { kind: 'scalar', sql: 'c.tr', nullable: false, accept: bool }],
  ['sys', { kind: 'scalar', sql: 'c.sys', nullable: false, accept: bool }],
  ['unique', { kind: 'scalar', sql: 'c.is_unique', nullable: false, accept: bool }],
  ['lm', { kind: 'integer', sql: 'c.lm', nullable: true }],
  ['createdAt', { kind: 'integer', sql: 'c.created_at', nullable: false }],
  ['updatedAt', { kind: 'integer', sql: 'c.updated_at', nullable: false }],
  ['m', { kind: 'members' }],
  ['mu', { kind: 'muted' }],
]);

/** The field's SQL; where the viewer may not see it in a row, it reads as missing there. */
function resolveField(name: string, scope: Scope): FieldSql {
  const field = fieldSql(name, scope);
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
    order: () => field.order().map((key) => `(CASE WHEN ${guard} THEN ${key} END)`),
  };
}

function fieldSql(name: string, scope: Scope): FieldSql {
  const { params, app, dialect } = scope;
  const column = COLUMNS.get(name);
  if (column?.kind === 'scalar') return scalarField(column.sql, column.nullable, column.accept, scope);
  if (column?.kind === 'integer') return integerField(column.sql, column.nullable, scope);
  // m is mirrored in conversation_members, whose (app_id, client_id) index
  // answers "conversations of this client" without reading member lists.
  // An IN subquery (rather than a correlated EXISTS) lets the planner
  // start from that index.
  if (column?.kind === 'members') {
    return setField('c.members', 'cm.client_id', (element) => `c.id IN (SELECT cm.cid FROM conversation_members cm WHERE cm.app_id = ${app} AND ${element})`, scope);
  }
  if (column?.kind === 'muted') return setField('c.muted', 'e.value', (element) => dialect.anyElement('c.muted', element), scope);
  // The parser validated the name already; checked again because this
  // string becomes part of a JSON path.
  const head = name.split('.')[0]!;
  if (name.length > MAX_FIELD_LENGTH || !FIELD_PATH.test(name) || CONVERSATION_COLUMNS.has(head)) {
    throw ProtocolError.of('CONVERSATION_QUERY_FAILED', `invalid field name ${JSON.stringify(name)}`);
  }
  return dialect.attribute(name, params);
}

function scalarField(sql: string, nullable: boolean, accept: (value: unknown) => SqlValue | undefined, scope: Scope): FieldSql {
  const { params } = scope;
  const field: FieldSql = {
    compare(op, value) {
      if (value === null && op === '=') return nullable ? `${sql} IS NULL` : 'FALSE';
      const bound = accept(value);
      return bound === undefined ? 'FALSE' : `${sql} ${op} ${params.bind(bound)}`;
    },
    in(values) {
      const accepted = values.map(accept).filter((value): value is SqlValue => value !== undefined);
      const parts = accepted.length ? [`${sql} IN (${accepted.map((value) => params.bind(value)).join(', ')})`] : [];
      if (values.includes(null)) parts.push(field.compare('=', null));
      return parts.length ? parts.join(' OR ') : 'FALSE';
    },
    exists: () => (nullable ? `${sql} IS NOT NULL` : 'TRUE'),
    size: () => 'FALSE',
    regex: (pattern, flags) => scope.dialect.regex(pattern, flags, sql, params),
    order: () => [sql],
  };
  return field;
}

/** Beyond any stored time or count; larger operands are clamped to it. */
const INTEGER_BOUND = Number.MAX_SAFE_INTEGER;

/**
 * An integer column (ms times): a fractional operand becomes the integer
 * bound that selects the same rows (`lm < 1.5` is `lm < 2`), so the
 * comparison stays an integer one that the column's index serves.
 */
function integerField(sql: string, nullable: boolean, scope: Scope): FieldSql {
  const { params } = scope;
  const operand = (op: Comparison, value: number): string | undefined => {
    const clamped = Math.max(-INTEGER_BOUND, Math.min(INTEGER_BOUND, value));
    if (Number.isInteger(clamped)) return `${sql} ${op} ${params.bind(clamped)}`;
    if (op === '=') return undefined;
    const bound = op === '<' || op === '>=' ? Math.ceil(clamped) : Math.floor(clamped);
    return `${sql} ${op} ${params.bind(bound)}`;
  };
  const field: FieldSql = {
    compare(op, value) {
      if (value === null && op === '=') return nullable ? `${sql} IS NULL` : 'FALSE';
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'FALSE';
      return operand(op, value) ?? 'FALSE';
    },
    in(values) {
      const integers = values.filter((value): value is number => typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INTEGER_BOUND);
      const parts = integers.length ? [`${sql} IN (${integers.map((value) => params.bind(value)).join(', ')})`] : [];
      if (values.includes(null)) parts.push(field.compare('=', null));
      return parts.length ? parts.join(' OR ') : 'FALSE';
    },
    exists: () => (nullable ? `${sql} IS NOT NULL` : 'TRUE'),
    size: () => 'FALSE',
    // Numbers never match a regex.
    regex: () => 'FALSE',
    order: () => [sql],
  };
  return field;
}

/**
 * A member list (`m`, `mu`): stored as a sorted JSON array in `column`,
 * elements reachable as `element` inside `any(…)`.
 */
function setField(column: string, element: string, any: (condition: string) => string, scope: Scope): FieldSql {
  const { params, dialect } = scope;
  const field: FieldSql = {
    compare(op, value) {
      if (typeof value === 'string') return any(`${element} ${op} ${params.bind(value)}`);
      // An array value compares the whole set, in any order.
      if (op === '=' && Array.isArray(value) && value.every((item) => typeof item === 'string')) {
        return `${column} = ${params.bind(memberSetJson(value))}`;
      }
      return 'FALSE';
    },
    in(values) {
      const ids = values.filter((value): value is string => typeof value === 'string');
      const parts = ids.length ? [any(`${element} IN (${ids.map((id) => params.bind(id)).join(', ')})`)] : [];
      for (const value of values) if (Array.isArray(value)) parts.push(field.compare('=', value));
      return parts.length ? balanced(parts, 'OR') : 'FALSE';
    },
    exists: () => 'TRUE',
    size: (size) => `${dialect.arrayLength(column)} = ${params.bind(size)}`,
    regex: (pattern, flags) => any(dialect.regex(pattern, flags, element, params)),
    order: () => [column],
  };
  return field;
}
