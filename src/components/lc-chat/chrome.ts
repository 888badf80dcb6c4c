/**
 * The frame around the message list: header (title, connection or typing),
 * connection banner, composer, typing bubble. Pure templates; the element
 * passes in what they show and what their buttons do.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { SetupError } from '../client/setup-error.js';
import type { WidgetConnectionState } from '../client/shared-client.js';
import type { Localizer } from '../i18n/localize.js';
import { formatTimeSeconds } from '../util/format.js';
import { attachIcon, sendIcon } from './icons.js';
import { renderAvatar } from './message-list.js';

export interface HeaderView {
  title: string;
  /** Whose color the avatar takes: the other person in a one-to-one conversation. */
  avatarId: string;
  state: WidgetConnectionState;
  /** Offline while the browser's network is up: the server is what cannot be reached. */
  serverUnreachable?: boolean;
  /** Display names of those typing. */
  typing: readonly string[];
  localizer: Localizer;
  /** Avatar image URLs by clientId. */
  avatars?: Record<string, string> | undefined;
}

export function renderHeader({ title, avatarId, state, serverUnreachable, typing, localizer: { t }, avatars }: HeaderView): TemplateResult {
  const subtitle =
    typing.length === 1
      ? html`<p class="subtitle typing">${t('typing.one', { name: typing[0]! })}</p>`
      : typing.length > 1
        ? html`<p class="subtitle typing">${t('typing.many', { count: typing.length })}</p>`
        : html`<p class="subtitle"><span class="dot" data-state=${state}></span>${state === 'offline' && serverUnreachable ? t('state.unreachable') : t(`state.${state}`)}</p>`;
  return html`<header part="header">
    ${renderAvatar(avatarId, title, false, avatars?.[avatarId])}
    <div class="heading">
      <h2 class="title">${title}</h2>
      ${subtitle}
    </div>
    <slot name="header-actions"></slot>
  </header>`;
}

export interface BannerView {
  state: WidgetConnectionState;
  /** The host cancelled lc-conflict and shows its own UI. */
  conflictHandled: boolean;
  /** Why signing in failed, when it did. */
  errorDetail: string | undefined;
  /** The page set the widget up wrongly: said instead of any state, without Retry (it cannot help). */
  setupError?: SetupError | undefined;
  /** Offline while the browser's network is up: the server is what cannot be reached. */
  serverUnreachable?: boolean;
  /** When the next attempt to connect is due (ms), if one is scheduled. */
  nextAttemptAt?: number | undefined;
  localizer: Localizer;
  retry(): void;
}

/** What a visitor (and the developer) is told about a setup mistake. */
export function setupMessage(error: SetupError, { t }: Pick<Localizer, 't'>): string {
  const attribute = error.attribute;
  switch (error.problem) {
    case 'missing':
      return t('setup.missing', { attribute });
    case 'unknown-app':
      return t('setup.unknownApp');
    case 'invalid-client-id':
      return t('setup.invalidClientId');
    case 'signature-endpoint':
      return t('setup.signatureEndpoint');
    case 'signature-refused':
      return t('setup.signatureRefused');
    case 'signature-required':
      return t('setup.signatureRequired');
    case 'origin':
      return t('setup.origin');
  }
}

/** The connection's state when it is not simply online; every one of them says what to do. */
export function renderBanner({ state, conflictHandled, errorDetail, setupError, serverUnreachable, nextAttemptAt, localizer, retry }: BannerView): TemplateResult | typeof nothing {
  const { t } = localizer;
  const banner = (text: string, action?: string) =>
    html`<div class="banner" part="banner" role="status">
      <p>${text}</p>
      ${action ? html`<button type="button" @click=${retry}>${action}</button>` : nothing}
    </div>`;
  if (setupError) {
    return html`<div class="banner" part="banner" role="alert" data-setup=${setupError.problem}><p>${setupMessage(setupError, localizer)}</p></div>`;
  }
  switch (state) {
    case 'offline':
      if (!serverUnreachable) return banner(t('banner.offline'), t('action.retry'));
      return banner(
        nextAttemptAt !== undefined ? t('banner.unreachable', { time: formatTimeSeconds(nextAttemptAt, localizer.lang) }) : t('banner.unreachableRetrying'),
        t('action.retry'),
      );
    case 'reconnecting':
      return banner(t('banner.reconnecting'));
    case 'conflict':
      return conflictHandled ? nothing : banner(t('banner.conflict'), t('action.reconnect'));
    case 'closed':
      return banner(t('banner.closed'), t('action.signIn'));
    case 'error':
      return banner(errorDetail ? `${t('banner.error')} (${errorDetail})` : t('banner.error'), t('action.retry'));
    default:
      return nothing;
  }
}

export interface ComposerView {
  readOnly: boolean;
  placeholder: string | undefined;
  canSend: boolean;
  /** The user is muted in the conversation: the composer is disabled and says so. */
  muted: boolean;
  /** Attachments: shown when the client can upload, enabled when it can now. */
  attach: 'hidden' | 'disabled' | 'enabled';
  localizer: Localizer;
  submit(event: Event): void;
  input(event: Event): void;
  keydown(event: KeyboardEvent): void;
  filesChosen(event: Event): void;
}

export function renderComposer(view: ComposerView): TemplateResult {
  const { t } = view.localizer;
  if (view.readOnly) return html`<div class="readonly-note">${t('composer.readonly')}</div>`;
  const pick = (event: Event) => ((event.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement | null)?.click();
  const form = html`<form class="composer" part="composer" @submit=${view.submit}>
    ${view.attach === 'hidden'
      ? nothing
      : html`<button
            class="attach"
            part="attach-button"
            type="button"
            aria-label=${t('composer.attach')}
            title=${t('composer.attach')}
            ?disabled=${view.attach === 'disabled'}
            @click=${pick}
          >
            ${attachIcon}</button
          ><input type="file" hidden multiple @change=${view.filesChosen} />`}
    <div class="field">
      <textarea
        part="input"
        rows="1"
        enterkeyhint="send"
        aria-label=${t('composer.label')}
        aria-description=${t('composer.hint')}
        placeholder=${view.placeholder ?? t('composer.placeholder')}
        ?disabled=${view.muted}
        @input=${view.input}
        @keydown=${view.keydown}
      ></textarea>
    </div>
    <button class="send" part="send-button" type="submit" aria-label=${t('composer.send')} title=${t('composer.send')} ?disabled=${!view.canSend}>
      ${sendIcon}
    </button>
  </form>`;
  if (!view.muted) return form;
  return html`<div class="composer-note" part="composer-note" role="status">${t('composer.muted')}</div>${form}`;
}

/** Someone typing, as a bubble of dots where their next message will appear (not announced: the header says it). */
export function renderTypingBubble(clientId: string | undefined, name: string): TemplateResult | typeof nothing {
  if (!clientId) return nothing;
  return html`<div class="row other first typing-row" aria-hidden="true">
    <div class="avatar-slot">${renderAvatar(clientId, name, true)}</div>
    <div class="stack"><div class="bubble"><span class="dots"><span></span><span></span><span></span></span></div></div>
  </div>`;
}
