/**
 * The schema table's format and the enums' builder, shared by both codecs:
 * proto-codec.ts (Node, built for the server's speed) and
 * proto-codec.browser.ts (browsers, built for size; package.json
 * `"browser"` swaps it in).
 */

/**
 * The schema as generated/message.ts writes it (scripts/gen-proto.mjs says
 * how): one string, so the table costs few bytes in every bundle.
 */
export type SchemaTable = string;
/**
 * One field: `[number, name, type, label, default]`. Types: s string,
 * y bytes, i int32 or enum, l int64, b bool, or the name of a message.
 * Labels: 0 optional, 1 required, 2 repeated.
 */
export type FieldRow = readonly [number: number, name: string, type: string, label: number, fallback: number];

/**
 * A protobuf enum as generated/message.ts exports it: its names to their
 * numbers and, as a TypeScript `enum` does, its numbers back to their names.
 */
export type ProtoEnum<T extends Record<string, number>> = T & { readonly [value: number]: string };

/**
 * Builds a {@link ProtoEnum} from its names in order, space-separated, each
 * the previous value plus one (the first 0) unless written `name=value`.
 */
export function protoEnum<T extends Record<string, number>>(spec: string): ProtoEnum<T> {
  const values: Record<string | number, string | number> = {};
  let next = 0;
  for (const item of spec.split(' ')) {
    const [name, value] = item.split('=') as [string, string?];
    if (value !== undefined) next = Number(value);
    values[(values[name] = next++)] = name;
  }
  return values as ProtoEnum<T>;
}

const TYPE_MARKS: Record<string, string> = { '#': 'i', '%': 'l', '?': 'b', '&': 'y' };

/** Reads the schema string into fields by message name, in field-number order. */
export function parseSchema(table: SchemaTable): Record<string, FieldRow[]> {
  const messages: Record<string, FieldRow[]> = {};
  for (const entry of table.split(';')) {
    const [name, ...fields] = entry.split(' ');
    let no = 0;
    messages[name!] = fields.map((spec) => {
      const [, fieldName, mark, message, label, number, fallback] = /^(\w+)(?:([#%?&])|\^(\w+))?([!*])?(?:@(\d+))?(?:=(\d+))?$/.exec(spec)!;
      no = number ? Number(number) : no + 1;
      return [no, fieldName!, message ?? (mark ? TYPE_MARKS[mark]! : 's'), label === '!' ? 1 : label === '*' ? 2 : 0, Number(fallback ?? 0)];
    });
  }
  return messages;
}
