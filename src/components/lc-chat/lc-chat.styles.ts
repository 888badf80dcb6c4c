import { css } from 'lit';
import { avatar } from '../themes/avatar.js';
import { indicators } from '../themes/indicators.js';
import { elementBase } from '../themes/element-base.js';
import { tokens } from '../themes/tokens.js';

export const styles = [
  tokens,
  elementBase,
  indicators,
  avatar,
  css`
    :host {
      block-size: 560px;
      min-block-size: 320px;
      line-height: 1.45;
    }

    .chat {
      display: flex;
      flex-direction: column;
      block-size: 100%;
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      box-shadow: var(--_shadow);
      overflow: hidden;
      position: relative;
    }

    /* Header */
    header {
      display: flex;
      align-items: center;
      gap: calc(var(--_space) * 0.83);
      padding: calc(var(--_space) * 0.9) calc(var(--_space) * 1.25);
      border-block-end: 1px solid var(--_border);
      background: var(--_bg);
      min-block-size: 60px;
    }
    .heading {
      min-inline-size: 0;
      flex: 1;
    }
    .title {
      margin: 0;
      font-size: 1em;
      font-weight: 650;
      letter-spacing: -0.005em;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .subtitle {
      margin: 0;
      display: flex;
      align-items: center;
      gap: 6px;
      font-size: 0.82em;
      color: var(--_muted);
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .subtitle.typing {
      color: var(--_accent);
    }

    /* Banner */
    .banner {
      display: flex;
      align-items: center;
      gap: var(--_space);
      padding: calc(var(--_space) * 0.6) calc(var(--_space) * 1.25);
      background: var(--_notice-bg);
      color: var(--_notice-color);
      font-size: 0.86em;
      border-block-end: 1px solid var(--_border);
    }
    .banner p {
      margin: 0;
      flex: 1;
    }
    .banner button,
    .link-button {
      flex: none;
      border: 0;
      background: none;
      padding: 2px 4px;
      font-weight: 600;
      color: inherit;
      text-decoration: underline;
      text-underline-offset: 2px;
      cursor: pointer;
      border-radius: 4px;
    }

    /* Message list */
    .body {
      position: relative;
      flex: 1;
      min-block-size: 0;
      display: flex;
      flex-direction: column;
    }
    .list {
      flex: 1;
      overflow-y: auto;
      overflow-anchor: none;
      overscroll-behavior: contain;
      padding: var(--_space) calc(var(--_space) * 1.1) calc(var(--_space) * 0.8);
      scrollbar-width: thin;
      scrollbar-color: var(--_border) transparent;
    }
    .list:focus-visible {
      outline-offset: -2px;
    }
    .status-row {
      display: flex;
      justify-content: center;
      align-items: center;
      gap: 8px;
      padding: var(--_space) 0;
      font-size: 0.8em;
      color: var(--_muted);
      text-align: center;
    }
    .status-row.older {
      min-block-size: 44px;
    }
    .empty {
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: 6px;
      block-size: 100%;
      min-block-size: 160px;
      color: var(--_muted);
      text-align: center;
      padding: var(--_space);
    }
    .empty strong {
      color: var(--_text);
      font-weight: 600;
    }
    .empty svg {
      inline-size: 44px;
      block-size: 44px;
      color: var(--_accent);
      opacity: 0.85;
      margin-block-end: 4px;
    }
    .day,
    .unread {
      display: flex;
      align-items: center;
      gap: 10px;
      margin: calc(var(--_space) * 1.1) 0 calc(var(--_space) * 0.6);
      font-size: 0.75em;
      font-weight: 600;
      color: var(--_muted);
    }
    .day::before,
    .day::after,
    .unread::before,
    .unread::after {
      content: '';
      flex: 1;
      block-size: 1px;
      background: var(--_border);
    }
    .unread {
      color: var(--_accent);
    }
    .unread::before,
    .unread::after {
      background: var(--_accent);
      opacity: 0.5;
    }

    .row {
      display: flex;
      align-items: flex-end;
      gap: 8px;
      margin-block-start: 2px;
      border-radius: 12px;
    }
    .row.first {
      margin-block-start: calc(var(--_space) * 0.75);
    }
    .row.own {
      flex-direction: row-reverse;
    }
    .row:focus-visible {
      outline-offset: 2px;
    }
    .row .avatar-slot {
      flex: none;
      inline-size: 28px;
      align-self: flex-start;
    }
    .stack {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      max-inline-size: min(78%, 520px);
      min-inline-size: 0;
    }
    .own .stack {
      align-items: flex-end;
    }
    .sender {
      font-size: 0.78em;
      font-weight: 600;
      color: var(--_muted);
      margin: 0 0 3px calc(var(--_space) * 0.75);
      margin-inline-start: calc(var(--_space) * 0.75);
    }
    .bubble {
      position: relative;
      padding: 8px 12px;
      border-radius: var(--_bubble-radius);
      background: var(--_other-bg);
      color: var(--_other-color);
      overflow-wrap: anywhere;
      min-inline-size: 0;
      max-inline-size: 100%;
    }
    .other.grouped-next .bubble {
      border-end-start-radius: 6px;
    }
    .other.grouped-prev .bubble {
      border-start-start-radius: 6px;
    }
    .own .bubble {
      background: var(--_own-bg);
      color: var(--_own-color);
    }
    .own.grouped-next .bubble {
      border-end-end-radius: 6px;
    }
    .own.grouped-prev .bubble {
      border-start-end-radius: 6px;
    }
    .own.pending .bubble {
      opacity: 0.72;
    }
    .own.failed .bubble {
      background: transparent;
      color: var(--_text);
      box-shadow: inset 0 0 0 1.5px var(--_danger);
    }
    .bubble.media-only {
      padding: 3px;
    }
    .text {
      white-space: pre-wrap;
    }
    .bubble a {
      color: inherit;
      text-decoration: underline;
      text-underline-offset: 2px;
    }
    .notice {
      font-style: italic;
      opacity: 0.8;
    }
    .meta-line {
      display: flex;
      align-items: center;
      gap: 4px;
      margin: 3px 6px 0;
      font-size: 0.72em;
      color: var(--_muted);
      white-space: nowrap;
    }
    .meta-line svg {
      inline-size: 15px;
      block-size: 15px;
    }
    /* Sent and delivered ticks stay muted; read ones take the accent and a word. */
    .meta-line[data-status='read'] {
      color: var(--_accent);
    }
    .meta-line[data-status='read'] time {
      color: var(--_muted);
    }
    .meta-line[data-status='read'] svg {
      stroke-width: 2.6;
    }
    .status-label {
      font-weight: 600;
    }
    .meta-line.failed {
      color: var(--_danger);
      font-weight: 600;
    }
    .meta-line .link-button {
      padding: 0 2px;
      font-size: inherit;
    }
    .media {
      display: block;
      border: 0;
      padding: 0;
      border-radius: calc(var(--_bubble-radius) - 4px);
      overflow: hidden;
      max-inline-size: 100%;
      background: var(--_surface-2);
    }
    button.media {
      cursor: zoom-in;
    }
    .media img {
      display: block;
      inline-size: 100%;
      block-size: 100%;
      max-inline-size: 240px;
      object-fit: cover;
    }
    .audio {
      inline-size: 240px;
      max-inline-size: 100%;
      background: transparent;
    }
    .video {
      max-inline-size: 280px;
    }
    .file,
    .location {
      display: flex;
      align-items: center;
      gap: 10px;
      min-inline-size: 180px;
      max-inline-size: 280px;
      padding: 4px 2px;
      color: inherit;
      text-decoration: none !important;
    }
    .file-icon {
      flex: none;
      inline-size: 32px;
      block-size: 32px;
      padding: 6px;
      border-radius: 10px;
      background: color-mix(in srgb, currentColor 12%, transparent);
    }
    .file-text {
      display: flex;
      flex-direction: column;
      min-inline-size: 0;
    }
    .file-name {
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .meta {
      font-size: 0.8em;
      opacity: 0.75;
    }

    /* Floating buttons over the list */
    .pill {
      position: absolute;
      inset-inline: 0;
      margin-inline: auto;
      inline-size: max-content;
      display: flex;
      align-items: center;
      gap: 6px;
      border: 0;
      border-radius: 999px;
      padding: 6px 14px;
      font-size: 0.82em;
      font-weight: 600;
      background: var(--_accent);
      color: var(--_accent-contrast);
      box-shadow: 0 4px 14px rgb(0 0 0 / 0.18);
      cursor: pointer;
      z-index: 1;
    }
    .pill.new {
      inset-block-end: 12px;
    }
    .pill.jump {
      inset-block-start: 10px;
      background: var(--_bg);
      color: var(--_accent);
      box-shadow: 0 2px 10px rgb(0 0 0 / 0.12), inset 0 0 0 1px var(--_border);
    }
    .pill svg {
      inline-size: 14px;
      block-size: 14px;
    }

    /* Typing indicator: a bubble of dots at the end of the list */
    .typing-row .bubble {
      display: flex;
      align-items: center;
      padding: 12px 14px;
    }
    .dots {
      display: inline-flex;
      gap: 4px;
    }
    .dots span {
      inline-size: 6px;
      block-size: 6px;
      border-radius: 50%;
      background: currentColor;
      opacity: 0.6;
      animation: blink 1.2s infinite ease-in-out;
    }
    .dots span:nth-child(2) {
      animation-delay: 0.15s;
    }
    .dots span:nth-child(3) {
      animation-delay: 0.3s;
    }
    @keyframes blink {
      0%,
      80%,
      100% {
        opacity: 0.25;
      }
      40% {
        opacity: 0.9;
      }
    }

    /* Composer */
    .composer {
      position: relative;
      display: flex;
      align-items: flex-end;
      gap: 8px;
      padding: calc(var(--_space) * 0.5) calc(var(--_space) * 0.9) calc(var(--_space) * 0.9);
      background: var(--_bg);
    }
    .field {
      flex: 1;
      display: flex;
      min-inline-size: 0;
      border-radius: 22px;
      background: var(--_surface);
      border: 1px solid var(--_border);
      transition: border-color 0.15s, box-shadow 0.15s;
    }
    .field:focus-within {
      border-color: var(--_accent);
      box-shadow: 0 0 0 3px color-mix(in srgb, var(--_accent) 18%, transparent);
    }
    textarea {
      flex: 1;
      resize: none;
      border: 0;
      outline: 0;
      background: transparent;
      color: var(--_text);
      font: inherit;
      line-height: 1.4;
      padding: 10px 16px;
      min-block-size: 42px;
      max-block-size: 160px;
      field-sizing: content;
    }
    textarea:focus-visible {
      /* The field around it shows focus. */
      outline: none;
    }
    textarea::placeholder {
      color: var(--_muted);
    }
    .send {
      flex: none;
      display: grid;
      place-items: center;
      inline-size: 42px;
      block-size: 42px;
      border: 0;
      border-radius: 50%;
      background: var(--_accent);
      color: var(--_accent-contrast);
      cursor: pointer;
      transition: transform 0.1s, opacity 0.15s;
    }
    .send:disabled {
      opacity: 0.4;
      cursor: default;
    }
    .send:not(:disabled):active {
      transform: scale(0.94);
    }
    .send svg {
      inline-size: 20px;
      block-size: 20px;
    }
    :host(:dir(rtl)) .send svg {
      transform: scaleX(-1);
    }
    .attach {
      flex: none;
      display: grid;
      place-items: center;
      inline-size: 42px;
      block-size: 42px;
      border: 0;
      border-radius: 50%;
      background: transparent;
      color: var(--_muted);
      cursor: pointer;
    }
    .attach:hover:not(:disabled) {
      background: var(--_surface);
      color: var(--_text);
    }
    .attach:disabled {
      opacity: 0.4;
      cursor: default;
    }
    .attach svg {
      inline-size: 21px;
      block-size: 21px;
    }
    .upload-body {
      display: flex;
      flex-direction: column;
      gap: 6px;
      min-inline-size: 200px;
    }
    .upload progress {
      inline-size: 100%;
      block-size: 4px;
      border: 0;
      border-radius: 2px;
      overflow: hidden;
      appearance: none;
      background: color-mix(in srgb, currentColor 25%, transparent);
    }
    .upload progress::-webkit-progress-bar {
      background: transparent;
    }
    .upload progress::-webkit-progress-value {
      background: currentColor;
    }
    .upload-error {
      font-size: 0.85em;
    }
    /* An attachment waiting to upload may wait long: its progress says it is pending, and its text must stay readable. */
    .own.pending.upload .bubble,
    .upload .bubble .meta {
      opacity: 1;
    }
    .composer-note {
      padding: var(--_space) var(--_space) 0;
      text-align: center;
      font-size: 0.85em;
      color: var(--_muted);
      border-block-start: 1px solid var(--_border);
    }

    .removed-note {
      padding: var(--_space);
      text-align: center;
      font-size: 0.9em;
      color: var(--_danger);
      border-block-start: 1px solid var(--_border);
    }

    .readonly-note {
      padding: var(--_space);
      text-align: center;
      font-size: 0.85em;
      color: var(--_muted);
      border-block-start: 1px solid var(--_border);
    }

    /* Lightbox */
    dialog {
      border: 0;
      padding: 0;
      background: transparent;
      max-inline-size: 92vw;
      max-block-size: 92vh;
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.78);
    }
    dialog img {
      display: block;
      max-inline-size: 92vw;
      max-block-size: 86vh;
      border-radius: 8px;
    }
    dialog button {
      position: fixed;
      inset-block-start: 16px;
      inset-inline-end: 16px;
      border: 0;
      border-radius: 999px;
      padding: 6px 14px;
      background: rgb(255 255 255 / 0.15);
      color: #fff;
      cursor: pointer;
    }

    @media (prefers-reduced-motion: reduce) {
      .dots span {
        animation: none;
      }
    }
  `,
];
