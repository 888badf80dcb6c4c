/**
 * The emoji picker: a small built-in grid of common emoji, loaded on its
 * first opening (dynamic import), so pages whose users never open it do not
 * download it. Tab or a click outside closes it. Built in rather than a picker package: it needs no data
 * fetched from a CDN, no IndexedDB of its own, and takes the widget's theme
 * tokens as they are. A grid (`role="grid"`): arrow keys, Home and End move,
 * Enter or a click inserts, Escape closes.
 */
import { html, type TemplateResult } from 'lit';

/** Ten rows of eight: faces, then gestures, hearts and things. */
export const EMOJI: readonly string[] = [
  ...'😀 😃 😄 😁 😆 😅 😂 🤣 🙂 😉 😊 😇 🥰 😍 😘 😋 😛 😜 🤪 🤗 🤔 🤨 😐 😑 😶 🙄 😏 😴 😎 🤓 😕 😟 😮 😲 😳 🥺 😢 😭 😱 😤 😡 🤯 😬 🤐 🥳 😷 🤒 🤠'.split(' '),
  ...'👍 👎 👏 🙌 🙏 🤝 👋 ✌️ 👌 🤞 💪 👀 ❤️ 🧡 💛 💚 💙 💜 🖤 💔 🔥 ✨ 🎉 ✅ ❌ ⭐ 💯 ☕ 🍕 🎂 🚀 💡'.split(' '),
];

const COLUMNS = 8;

export interface EmojiPanelView {
  label: string;
  pick(emoji: string): void;
  /** Closes the picker; `refocus` puts focus back in the composer (not when the user moved it elsewhere). */
  close(refocus?: boolean): void;
}

/** Moves focus inside the grid by key; returns the index to focus, or undefined for keys it does not handle. */
function target(key: string, index: number): number | undefined {
  const last = EMOJI.length - 1;
  switch (key) {
    case 'ArrowRight':
      return Math.min(last, index + 1);
    case 'ArrowLeft':
      return Math.max(0, index - 1);
    case 'ArrowDown':
      return Math.min(last, index + COLUMNS);
    case 'ArrowUp':
      return Math.max(0, index - COLUMNS);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return undefined;
  }
}

function onKeydown(event: KeyboardEvent, view: EmojiPanelView): void {
  const button = (event.target as Element).closest<HTMLButtonElement>('button[data-index]');
  if (event.key === 'Escape') {
    event.preventDefault();
    event.stopPropagation();
    view.close();
    return;
  }
  if (!button) return;
  const next = target(event.key, Number(button.dataset.index));
  if (next === undefined) return;
  event.preventDefault();
  const grid = button.closest('[role=grid]')!;
  const to = grid.querySelector<HTMLButtonElement>(`button[data-index="${next}"]`)!;
  // A roving tabindex: Tab leaves the grid from wherever the arrows left off.
  button.tabIndex = -1;
  to.tabIndex = 0;
  to.focus();
}

export function renderEmojiPanel(view: EmojiPanelView): TemplateResult {
  const rows: string[][] = [];
  for (let start = 0; start < EMOJI.length; start += COLUMNS) rows.push(EMOJI.slice(start, start + COLUMNS));
  return html`<style>
      .emoji-panel {
        position: absolute;
        inset-block-end: 100%;
        inset-inline-start: calc(var(--_space) * 0.9);
        z-index: 2;
        max-inline-size: calc(100% - var(--_space) * 1.8);
        max-block-size: 240px;
        overflow: auto;
        padding: 6px;
        border-radius: 12px;
        background: var(--_bg);
        border: 1px solid var(--_border);
        box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
      }
      .emoji-panel [role='row'] {
        display: flex;
      }
      .emoji-panel button {
        inline-size: 36px;
        block-size: 36px;
        border: 0;
        border-radius: 8px;
        background: transparent;
        font-size: 22px;
        line-height: 1;
        cursor: pointer;
      }
      .emoji-panel button:hover,
      .emoji-panel button:focus-visible {
        background: var(--_surface);
      }
      .emoji-panel button:focus-visible {
        outline: 2px solid var(--_accent);
        outline-offset: -2px;
      }
    </style>
    <div
      class="emoji-panel"
      part="emoji-panel"
      role="grid"
      aria-label=${view.label}
      @keydown=${(event: KeyboardEvent) => onKeydown(event, view)}
      @focusout=${(event: FocusEvent) => {
        // Tab or a click elsewhere closes it (not the emoji button, whose click toggles it).
        const to = event.relatedTarget as Element | null;
        if (!to || ((event.currentTarget as Element).contains(to) === false && !to.matches('[part=emoji-button]'))) view.close(false);
      }}
    >
      ${rows.map(
        (row, r) =>
          html`<div role="row">
            ${row.map(
              (emoji, c) =>
                html`<span role="gridcell"
                  ><button type="button" data-index=${r * COLUMNS + c} tabindex=${r + c === 0 ? 0 : -1} @click=${() => view.pick(emoji)}>${emoji}</button></span
                >`,
            )}
          </div>`,
      )}
    </div>`;
}
