import type { nothing, TemplateResult } from 'lit';
import type { Localizer } from '../i18n/localize.js';
import type { ChatMessage } from '../model/chat-message.js';

/** What a renderer knows besides the message. */
export interface RenderContext {
  /** Sent by the current user. */
  readonly own: boolean;
  /** The current user's clientId. */
  readonly clientId: string;
  /** The language in effect (`en`, `zh-CN`). */
  readonly lang: string;
  /** Localized strings of the widget. */
  readonly t: Localizer['t'];
  /** Shows an image in the widget's lightbox. */
  openImage(src: string, alt: string): void;
}

/** What a renderer returns: a Lit template, or text (always rendered as text). */
export type RenderResult = TemplateResult | string | number | typeof nothing | null | undefined;

/** Renders one message's content (the bubble's inside). */
export type MessageRenderer = (message: ChatMessage, context: RenderContext) => RenderResult;

/** Names for the built-in message types; `fallback` renders types nobody registered. */
export type RendererName = 'text' | 'image' | 'audio' | 'video' | 'location' | 'file' | 'recalled' | 'fallback';
