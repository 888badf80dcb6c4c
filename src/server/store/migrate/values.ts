/**
 * Values between the two schemas: a SQLite value becomes what the
 * PostgreSQL column of the same name holds (booleans for 0/1 flags, JSON
 * text for json/jsonb, arrays for JSON arrays), and either side's value is
 * written canonically for the per-conversation checksums, so a value that
 * survived the copy hashes the same on both.
 */
import type { SqliteValue } from './sqlite-source.js';

/** What the copy needs to know of a PostgreSQL column. */
export interface TargetColumn {
  name: string;
  /** information_schema.columns.data_type, e.g. bigint, text, jsonb, boolean, ARRAY. */
  type: string;
}

/** The SQLite value as a parameter for the PostgreSQL column. */
export function toTarget(value: SqliteValue, column: TargetColumn): unknown {
  if (value === null) return null;
  switch (column.type) {
    case 'boolean':
      return Number(value) !== 0;
    case 'ARRAY':
      return JSON.parse(String(value)) as unknown[];
    case 'bytea':
      return Buffer.isBuffer(value) ? value : Buffer.from(String(value));
    case 'bigint':
    case 'integer':
    case 'smallint':
      // Whole numbers only: a fraction would be rounded by the server, silently.
      if (typeof value === 'number' && !Number.isInteger(value)) throw new Error(`${column.name}: ${value} is not a whole number`);
      return typeof value === 'bigint' ? value.toString() : value;
    default:
      return Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'bigint' ? value.toString() : value;
  }
}

/** A value of either side, as one string that equal values share. */
export function canonical(value: unknown, column: TargetColumn): string {
  if (value === null || value === undefined) return '\u2205';
  switch (column.type) {
    case 'boolean':
      return value === true || Number(value) === 1 ? 't' : 'f';
    case 'json':
    case 'jsonb':
      return canonicalJson(typeof value === 'string' ? (JSON.parse(value) as unknown) : value);
    case 'ARRAY':
      return canonicalJson(Array.isArray(value) ? value : (JSON.parse(String(value)) as unknown));
    case 'bytea':
      return (Buffer.isBuffer(value) ? value : Buffer.from(String(value))).toString('hex');
    default:
      return String(value);
  }
}

/** JSON with object keys sorted: jsonb reorders them, the meaning is the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
