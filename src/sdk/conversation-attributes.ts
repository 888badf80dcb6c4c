/**
 * A conversation's attributes (`name` and custom attributes) as the server
 * has them, plus local changes waiting for `save()`. Keys of changes are
 * paths: `set('color.text', '#333')` changes one field of the `color`
 * object, and travels as `{"color.text": "#333"}` (protocol.md §4.2), so a
 * save never overwrites fields another member changed meanwhile.
 */

/** Attribute values: whatever JSON can carry. */
export type AttributeMap = Record<string, unknown>;

/**
 * Server attributes and pending changes. Reads see the server state with
 * the pending changes applied on top.
 */
export class ConversationAttributes {
  #server: AttributeMap = {};
  // Path → value, in the order set; a path never lies inside another
  // pending path (set() merges those into the outer value).
  #pending = new Map<string, unknown>();
  #current: AttributeMap | undefined;

  /** The value at `path` (dotted), pending changes included; objects are copies. */
  get(path: string): unknown {
    let value: unknown = this.#view();
    for (const part of path.split('.')) {
      if (!isRecord(value)) return undefined;
      value = value[part];
    }
    // A copy: editing it in place must not bypass set() and save().
    return typeof value === 'object' && value !== null ? structuredClone(value) : value;
  }

  /** A deep copy of every attribute, pending changes included. */
  snapshot(): AttributeMap {
    return structuredClone(this.#view());
  }

  /**
   * Records a local change. Setting a path drops pending changes inside it;
   * setting inside a pending path edits that pending value, so what is sent
   * never has both `a` and `a.b`.
   * @throws TypeError for an empty path or an empty segment (`'a..b'`)
   */
  set(path: string, value: unknown): void {
    assertPath(path);
    for (const key of [...this.#pending.keys()]) {
      if (key === path || key.startsWith(`${path}.`)) this.#pending.delete(key);
    }
    const outer = [...this.#pending.keys()].find((key) => path.startsWith(`${key}.`));
    if (outer === undefined) {
      this.#pending.set(path, structuredClone(value));
    } else {
      const container = isRecord(this.#pending.get(outer)) ? (this.#pending.get(outer) as AttributeMap) : {};
      setPath(container, path.slice(outer.length + 1), structuredClone(value));
      this.#pending.set(outer, container);
    }
    this.#current = undefined;
  }

  /** Whether there are changes to save. */
  get dirty(): boolean {
    return this.#pending.size > 0;
  }

  /** The pending changes, keyed by path, as `save()` sends them. */
  changes(): AttributeMap {
    return structuredClone(Object.fromEntries(this.#pending));
  }

  /**
   * The server accepted `sent` (from {@link changes}): they become server
   * state, and the pending entries not changed since are dropped.
   */
  commit(sent: AttributeMap): void {
    this.applyRemote(sent);
    for (const [path, value] of Object.entries(sent)) {
      if (this.#pending.has(path) && isDeepEqual(this.#pending.get(path), value)) this.#pending.delete(path);
    }
  }

  /** Applies changes made elsewhere (dotted paths, e.g. an `updated` push) to the server state. */
  applyRemote(changes: AttributeMap): void {
    for (const [path, value] of Object.entries(changes)) {
      if (path) setPath(this.#server, path, structuredClone(value));
    }
    this.#current = undefined;
  }

  /** Replaces the server state (a fresh query result); pending changes stay on top. */
  replace(attributes: AttributeMap): void {
    this.#server = structuredClone(attributes);
    this.#current = undefined;
  }

  #view(): AttributeMap {
    if (this.#current) return this.#current;
    if (this.#pending.size === 0) return (this.#current = this.#server);
    const view = structuredClone(this.#server);
    for (const [path, value] of this.#pending) setPath(view, path, structuredClone(value));
    return (this.#current = view);
  }
}

function assertPath(path: string): void {
  if (typeof path !== 'string' || path === '' || path.split('.').some((part) => part === '')) {
    throw new TypeError(`${JSON.stringify(path)} is not an attribute key`);
  }
}

/** Sets `path` inside `target`, replacing non-objects on the way with objects. */
function setPath(target: AttributeMap, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = isRecord(next) ? next : (node[part] = {});
  }
  node[parts[parts.length - 1]!] = value;
}

function isRecord(value: unknown): value is AttributeMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
