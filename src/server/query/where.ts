/**
 * Parses and validates a conversation query's `where` JSON and `sort`
 * string (protocol.md §5) into the store's `Condition` / `SortKey[]`.
 * Everything a client can put in a query is checked here, so stores only
 * ever see well-formed conditions with valid field names.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { Condition, SortKey } from '../store/types.js';
import { RegexError, translateRegex } from './regex.js';

/** `_Conversation` columns; any other name is a custom attribute path. */
export const CONVERSATION_COLUMNS: ReadonlySet<string> = new Set([
  'objectId', 'name', 'm', 'c', 'mu', 'tr', 'sys', 'unique', 'uniqueId', 'lm', 'createdAt', 'updatedAt',
]);

/** A column name or a dotted attribute path (`topic`, `attr.k`). */
export const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
export const MAX_FIELD_LENGTH = 128;

const MAX_WHERE_LENGTH = 64 * 1024;
/** Nesting of `$and`/`$or` documents and of object/array values. */
const MAX_DEPTH = 8;
const MAX_SORT_KEYS = 8;

/** What one `where` may hold; the server's `maxQueryTerms` / `maxQueryRegexes`. */
export interface WhereLimits {
  /** Conditions plus array elements. */
  maxTerms: number;
  /** `$regex` conditions: each runs on every candidate row, in JavaScript. */
  maxRegexes: number;
}

/**
 * Well inside what the SQLite store can compile: its statements stay far
 * below SQLite's limits (expression depth 1000, bound parameters 32766)
 * and compile in milliseconds. resolveConfig keeps settings within these.
 */
export const WHERE_LIMIT_CEILING: WhereLimits = { maxTerms: 2000, maxRegexes: 100 };
/** 1000 terms: `getConversations` asks for 999 ids at a time. */
export const DEFAULT_WHERE_LIMITS: WhereLimits = { maxTerms: 1000, maxRegexes: 16 };

/**
 * A condition on a custom attribute or on `m`/`mu` compiles to a subquery,
 * several times the work of one on a plain column (compiling it above all):
 * it counts as this many terms, and so does each value its `$all` (or, for
 * attributes, its `$in`/`$nin` with a value other than a string or number)
 * compares one by one.
 */
export const HEAVY_TERM_WEIGHT = 4;
const LIST_COLUMNS: ReadonlySet<string> = new Set(['m', 'mu']);
const isHeavy = (field: string): boolean => LIST_COLUMNS.has(field) || !CONVERSATION_COLUMNS.has(field.split('.')[0]!);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const fail = (detail: string): ProtocolError => ProtocolError.of('CONVERSATION_QUERY_FAILED', detail);
/** Quotes client text for an error detail, shortened. */
const quote = (text: string): string => JSON.stringify(text.length > 64 ? text.slice(0, 64) + '…' : text);

/** `null` when there is no condition at all (absent, empty, or `{}`). */
export function parseWhere(json: string | undefined | null, limits: WhereLimits = DEFAULT_WHERE_LIMITS): Condition | null {
  if (json === undefined || json === null || json.trim() === '') return null;
  if (json.length > MAX_WHERE_LENGTH) throw fail(`where is longer than ${MAX_WHERE_LENGTH} characters`);
  let parsed: Json;
  try {
    parsed = JSON.parse(json) as Json;
  } catch (error) {
    throw fail(`where is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw fail('where must be a JSON object');
  if (Object.keys(parsed).length === 0) return null;
  return new WhereParser(limits).document(parsed, 1);
}

/** `-lm,createdAt` → lm descending, then createdAt ascending. */
export function parseSort(sort: string | undefined | null): SortKey[] {
  if (sort === undefined || sort === null || sort.trim() === '') return [];
  const keys = sort.split(',').map((part) => part.trim());
  if (keys.length > MAX_SORT_KEYS) throw fail(`sort has more than ${MAX_SORT_KEYS} keys`);
  return keys.map((key) => {
    const descending = key.startsWith('-');
    const field = descending ? key.slice(1) : key;
    checkField(field, 'sort');
    return { field, descending };
  });
}

function checkField(field: string, where: string): void {
  if (field.length === 0 || field.length > MAX_FIELD_LENGTH || !FIELD_PATH.test(field)) {
    throw fail(`invalid field name ${quote(field)} in ${where}`);
  }
  const dot = field.indexOf('.');
  if (dot > 0 && CONVERSATION_COLUMNS.has(field.slice(0, dot))) {
    throw fail(`${field.slice(0, dot)} has no sub-fields (${quote(field)} in ${where})`);
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class WhereParser {
  private terms = 0;
  private regexes = 0;

  constructor(private readonly limits: WhereLimits) {}

  document(doc: JsonObject, depth: number): Condition {
    if (depth > MAX_DEPTH) throw fail(`where is nested more than ${MAX_DEPTH} levels deep`);
    const conditions: Condition[] = [];
    for (const [key, value] of Object.entries(doc)) {
      if (key === '$and' || key === '$or') conditions.push(this.junction(key, value, depth));
      else if (key.startsWith('$')) throw fail(`unknown operator ${quote(key)} at the top level`);
      else {
        checkField(key, 'where');
        conditions.push(...this.field(key, value, depth));
      }
    }
    return conditions.length === 1 ? conditions[0]! : this.count({ op: 'and', conditions });
  }

  private junction(key: '$and' | '$or', value: Json, depth: number): Condition {
    if (!Array.isArray(value) || value.length === 0) throw fail(`${key} needs a non-empty array of conditions`);
    const conditions = value.map((item) => {
      if (!isObject(item)) throw fail(`${key} items must be objects`);
      return this.document(item, depth + 1);
    });
    return this.count({ op: key === '$and' ? 'and' : 'or', conditions });
  }

  /** `{field: value}` or `{field: {$op: operand, …}}`. */
  private field(field: string, value: Json, depth: number): Condition[] {
    const weight = isHeavy(field) ? HEAVY_TERM_WEIGHT : 1;
    if (!isObject(value) || isDate(value)) return [this.count({ op: 'eq', field, value: this.value(value, field, depth) }, weight)];
    const keys = Object.keys(value);
    const operators = keys.filter((key) => key.startsWith('$'));
    if (operators.length === 0) return [this.count({ op: 'eq', field, value: this.value(value, field, depth) }, weight)];
    if (operators.length !== keys.length) throw fail(`${field} mixes operators and plain keys`);
    if ('$options' in value && !('$regex' in value)) throw fail(`$options without $regex on ${field}`);

    const conditions: Condition[] = [];
    for (const op of operators) {
      if (op !== '$options') conditions.push(this.count(this.operator(field, op, value[op]!, value, depth), weight));
    }
    return conditions;
  }

  private operator(field: string, op: string, operand: Json, operators: JsonObject, depth: number): Condition {
    switch (op) {
      case '$ne':
        return { op: 'ne', field, value: this.value(operand, field, depth) };
      case '$lt':
      case '$lte':
      case '$gt':
      case '$gte':
        return { op: op.slice(1) as 'lt' | 'lte' | 'gt' | 'gte', field, value: this.ordered(operand, op, field) };
      case '$in':
      case '$nin':
        return { op: op === '$in' ? 'in' : 'nin', field, values: this.array(operand, op, field, depth) };
      case '$all':
        return { op: 'all', field, values: this.array(operand, op, field, depth) };
      case '$exists':
        if (typeof operand !== 'boolean') throw fail(`$exists on ${field} needs true or false`);
        return { op: 'exists', field, exists: operand };
      case '$size':
        if (typeof operand !== 'number' || !Number.isInteger(operand) || operand < 0) {
          throw fail(`$size on ${field} needs a non-negative integer`);
        }
        return { op: 'size', field, size: operand };
      case '$regex':
        return this.regex(field, operand, operators['$options']);
      default:
        throw fail(`unknown operator ${quote(op)} on ${field}`);
    }
  }

  private regex(field: string, pattern: Json, options: Json | undefined): Condition {
    if (typeof pattern !== 'string') throw fail(`$regex on ${field} needs a string`);
    if (++this.regexes > this.limits.maxRegexes) throw fail(`where has more than ${this.limits.maxRegexes} $regex conditions`);
    if (options !== undefined && typeof options !== 'string') throw fail(`$options on ${field} needs a string`);
    try {
      const { source, flags } = translateRegex(pattern, options ?? '');
      return { op: 'regex', field, pattern: source, flags };
    } catch (error) {
      if (error instanceof RegexError) throw fail(`bad $regex on ${field}: ${error.message}`);
      throw error;
    }
  }

  /** An operand of $lt/$lte/$gt/$gte: a number, a string or a date. */
  private ordered(operand: Json, op: string, field: string): number | string {
    if (isObject(operand) && isDate(operand)) return dateValue(operand, field);
    if (typeof operand === 'number' || typeof operand === 'string') return operand;
    throw fail(`${op} on ${field} needs a number, a string or a date`);
  }

  private array(operand: Json, op: string, field: string, depth: number): unknown[] {
    if (!Array.isArray(operand)) throw fail(`${op} on ${field} needs an array`);
    const values = operand.map((item) => this.value(item, field, depth + 1));
    if (isHeavy(field)) {
      // See HEAVY_TERM_WEIGHT: what the store compares one value at a time.
      const oneByOne = op === '$all' ? values : LIST_COLUMNS.has(field) ? [] : values.filter((item) => typeof item !== 'string' && typeof item !== 'number');
      for (let n = 0; n < oneByOne.length; n++) this.count(null, HEAVY_TERM_WEIGHT - 1);
    }
    return values;
  }

  /** A comparison value: dates become ms; objects and arrays are bounded in depth and size. */
  private value(value: Json, field: string, depth: number): unknown {
    this.count(null);
    if (depth > MAX_DEPTH) throw fail(`value of ${field} is nested more than ${MAX_DEPTH} levels deep`);
    if (Array.isArray(value)) return value.map((item) => this.value(item, field, depth + 1));
    if (!isObject(value)) return value;
    if (isDate(value)) return dateValue(value, field);
    // fromEntries defines own properties, so a "__proto__" key stays data.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        if (key.startsWith('$')) throw fail(`operator ${quote(key)} inside a value of ${field}`);
        return [key, this.value(item, field, depth + 1)];
      }),
    );
  }

  /** Counts a term (as `weight` terms) against maxTerms; returns what it was given. */
  private count<T>(term: T, weight = 1): T {
    this.terms += weight;
    if (this.terms > this.limits.maxTerms) throw fail(`where has more than ${this.limits.maxTerms} terms`);
    return term;
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function isDate(value: JsonObject): boolean {
  return value['__type'] === 'Date';
}

function dateValue(value: JsonObject, field: string): number {
  const iso = value['iso'];
  const ms = typeof iso === 'string' && ISO_DATE.test(iso) ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) throw fail(`invalid date ${quote(JSON.stringify(value))} on ${field}`);
  return ms;
}
