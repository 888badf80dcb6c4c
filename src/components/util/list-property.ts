/**
 * List-valued element properties (`<lc-chat members>`, `<lc-support agents>`,
 * `<lc-live-room block-words>`).
 *
 * React 19, Vue 3 and Svelte 5 set a custom element's *property* whenever
 * the element has one, so `members="bob"` in their templates arrives as the
 * string `"bob"`: Lit's attribute converter never runs. These properties
 * therefore take a string (split as the attribute is) as well as an array,
 * and a value they cannot use is dropped with a warning that names it, not
 * thrown on every render.
 */

/** What a list-valued property accepts: an array, or a string split as the attribute is. */
export type ListInput = readonly string[] | string | null | undefined;

/** Commas or whitespace: clientIds contain neither. */
export const IDS = /[\s,]+/;
/** Commas only: a blocked word may be a phrase. */
export const COMMAS = /\s*,\s*/;

function split(value: string, separator: RegExp): string[] {
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Lit's attribute converter for a list split by `separator`. */
export function listConverter(separator: RegExp): { fromAttribute(value: string | null): string[]; toAttribute(value: readonly string[] | undefined): string | null } {
  return {
    fromAttribute: (value) => split(value ?? '', separator),
    toAttribute: (value) => (value?.length ? value.join(',') : null),
  };
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array with items that are not strings' : value === null ? 'null' : `a ${typeof value}`;
}

/**
 * The list `value` stands for. A string is split by `separator`; an array
 * of strings is kept as it is; anything else is dropped (the list is
 * empty) or, for an array, keeps its strings, with a console warning that
 * names `property` (`<lc-chat>.members`).
 */
export function toList(value: unknown, separator: RegExp, property: string): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return split(value, separator);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[]; // not copied: the element never mutates it
  console.warn(`lc-chat: ${property} takes an array of strings or a string; ignored ${describe(value)}`, value);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
