import { css } from 'lit';
import { elementBase } from '../themes/element-base.js';
import { tokens } from '../themes/tokens.js';

export const styles = [
  tokens,
  elementBase,
  css`
    :host {
      line-height: 1.4;
    }
    .room {
      display: flex;
      flex-direction: column;
      block-size: 100%;
      background: var(--_bg);
      border-radius: var(--_radius);
      box-shadow: var(--_shadow);
      overflow: hidden;
    }
    header {
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 10px 16px;
      border-block-end: 1px solid var(--_border);
      min-block-size: 52px;
    }
    .title {
      margin: 0;
      font-size: 1em;
      font-weight: 650;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .live-dot {
      flex: none;
      inline-size: 8px;
      block-size: 8px;
      border-radius: 50%;
      background: var(--_muted);
    }
    .live-dot[data-state='online'] {
      background: #ef4444;
      box-shadow: 0 0 0 3px rgb(239 68 68 / 0.25);
    }
    .online {
      flex: 1;
      font-size: 0.85em;
      color: var(--_muted);
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .body {
      flex: 1;
      min-block-size: 0;
      display: flex;
    }
    .stage {
      position: relative;
      flex: 1;
      min-inline-size: 0;
      background: #000;
      overflow: hidden;
      contain: layout paint;
    }
    ::slotted(video),
    ::slotted(canvas),
    ::slotted(img) {
      display: block;
      inline-size: 100%;
      block-size: 100%;
      object-fit: contain;
    }
    .hidden-count {
      position: absolute;
      inset-block-end: 6px;
      inset-inline-start: 6px;
      z-index: 1;
      padding: 1px 7px;
      border-radius: 9px;
      background: rgb(0 0 0 / 0.6);
      color: #fff;
      font-size: 11px;
      pointer-events: none;
    }
    .overlay {
      position: absolute;
      inset: 0;
      overflow: hidden;
      pointer-events: none;
      contain: strict;
    }
    .danmaku {
      position: absolute;
      inset-inline-start: 0;
      inset-block-start: 0;
      white-space: pre;
      pointer-events: auto;
      cursor: default;
      will-change: transform;
      font-size: var(--lc-danmaku-font-size, 22px);
      line-height: 1.5;
      /* Exactly one lane high, whatever fallback fonts (emoji, CJK) the text needs. */
      block-size: 1.5em;
      font-weight: 700;
      color: var(--lc-danmaku-color, #fff);
      opacity: var(--lc-danmaku-opacity, 1);
      text-shadow:
        0 0 2px rgb(0 0 0 / 0.9),
        0 1px 3px rgb(0 0 0 / 0.7);
      padding-inline: 6px;
      border-radius: 8px;
      user-select: none;
    }
    .danmaku.own {
      outline: 2px solid var(--_accent);
      outline-offset: -2px;
    }
    .danmaku.normal {
      color: #ffe58a;
    }
    .danmaku.high {
      color: #fff;
      background: linear-gradient(90deg, rgb(236 72 153 / 0.85), rgb(99 102 241 / 0.85));
      text-shadow: none;
    }
    .danmaku.hovered {
      background: rgb(0 0 0 / 0.55);
      z-index: 1;
    }
    .side {
      flex: none;
      inline-size: min(300px, 38%);
      border-inline-start: 1px solid var(--_border);
      display: flex;
      flex-direction: column;
      min-block-size: 0;
    }
    .side-list {
      flex: 1;
      margin: 0;
      padding: 10px 12px;
      overflow-y: auto;
      scrollbar-width: thin;
      scrollbar-color: var(--_border) transparent;
      font-size: 0.9em;
    }
    .side-list .entry {
      margin: 0;
      display: grid;
      grid-template-columns: auto 1fr;
      column-gap: 8px;
      padding: 5px 0;
    }
    .side-list .avatar {
      grid-row: span 2;
      display: grid;
      place-items: center;
      inline-size: 26px;
      block-size: 26px;
      border-radius: 50%;
      font-size: 11px;
      font-weight: 600;
      color: #fff;
      background: var(--_avatar, var(--_accent));
    }
    .who {
      font-size: 0.82em;
      color: var(--_muted);
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .what {
      overflow-wrap: anywhere;
    }
    .side-list .entry.own .who {
      color: var(--_accent);
    }
    .composer {
      display: flex;
      gap: 8px;
      padding: 10px 12px;
      border-block-start: 1px solid var(--_border);
      align-items: center;
    }
    .composer select {
      flex: none;
      block-size: 38px;
      padding-inline: 8px;
      border: 1px solid var(--_border);
      border-radius: 10px;
      background: var(--_surface);
    }
    .composer input {
      flex: 1;
      min-inline-size: 0;
      block-size: 38px;
      padding-inline: 12px;
      border: 1px solid var(--_border);
      border-radius: 10px;
      background: var(--_surface);
      outline: none;
    }
    .composer input:focus {
      border-color: var(--_accent);
    }
    .composer button {
      flex: none;
      display: grid;
      place-items: center;
      inline-size: 38px;
      block-size: 38px;
      border: 0;
      border-radius: 10px;
      background: var(--_accent);
      color: var(--_accent-contrast);
      cursor: pointer;
    }
    .composer button:disabled,
    .composer input:disabled {
      opacity: 0.5;
      cursor: not-allowed;
    }
    .composer button svg {
      inline-size: 18px;
      block-size: 18px;
    }
    @media (max-width: 640px) {
      .body {
        flex-direction: column;
      }
      .side {
        inline-size: auto;
        block-size: 35%;
        border-inline-start: 0;
        border-block-start: 1px solid var(--_border);
      }
      .composer select:nth-of-type(2) {
        display: none;
      }
    }
  `,
];
