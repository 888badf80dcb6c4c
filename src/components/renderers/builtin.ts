/**
 * The built-in renderers in the first load: text, recalled, and the
 * fallback for types nobody registered. The rich ones (image, audio,
 * video, location, file) are `rich.ts`, loaded on demand (see
 * `richRenderersReady` in `registry.ts`). Every value from a message goes
 * through a Lit binding (escaped).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatMessage } from '../model/chat-message.js';
import { renderText } from './text.js';
import type { RenderContext } from './types.js';

/** The text a sender attached to a message, as text. */
export function caption(message: ChatMessage): TemplateResult | typeof nothing {
  return message.text ? renderText(message.text) : nothing;
}

export function renderRecalled(_message: ChatMessage, context: RenderContext): TemplateResult {
  return html`<div class="notice">${context.t('message.recalled')}</div>`;
}

export function renderTextMessage(message: ChatMessage, context: RenderContext): TemplateResult {
  return typeof message.text === 'string' ? renderText(message.text) : renderFallback(message, context);
}

/** Unknown types: say so, and show the text the sender attached, as text. */
export function renderFallback(message: ChatMessage, context: RenderContext): TemplateResult {
  return html`<div class="notice">${context.t('message.unsupported')}</div>
    ${caption(message)}`;
}
