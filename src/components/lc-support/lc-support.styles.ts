import { css } from 'lit';
import { avatar } from '../themes/avatar.js';
import { elementBase } from '../themes/element-base.js';
import { tokens } from '../themes/tokens.js';

/** The launcher button, its badge and the panel of `<lc-support>`. */
export const styles = [
  tokens,
  elementBase,
  avatar,
  css`
    :host {
      --_offset: var(--lc-support-offset, 20px);
      position: fixed;
      inset-block-end: var(--_offset);
      inset-inline-end: var(--_offset);
      z-index: var(--_z, 2147483000);
    }
    :host([position='bottom-left']) {
      inset-inline-end: auto;
      inset-inline-start: var(--_offset);
    }
    .launcher {
      position: relative;
      display: grid;
      place-items: center;
      inline-size: 60px;
      block-size: 60px;
      border: 0;
      border-radius: 50%;
      background: var(--_accent);
      color: var(--_accent-contrast);
      box-shadow: 0 6px 20px rgb(16 24 40 / 0.25), 0 2px 6px rgb(16 24 40 / 0.15);
      cursor: pointer;
      transition: transform 0.15s ease;
    }
    .launcher:hover {
      transform: scale(1.05);
    }
    .launcher:focus-visible {
      outline: 3px solid color-mix(in srgb, var(--_accent) 45%, transparent);
      outline-offset: 3px;
    }
    .launcher svg {
      inline-size: 28px;
      block-size: 28px;
    }
    .badge {
      position: absolute;
      inset-block-start: -4px;
      inset-inline-end: -4px;
      min-inline-size: 22px;
      block-size: 22px;
      padding-inline: 6px;
      border-radius: 11px;
      display: grid;
      place-items: center;
      background: #ef4444;
      color: #fff;
      font: 700 12px/1 var(--_font);
      border: 2px solid var(--_bg);
    }
    .greeting {
      position: absolute;
      inset-block-end: 72px;
      inset-inline-end: 0;
      inline-size: max-content;
      max-inline-size: min(260px, calc(100vw - 2 * var(--_offset)));
      padding: 12px 14px;
      border-radius: 14px 14px 4px 14px;
      background: var(--_bg);
      color: var(--_text);
      box-shadow: var(--_shadow);
      border: 1px solid var(--_border);
      font-size: 0.93em;
      line-height: 1.4;
      cursor: pointer;
    }
    :host([position='bottom-left']) .greeting {
      inset-inline-end: auto;
      inset-inline-start: 0;
      border-radius: 14px 14px 14px 4px;
    }
    .panel {
      position: absolute;
      /* Above the launcher: when the hovered launcher gets its own layer, Chromium otherwise cuts a box out of the panel's shadow. */
      z-index: 1;
      inset-block-end: 76px;
      inset-inline-end: 0;
      inline-size: min(var(--lc-support-width, 380px), calc(100vw - 2 * var(--_offset)));
      block-size: min(var(--lc-support-height, 600px), calc(100vh - 96px - var(--_offset)));
      border-radius: var(--_radius);
      box-shadow: 0 12px 48px rgb(16 24 40 / 0.25);
      animation: rise 0.18s ease-out;
    }
    :host([position='bottom-left']) .panel {
      inset-inline-end: auto;
      inset-inline-start: 0;
    }
    .panel lc-chat {
      block-size: 100%;
      min-block-size: 0;
    }
    .close {
      display: grid;
      place-items: center;
      inline-size: 32px;
      block-size: 32px;
      border: 0;
      border-radius: 8px;
      background: none;
      color: inherit;
      cursor: pointer;
    }
    .close:hover {
      background: var(--_surface);
    }
    .close svg {
      inline-size: 18px;
      block-size: 18px;
    }
    /* Before the chat: the panel's own header and the pre-chat form. */
    .intro {
      display: flex;
      flex-direction: column;
      block-size: 100%;
      overflow: auto;
      background: var(--_bg);
      color: var(--_text);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    .intro-header {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: calc(var(--_space) * 0.9) calc(var(--_space) * 1.25);
      border-block-end: 1px solid var(--_border);
      min-block-size: 60px;
    }
    .intro-header h2 {
      flex: 1;
      margin: 0;
      font-size: 1em;
      font-weight: 650;
    }
    .prechat {
      display: flex;
      flex-direction: column;
      gap: 6px;
      padding: calc(var(--_space) * 1.25);
    }
    .prechat-intro {
      margin: 0 0 8px;
      color: var(--_muted);
    }
    .field-label {
      font-weight: 600;
      font-size: 0.9em;
    }
    .prechat input {
      font: inherit;
      color: inherit;
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: 10px;
      padding: 10px 12px;
      margin-block-end: 6px;
    }
    .prechat input:focus-visible,
    .prechat-submit:focus-visible {
      outline: 2px solid var(--_accent);
      outline-offset: 1px;
    }
    .prechat input[aria-invalid='true'] {
      border-color: var(--_danger);
    }
    .field-error {
      margin: -4px 0 6px;
      color: var(--_danger);
      font-size: 0.85em;
    }
    .prechat-submit {
      margin-block-start: 8px;
      font: inherit;
      font-weight: 600;
      border: 0;
      border-radius: 10px;
      padding: 10px 14px;
      background: var(--_accent);
      color: var(--_accent-contrast);
      cursor: pointer;
    }
    /* Outside office hours: in the form's flow, or over the top of the message list. */
    .away {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      margin: var(--_space) calc(var(--_space) * 1.25) 0;
      padding: 10px 12px;
      border-radius: 12px;
      background: var(--_notice-bg);
      color: var(--_notice-color);
      font-size: 0.9em;
      line-height: 1.4;
    }
    .away p {
      flex: 1;
      margin: 0;
    }
    .panel > .away {
      position: absolute;
      inset-block-start: 62px;
      inset-inline: 0;
      box-shadow: var(--_shadow);
    }
    .away .close {
      inline-size: 24px;
      block-size: 24px;
      margin: -2px -4px 0 0;
    }
    @keyframes rise {
      from {
        opacity: 0;
        translate: 0 12px;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .panel {
        animation: none;
      }
      .launcher {
        transition: none;
      }
    }
    @media (max-width: 480px) {
      .panel {
        position: fixed;
        inset: 0;
        inline-size: auto;
        block-size: auto;
        border-radius: 0;
      }
      .panel lc-chat,
      .intro {
        --lc-radius: 0;
        border-radius: 0;
      }
      :host([open]) .launcher {
        display: none;
      }
    }
  `,
];
