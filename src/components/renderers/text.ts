/**
 * Text with its links: plain text stays text (Lit escapes every binding);
 * URLs become `<a>` elements created by the template, with the URL checked
 * to be http(s) and `rel="noopener noreferrer"`. No message content ever
 * reaches `innerHTML`.
 */
import { html, type TemplateResult } from 'lit';
import { safeUrl } from './safe-url.js';

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the URL. */
const TRAILING = /[.,!?;:'"’”)\]}>]+$/;

function trimUrl(candidate: string): string {
  let url = candidate.replace(TRAILING, '');
  // Keep a closing parenthesis that closes one inside the URL (Wikipedia links).
  const rest = candidate.slice(url.length);
  if (rest.startsWith(')') && (url.match(/\(/g)?.length ?? 0) > (url.match(/\)/g)?.length ?? 0)) url += ')';
  return url;
}

/** Splits text into strings and link templates. */
export function linkify(text: string): Array<string | TemplateResult> {
  const parts: Array<string | TemplateResult> = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    const label = trimUrl(match[0]);
    const href = safeUrl(label.toLowerCase().startsWith('www.') ? `https://${label}` : label);
    if (!href || label.length === 0) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(html`<a part="link" href=${href} target="_blank" rel="noopener noreferrer">${label}</a>`);
    last = start + label.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export function renderText(text: string): TemplateResult {
  return html`<div class="text" dir="auto">${linkify(text)}</div>`;
}
