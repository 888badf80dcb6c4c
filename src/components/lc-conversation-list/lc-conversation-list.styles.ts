import { css } from 'lit';
import { indicators } from '../themes/indicators.js';
import { elementBase } from '../themes/element-base.js';
import { tokens } from '../themes/tokens.js';

export const styles = [
  tokens,
  elementBase,
  indicators,
  css`
    :host {
      block-size: 560px;
      min-block-size: 240px;
      line-height: 1.4;
    }
    .frame {
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
      gap: 8px;
      padding: calc(var(--_space) * 0.9) calc(var(--_space) * 1.1) calc(var(--_space) * 0.5);
      min-block-size: 56px;
    }
    .heading {
      flex: 1;
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0;
      font-size: 1.15em;
      font-weight: 700;
      letter-spacing: -0.01em;
      min-inline-size: 0;
    }
    .total {
      display: inline-grid;
      place-items: center;
      min-inline-size: 22px;
      block-size: 22px;
      padding-inline: 7px;
      border-radius: 11px;
      background: var(--_accent);
      color: var(--_accent-contrast);
      font-size: 12px;
      font-weight: 700;
    }
    .icon-button {
      flex: none;
      display: grid;
      place-items: center;
      inline-size: 34px;
      block-size: 34px;
      border: 0;
      border-radius: 10px;
      background: var(--_surface);
      color: var(--_text);
      cursor: pointer;
    }
    .icon-button:hover {
      background: var(--_surface-2);
    }
    .icon-button svg {
      inline-size: 18px;
      block-size: 18px;
    }
    .filter {
      position: relative;
      margin: 0 calc(var(--_space) * 1.1) calc(var(--_space) * 0.6);
    }
    .filter svg {
      position: absolute;
      inset-inline-start: 10px;
      inset-block-start: 50%;
      translate: 0 -50%;
      inline-size: 16px;
      block-size: 16px;
      color: var(--_muted);
      pointer-events: none;
    }
    .filter input {
      inline-size: 100%;
      block-size: 36px;
      padding-inline: 34px 10px;
      border: 1px solid transparent;
      border-radius: 10px;
      background: var(--_surface);
      outline: none;
    }
    .filter input:focus {
      border-color: var(--_accent);
      background: var(--_bg);
    }
    .filter input::placeholder {
      color: var(--_muted);
    }
    .scroll {
      flex: 1;
      min-block-size: 0;
      overflow-y: auto;
      overscroll-behavior: contain;
      scrollbar-width: thin;
      scrollbar-color: var(--_border) transparent;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0 calc(var(--_space) * 0.5) calc(var(--_space) * 0.5);
    }
    .item {
      display: flex;
      align-items: center;
      gap: calc(var(--_space) * 0.85);
      padding: calc(var(--_space) * 0.7) calc(var(--_space) * 0.6);
      border-radius: 12px;
      cursor: pointer;
      user-select: none;
    }
    .item:hover {
      background: var(--_surface);
    }
    .item.selected {
      background: color-mix(in srgb, var(--_accent) 12%, var(--_bg));
    }
    .item:focus-visible {
      outline-offset: -2px;
    }
    .avatar {
      flex: none;
      display: grid;
      place-items: center;
      inline-size: 42px;
      block-size: 42px;
      border-radius: 50%;
      font-weight: 600;
      font-size: 15px;
      color: #fff;
      background: var(--_avatar, var(--_accent));
    }
    .main {
      flex: 1;
      min-inline-size: 0;
      display: grid;
      gap: 2px;
    }
    .line {
      display: flex;
      align-items: baseline;
      gap: 8px;
      min-inline-size: 0;
    }
    .name {
      flex: 1;
      min-inline-size: 0;
      font-weight: 600;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .time {
      flex: none;
      font-size: 0.78em;
      color: var(--_muted);
      font-variant-numeric: tabular-nums;
    }
    .preview {
      flex: 1;
      min-inline-size: 0;
      font-size: 0.88em;
      color: var(--_muted);
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .item.unread .preview {
      color: var(--_text);
    }
    .item.unread .time {
      color: var(--_accent);
      font-weight: 600;
    }
    .badge {
      flex: none;
      align-self: center;
      display: grid;
      place-items: center;
      min-inline-size: 20px;
      block-size: 20px;
      padding-inline: 6px;
      border-radius: 10px;
      background: var(--_accent);
      color: var(--_accent-contrast);
      font-size: 11.5px;
      font-weight: 700;
      font-variant-numeric: tabular-nums;
    }
    .empty {
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: 6px;
      block-size: 100%;
      min-block-size: 180px;
      padding: calc(var(--_space) * 2);
      text-align: center;
      color: var(--_muted);
      font-size: 0.92em;
    }
    .empty strong {
      color: var(--_text);
      font-weight: 600;
    }
    .empty svg {
      inline-size: 36px;
      block-size: 36px;
      color: var(--_muted);
      opacity: 0.7;
    }
    .more {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 8px;
      min-block-size: 44px;
      padding: calc(var(--_space) * 0.5);
      font-size: 0.85em;
      color: var(--_muted);
    }
    .link-button {
      border: 0;
      background: none;
      padding: 2px 4px;
      font-weight: 600;
      color: var(--_accent);
      text-decoration: underline;
      cursor: pointer;
    }
    .spinner {
      inline-size: 16px;
      block-size: 16px;
    }
  `,
];
