/**
 * The SQLite dialect of the conversation query compiler
 * (store/conditions-sql.ts): custom attributes through SQLite's JSON
 * functions, `$regex` through `lc_regexp` (regexp.ts, JavaScript's engine)
 * and the cost meter through `lc_tick` (query-budget.ts).
 */
import { balanced, type Comparison, compileQuery, type FieldSql, type Params, type SqlDialect, type SqlValue } from '../conditions-sql.js';
import type { ConversationQuery } from '../types.js';
import { CONVERSATION_SELECT } from './rows.js';

export interface CompiledQuery {
  sql: string;
  /** Named parameters (`@p0`, `@p1`, …) for better-sqlite3. */
  params: Record<string, SqlValue>;
}

const regex = (pattern: string, flags: string, value: string, params: Params): string =>
  `lc_regexp(${params.bind(pattern)}, ${params.bind(flags)}, ${value})`;

const SQLITE: SqlDialect = {
  placeholder: (index) => `@p${index}`,
  select: CONVERSATION_SELECT,
  // Without statistics SQLite would walk all of the app's conversations
  // probing membership; CROSS JOIN fixes the loop order.
  memberJoin: 'CROSS JOIN',
  tick: () => 'lc_tick() AND ',
  regex,
  anyElement: (column, condition) => `EXISTS (SELECT 1 FROM json_each(${column}) e WHERE ${condition})`,
  arrayLength: (column) => `json_array_length(${column})`,
  attribute: (name, params) => attributeField(name, params),
};

export function compileConversationQuery(query: ConversationQuery): CompiledQuery {
  const { sql, params } = compileQuery(query, SQLITE);
  return { sql, params: Object.fromEntries(params.values.map((value, index) => [`p${index}`, value])) };
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
      if (!match) return 'FALSE';
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
      return parts.length ? balanced(parts, 'OR') : 'FALSE';
    },
    exists: () => `${type} IS NOT NULL`,
    size: (size) => `(${type} = 'array' AND json_array_length(${ATTRS}, ${path}) = ${params.bind(size)})`,
    regex(pattern, flags) {
      const match = (v: string, t: string): string => `(${t} = 'text' AND ${regex(pattern, flags, v, params)})`;
      return `${match(value, type)} OR ${elements(match)}`;
    },
    order: () => [value],
  };
  return field;
}
