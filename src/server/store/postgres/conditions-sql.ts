/**
 * The PostgreSQL dialect of the conversation query compiler
 * (store/conditions-sql.ts): custom attributes through jsonb operators,
 * `$regex` as an ARE (regexp.ts) and the row meter through `lc_tick`
 * (schema.ts). Text compares in byte order (`COLLATE "C"`) and values of
 * different JSON types sort as SQLite sorts them (numbers, then text), so
 * both stores return the same rows in the same order.
 */
import { balanced, type Comparison, compileQuery, type CompiledQuery, type FieldSql, type Params, type SqlDialect } from '../conditions-sql.js';
import type { ConversationQuery } from '../types.js';
import { toPostgresRegex } from './regexp.js';
import { CONVERSATION_SELECT } from './rows.js';

const POSTGRES: SqlDialect = {
  placeholder: (index) => `$${index + 1}`,
  select: CONVERSATION_SELECT,
  memberJoin: 'JOIN',
  tick: (budget, params) => `lc_tick(${params.bind(budget.maxRows)}::bigint, ${params.bind(budget.maxMs)}::float8) AND `,
  regex: (pattern, flags, value, params) => `(${value} ~ ${params.bind(toPostgresRegex(pattern, flags))}::text)`,
  anyElement: (column, condition) =>
    `EXISTS (SELECT 1 FROM (SELECT value COLLATE "C" AS value FROM jsonb_array_elements_text(${column}::jsonb)) e WHERE ${condition})`,
  arrayLength: (column) => `jsonb_array_length(${column}::jsonb)`,
  attribute: (name, params) => attributeField(name, params),
};

const POSTGRES_IDS: SqlDialect = { ...POSTGRES, select: 'c.id' };

/** The query, selecting whole rows, or only ids (`idsOnly`: small rows, for the budgeted step). */
export function compileConversationQuery(query: ConversationQuery, idsOnly = false): CompiledQuery {
  return compileQuery(query, idsOnly ? POSTGRES_IDS : POSTGRES);
}

/** A JSON value's text when it is a string, compared byte-wise. */
const stringOf = (value: string): string => `((${value} #>> '{}') COLLATE "C")`;

/** A custom attribute inside the `attrs` jsonb column; `attr.k` is the path {attr,k}. */
function attributeField(name: string, params: Params): FieldSql {
  const path = params.bind(name.split('.'));
  const value = `(c.attrs #> ${path}::text[])`;
  const type = `jsonb_typeof(${value})`;
  const elements = (condition: (element: string) => string): string =>
    `(${type} = 'array' AND EXISTS (SELECT 1 FROM jsonb_array_elements(${value}) e(value) WHERE ${condition('e.value')}))`;
  // Attributes set to a Date are stored as {__type:'Date', iso}: compare them as ms.
  const dateMs = `(CASE WHEN ${type} = 'object' AND ${value} ->> '__type' = 'Date' THEN lc_date_ms(${value} ->> 'iso') END)`;

  /** `element op operand` for one JSON value, or undefined when the types cannot compare. */
  const typed = (op: Comparison, operand: unknown): ((element: string) => string) | undefined => {
    if (typeof operand === 'string') {
      const bound = params.bind(operand);
      return (v) => `(jsonb_typeof(${v}) = 'string' AND ${stringOf(v)} ${op} ${bound}::text)`;
    }
    if (typeof operand === 'number' && Number.isFinite(operand)) {
      const bound = params.bind(operand);
      return (v) => `(jsonb_typeof(${v}) = 'number' AND (${v})::numeric ${op} ${bound}::numeric)`;
    }
    if (op !== '=') return undefined;
    if (typeof operand === 'boolean') return (v) => `(${v} = '${operand ? 'true' : 'false'}'::jsonb)`;
    if (operand === null) return (v) => `(jsonb_typeof(${v}) = 'null')`;
    if (typeof operand === 'object') {
      const bound = params.bind(JSON.stringify(operand));
      const kind = Array.isArray(operand) ? `'array'` : `'object'`;
      return (v) => `(jsonb_typeof(${v}) = ${kind} AND ${v} = ${bound}::jsonb)`;
    }
    return undefined;
  };

  const field: FieldSql = {
    compare(op, operand) {
      const match = typed(op, operand);
      if (!match) return 'FALSE';
      const parts = [match(value), elements(match)];
      if (typeof operand === 'number') parts.push(`${dateMs} ${op} ${params.bind(operand)}::numeric`);
      // Mongo: {k: null} also matches documents without k.
      if (operand === null) parts.push(`${value} IS NULL`);
      return parts.join(' OR ');
    },
    in(values) {
      // Strings and numbers as one IN list each ('1' never equals 1, as with =); other values one comparison each.
      const strings = values.filter((operand): operand is string => typeof operand === 'string');
      const numbers = values.filter((operand): operand is number => typeof operand === 'number' && Number.isFinite(operand));
      const parts = values
        .filter((operand) => typeof operand !== 'string' && typeof operand !== 'number')
        .map((operand) => `(${field.compare('=', operand)})`);
      if (strings.length) {
        const list = strings.map((operand) => `${params.bind(operand)}::text`).join(', ');
        const match = (v: string): string => `(jsonb_typeof(${v}) = 'string' AND ${stringOf(v)} IN (${list}))`;
        parts.push(match(value), elements(match));
      }
      if (numbers.length) {
        const list = numbers.map((operand) => `${params.bind(operand)}::numeric`).join(', ');
        const match = (v: string): string => `(jsonb_typeof(${v}) = 'number' AND (${v})::numeric IN (${list}))`;
        parts.push(match(value), elements(match), `${dateMs} IN (${list})`);
      }
      return parts.length ? balanced(parts, 'OR') : 'FALSE';
    },
    exists: () => `${value} IS NOT NULL`,
    size: (size) => `(${type} = 'array' AND jsonb_array_length(${value}) = ${params.bind(size)})`,
    regex(pattern, flags) {
      const bound = params.bind(toPostgresRegex(pattern, flags));
      const match = (v: string): string => `(jsonb_typeof(${v}) = 'string' AND (${v} #>> '{}') ~ ${bound}::text)`;
      return `${match(value)} OR ${elements(match)}`;
    },
    // As SQLite orders json_extract's values: missing and null first, then
    // numbers (booleans as 0 and 1), then text (strings, and objects and arrays as JSON).
    order: () => [
      `(CASE ${type} WHEN 'number' THEN 1 WHEN 'boolean' THEN 1 WHEN 'string' THEN 2 WHEN 'object' THEN 2 WHEN 'array' THEN 2 END)`,
      `(CASE ${type} WHEN 'number' THEN (${value})::numeric WHEN 'boolean' THEN (CASE WHEN ${value} = 'true'::jsonb THEN 1 ELSE 0 END) END)`,
      `(CASE WHEN ${type} = 'string' THEN ${stringOf(value)} WHEN ${type} IN ('object', 'array') THEN (${value}::text) COLLATE "C" END)`,
    ],
  };
  return field;
}
