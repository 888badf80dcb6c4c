/** The connection-state dot (`<span class="dot" data-state=…>`) of the elements' headers. */
import { css } from 'lit';

export const connectionDot = css`
  .dot {
    flex: none;
    inline-size: 8px;
    block-size: 8px;
    border-radius: 50%;
    background: var(--_muted);
  }
  .dot[data-state='online'] {
    background: #22c55e;
  }
  .dot[data-state='connecting'],
  .dot[data-state='reconnecting'] {
    background: #f59e0b;
  }
  .dot[data-state='offline'],
  .dot[data-state='error'],
  .dot[data-state='conflict'] {
    background: var(--_danger);
  }
`;
