/**
 * Where a server keeps its data, as `--store` / `LC_STORE` name it:
 * `sqlite:<path>` for a SQLite file, `postgres://user@host:5432/db` (or
 * `postgresql://`) for a PostgreSQL database.
 */

/** A parsed `--store` value. */
export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string };

/**
 * Parses a `--store` value; throws with a message fit for one line on
 * stderr. The message never repeats a password the URL may hold.
 */
export function parseStoreLocation(value: string): StoreLocation {
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length);
    if (file === '' || file.includes('\0')) throw new Error('--store sqlite:<path> needs a file path');
    return { kind: 'sqlite', file };
  }
  if (/^postgres(ql)?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`--store: not a valid PostgreSQL URL: ${redactStoreLocation(value)}`);
    }
    if (url.hostname === '') throw new Error(`--store: the PostgreSQL URL names no host: ${redactStoreLocation(value)}`);
    if (url.pathname.length <= 1) throw new Error(`--store: the PostgreSQL URL names no database (postgres://user@host:5432/db): ${redactStoreLocation(value)}`);
    return { kind: 'postgres', url: value };
  }
  throw new Error(`--store must be sqlite:<path> or postgres://user@host:5432/db, got ${JSON.stringify(redactStoreLocation(value))}`);
}

/** The value with any password replaced by `***`, for logs and error messages. */
export function redactStoreLocation(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/** How a store is named in logs and the `serve` banner (no password). */
export function describeStoreLocation(location: StoreLocation): string {
  return location.kind === 'sqlite' ? `sqlite:${location.file}` : redactStoreLocation(location.url);
}
