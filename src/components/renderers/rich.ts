/**
 * The rich built-in renderers: image, audio, video, location, file. Loaded
 * on demand, the first time an element is to show such a message
 * (`richRenderersReady` in `registry.ts`; `<lc-chat>` waits for it before
 * it renders, so such a message never shows as "can't be shown" first).
 * Every value from a message goes through a Lit binding (escaped) and every
 * URL through `safeUrl`.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import { isRecord, type ChatMessage } from '../model/chat-message.js';
import { formatBytes, formatDuration } from '../util/format.js';
import { caption, renderFallback } from './builtin.js';
import { safeUrl } from './safe-url.js';
import type { RenderContext } from './types.js';

/** The `_lcfile` of a rich message, with its metadata, checked field by field. */
export interface FileInfo {
  url: string | undefined;
  name: string | undefined;
  size: number | undefined;
  width: number | undefined;
  height: number | undefined;
  duration: number | undefined;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export function fileOf(message: ChatMessage): FileInfo {
  const payload = isRecord(message.payload) ? message.payload : {};
  const file = isRecord(payload._lcfile) ? payload._lcfile : {};
  const meta = isRecord(file.metaData) ? file.metaData : {};
  const name = [meta.name, file.name].find((value): value is string => typeof value === 'string' && value !== '');
  return {
    url: safeUrl(file.url),
    name,
    size: positive(meta.size),
    width: positive(meta.width),
    height: positive(meta.height),
    duration: positive(meta.duration),
  };
}

/** Fits an image's box into `max` × `max`, keeping its proportions. */
function fit(width: number | undefined, height: number | undefined, max: number): { width: number; height: number } | undefined {
  if (!width || !height) return undefined;
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

export function renderImage(message: ChatMessage, context: RenderContext): TemplateResult {
  const file = fileOf(message);
  if (!file.url) return renderFallback(message, context);
  const alt = file.name ?? context.t('image.label');
  const box = fit(file.width, file.height, 240);
  const src = file.url;
  return html`<button
      type="button"
      class="media image"
      part="image"
      aria-label=${alt}
      @click=${() => context.openImage(src, alt)}
      style=${box ? `inline-size:${box.width}px;aspect-ratio:${box.width}/${box.height}` : nothing}
    >
      <img src=${src} alt=${alt} loading="lazy" decoding="async" width=${box?.width ?? nothing} height=${box?.height ?? nothing} />
    </button>
    ${caption(message)}`;
}

export function renderAudio(message: ChatMessage, context: RenderContext): TemplateResult {
  const file = fileOf(message);
  if (!file.url) return renderFallback(message, context);
  return html`<audio class="media audio" controls preload="none" src=${file.url}></audio>
    ${file.duration ? html`<span class="meta">${formatDuration(file.duration)}</span>` : nothing} ${caption(message)}`;
}

export function renderVideo(message: ChatMessage, context: RenderContext): TemplateResult {
  const file = fileOf(message);
  if (!file.url) return renderFallback(message, context);
  const box = fit(file.width, file.height, 280);
  return html`<video
      class="media video"
      controls
      preload="metadata"
      playsinline
      src=${file.url}
      width=${box?.width ?? nothing}
      height=${box?.height ?? nothing}
    ></video>
    ${caption(message)}`;
}

const fileIcon = svg`<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/><path d="M14 3v5h5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/>`;
const pinIcon = svg`<path d="M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z" fill="none" stroke="currentColor" stroke-width="1.8"/><circle cx="12" cy="9.5" r="2.5" fill="none" stroke="currentColor" stroke-width="1.8"/>`;

export function renderFile(message: ChatMessage, context: RenderContext): TemplateResult {
  const file = fileOf(message);
  const name = file.name ?? context.t('file.download');
  const size = file.size !== undefined ? formatBytes(file.size, context.lang) : '';
  const body = html`<svg class="file-icon" viewBox="0 0 24 24" aria-hidden="true">${fileIcon}</svg>
    <span class="file-text"><span class="file-name">${name}</span>${size ? html`<span class="meta">${size}</span>` : nothing}</span>`;
  return html`${file.url
      ? html`<a class="file" part="file" href=${file.url} download=${name} target="_blank" rel="noopener noreferrer">${body}</a>`
      : html`<span class="file" part="file">${body}</span>`}
    ${caption(message)}`;
}

export function renderLocation(message: ChatMessage, context: RenderContext): TemplateResult {
  const payload = isRecord(message.payload) ? message.payload : {};
  const location = isRecord(payload._lcloc) ? payload._lcloc : {};
  const { latitude, longitude } = location;
  if (typeof latitude !== 'number' || typeof longitude !== 'number' || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
    return renderFallback(message, context);
  }
  const coordinates = `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
  const map = `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`;
  return html`<a class="location" part="location" href=${map} target="_blank" rel="noopener noreferrer" aria-label=${`${context.t('location.open')}: ${coordinates}`}>
      <svg class="file-icon" viewBox="0 0 24 24" aria-hidden="true">${pinIcon}</svg>
      <span class="file-text"><span class="file-name">${context.t('location.label')}</span><span class="meta">${coordinates}</span></span>
    </a>
    ${caption(message)}`;
}
