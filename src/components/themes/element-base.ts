/**
 * Where every `lc-*` element's shadow styles start: the theme's font and
 * text color, border-box sizing, controls that take the font, a visible
 * focus ring, and `hidden` that hides. Comes after `tokens` and before the
 * element's own rules, which may override any of it.
 */
import { css } from 'lit';

export const elementBase = css`
  :host {
    display: block;
    font-family: var(--_font);
    font-size: var(--_font-size);
    color: var(--_text);
    -webkit-font-smoothing: antialiased;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button,
  input,
  select {
    font: inherit;
    color: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
