/**
 * Builds conversation queries (guide: 对话的查询; protocol.md §5). The
 * conditions are LeanCloud's `where` JSON; `find()` sends them in a
 * `conv/query` command.
 */
import { encodeDate } from './dates.js';
import type { Conversation } from './conversation.js';

/** A query value: JSON, or a Date (sent as `{__type: 'Date', iso}`). */
export type QueryValue = unknown;

/** The JSON a query sends: `where`, plus `sort`, `limit`, `skip` and `flag`. */
export interface ConversationQueryJSON {
  where: Record<string, unknown>;
  sort?: string;
  limit: number;
  skip?: number;
  flag: number;
}

/** Flag bits of `convMessage.flag`. */
const FLAG_COMPACT = 1;
const FLAG_LAST_MESSAGES = 2;

/** Default page size, as documented by the guide. */
export const DEFAULT_QUERY_LIMIT = 10;

/**
 * A conversation query, from `client.getQuery()`. Builders return the query
 * so they chain; conditions on the same key combine (e.g. a range).
 */
export class ConversationQuery {
  readonly #run: (query: ConversationQuery) => Promise<Conversation[]>;
  readonly #clientId: string;
  #where: Record<string, unknown> = {};
  #order: string[] = [];
  #limit = DEFAULT_QUERY_LIMIT;
  #skip: number | undefined;
  #flag = 0;

  /** @internal Created by `IMClient#getQuery`. */
  constructor(run: (query: ConversationQuery) => Promise<Conversation[]>, clientId: string) {
    this.#run = run;
    this.#clientId = clientId;
  }

  /** `key` equals `value`. */
  equalTo(key: string, value: QueryValue): this {
    this.#where[key] = encode(value);
    return this;
  }

  /** `key` does not equal `value`. */
  notEqualTo(key: string, value: QueryValue): this {
    return this.#add(key, '$ne', value);
  }

  /** `key` is less than `value`. */
  lessThan(key: string, value: QueryValue): this {
    return this.#add(key, '$lt', value);
  }

  /** `key` is less than or equal to `value`. */
  lessThanOrEqualTo(key: string, value: QueryValue): this {
    return this.#add(key, '$lte', value);
  }

  /** `key` is greater than `value`. */
  greaterThan(key: string, value: QueryValue): this {
    return this.#add(key, '$gt', value);
  }

  /** `key` is greater than or equal to `value`. */
  greaterThanOrEqualTo(key: string, value: QueryValue): this {
    return this.#add(key, '$gte', value);
  }

  /** `key` is set. */
  exists(key: string): this {
    return this.#add(key, '$exists', true);
  }

  /** `key` is not set. */
  doesNotExist(key: string): this {
    return this.#add(key, '$exists', false);
  }

  /** `key` is one of `values`. */
  containedIn(key: string, values: readonly QueryValue[]): this {
    return this.#add(key, '$in', values);
  }

  /** `key` is none of `values`. */
  notContainedIn(key: string, values: readonly QueryValue[]): this {
    return this.#add(key, '$nin', values);
  }

  /** `key` is none of `values` (the official SDK's name). */
  notContainsIn(key: string, values: readonly QueryValue[]): this {
    return this.notContainedIn(key, values);
  }

  /** The array `key` contains all of `values`. */
  containsAll(key: string, values: readonly QueryValue[]): this {
    return this.#add(key, '$all', values);
  }

  /** The members include all of `clientIds`. */
  containsMembers(clientIds: readonly string[]): this {
    return this.containsAll('m', clientIds);
  }

  /**
   * The members are exactly `clientIds` (plus the current client if
   * `includeSelf`).
   */
  withMembers(clientIds: readonly string[], includeSelf = false): this {
    const members = new Set(clientIds);
    if (includeSelf) members.add(this.#clientId);
    this.sizeEqualTo('m', members.size);
    return this.containsMembers([...members]);
  }

  /** The array `key` has `size` elements. */
  sizeEqualTo(key: string, size: number): this {
    return this.#add(key, '$size', size);
  }

  /**
   * `key` matches a regular expression. Only the `i` and `m` flags carry
   * over; the server evaluates the pattern.
   * @param regex a RegExp, or a pattern with `modifiers`
   */
  matches(key: string, regex: RegExp | string, modifiers?: string): this {
    const source = typeof regex === 'string' ? regex : regex.source;
    const flags = typeof regex === 'string' ? (modifiers ?? '') : regex.flags;
    this.#add(key, '$regex', source);
    const options = [...flags].filter((flag) => flag === 'i' || flag === 'm').join('');
    if (options) this.#add(key, '$options', options);
    return this;
  }

  /** The string `key` contains `text`. */
  contains(key: string, text: string): this {
    return this.#add(key, '$regex', quote(text));
  }

  /** The string `key` starts with `text`. */
  startsWith(key: string, text: string): this {
    return this.#add(key, '$regex', `^${quote(text)}`);
  }

  /** The string `key` ends with `text`. */
  endsWith(key: string, text: string): this {
    return this.#add(key, '$regex', `${quote(text)}$`);
  }

  /** Sorts ascending by `key`, replacing earlier sort keys. */
  ascending(key: string): this {
    this.#order = [key];
    return this;
  }

  /** Then sorts ascending by `key`. */
  addAscending(key: string): this {
    this.#order.push(key);
    return this;
  }

  /** Sorts descending by `key`, replacing earlier sort keys. */
  descending(key: string): this {
    this.#order = [`-${key}`];
    return this;
  }

  /** Then sorts descending by `key`. */
  addDescending(key: string): this {
    this.#order.push(`-${key}`);
    return this;
  }

  /** At most `limit` results (default 10). */
  limit(limit: number): this {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit ${limit} is not a non-negative integer`);
    this.#limit = limit;
    return this;
  }

  /** Skips the first `skip` results. */
  skip(skip: number): this {
    if (!Number.isInteger(skip) || skip < 0) throw new RangeError(`skip ${skip} is not a non-negative integer`);
    this.#skip = skip;
    return this;
  }

  /** Compact mode: results come without members (`members` is `[]`). */
  compact(enabled = true): this {
    return this.#setFlag(FLAG_COMPACT, enabled);
  }

  /** Results carry their current last message. */
  withLastMessagesRefreshed(enabled = true): this {
    return this.#setFlag(FLAG_LAST_MESSAGES, enabled);
  }

  /** The command fields this query sends. */
  toJSON(): ConversationQueryJSON {
    const json: ConversationQueryJSON = { where: structuredClone(this.#where), limit: this.#limit, flag: this.#flag };
    if (this.#order.length > 0) json.sort = this.#order.join(',');
    if (this.#skip !== undefined) json.skip = this.#skip;
    return json;
  }

  /**
   * Runs the query. Results update the client's cached conversations, so
   * the same id always yields the same Conversation instance.
   */
  find(): Promise<Conversation[]> {
    return this.#run(this);
  }

  /** Runs the query for its first result, or null. */
  async first(): Promise<Conversation | null> {
    const saved = this.#limit;
    this.#limit = 1;
    try {
      return (await this.#run(this))[0] ?? null;
    } finally {
      this.#limit = saved;
    }
  }

  #add(key: string, operator: string, value: QueryValue): this {
    const current = this.#where[key];
    // An earlier equalTo on the key is replaced by the operator object.
    const conditions = isPlainObject(current) && !('__type' in current) ? current : {};
    conditions[operator] = encode(value);
    this.#where[key] = conditions;
    return this;
  }

  #setFlag(bit: number, enabled: boolean): this {
    this.#flag = enabled ? this.#flag | bit : this.#flag & ~bit;
    return this;
  }
}

function encode(value: QueryValue): unknown {
  if (value instanceof Date) return encodeDate(value);
  if (Array.isArray(value)) return value.map(encode);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

/** Java-style literal quoting (`\Q…\E`), which the server translates. */
function quote(text: string): string {
  return `\\Q${text.replaceAll('\\E', '\\E\\\\E\\Q')}\\E`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
