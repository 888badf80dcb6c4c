/**
 * Design tokens. Every public token is a `--lc-*` custom property a page may
 * set on the element or any ancestor; the theme (`light`, `dark`, `auto`)
 * only supplies the fallbacks (`--_d-*`), so a page's value always wins.
 */
import { css } from 'lit';

// A css`…` result, nested twice below: the build minifies css`…` templates.
const dark = css`
  --_d-bg: #111318;
  --_d-surface: #181b21;
  --_d-surface-2: #20242c;
  --_d-text: #e7e9ee;
  --_d-muted: #959cab;
  --_d-border: #2a2f38;
  --_d-accent: #8b93ff;
  --_d-accent-contrast: #0d0f1a;
  --_d-own-bg: #5b5bd6;
  --_d-own-color: #ffffff;
  --_d-other-bg: #242832;
  --_d-other-color: #e7e9ee;
  --_d-danger: #ff7a7a;
  --_d-notice-bg: #3a2e12;
  --_d-notice-color: #f8d48a;
  --_d-shadow: 0 1px 2px rgb(0 0 0 / 0.3), 0 12px 32px rgb(0 0 0 / 0.35);
  color-scheme: dark;
`;

export const tokens = css`
  :host {
    --_d-bg: #ffffff;
    --_d-surface: #f6f7f9;
    --_d-surface-2: #eef0f4;
    --_d-text: #111827;
    --_d-muted: #6b7280;
    --_d-border: #e6e8ec;
    --_d-accent: #4f46e5;
    --_d-accent-contrast: #ffffff;
    --_d-own-bg: #4f46e5;
    --_d-own-color: #ffffff;
    --_d-other-bg: #f0f2f5;
    --_d-other-color: #111827;
    --_d-danger: #d92d20;
    --_d-notice-bg: #fff6e0;
    --_d-notice-color: #7a4a00;
    --_d-shadow: 0 1px 2px rgb(16 24 40 / 0.05), 0 12px 32px rgb(16 24 40 / 0.08);
    color-scheme: light;
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${dark}
    }
  }
  :host {
    --_bg: var(--lc-color-bg, var(--_d-bg));
    --_surface: var(--lc-color-surface, var(--_d-surface));
    --_surface-2: var(--lc-color-surface-2, var(--_d-surface-2));
    --_text: var(--lc-color-text, var(--_d-text));
    --_muted: var(--lc-color-muted, var(--_d-muted));
    --_border: var(--lc-color-border, var(--_d-border));
    --_accent: var(--lc-color-accent, var(--_d-accent));
    --_accent-contrast: var(--lc-color-accent-contrast, var(--_d-accent-contrast));
    --_own-bg: var(--lc-bubble-own-bg, var(--_d-own-bg));
    --_own-color: var(--lc-bubble-own-color, var(--_d-own-color));
    --_other-bg: var(--lc-bubble-other-bg, var(--_d-other-bg));
    --_other-color: var(--lc-bubble-other-color, var(--_d-other-color));
    --_danger: var(--lc-color-danger, var(--_d-danger));
    --_notice-bg: var(--lc-color-notice-bg, var(--_d-notice-bg));
    --_notice-color: var(--lc-color-notice, var(--_d-notice-color));
    --_radius: var(--lc-radius, 16px);
    --_bubble-radius: var(--lc-bubble-radius, 18px);
    --_font: var(--lc-font-family, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif);
    --_font-size: var(--lc-font-size, 15px);
    --_space: var(--lc-spacing, 12px);
    --_shadow: var(--lc-shadow, var(--_d-shadow));
  }
`;
