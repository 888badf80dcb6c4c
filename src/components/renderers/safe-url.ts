/** Schemes a message may link or load from; never `javascript:`, `data:` or `vbscript:`. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'blob:']);

/**
 * The absolute URL if it is safe to put in `href`/`src`, else undefined.
 * Message content is untrusted: a `javascript:` link would run in the page.
 */
export function safeUrl(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim(), typeof document !== 'undefined' ? document.baseURI : undefined);
  } catch {
    return undefined;
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}
