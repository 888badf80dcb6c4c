/**
 * The elements' small status indicators: the connection-state dot of their
 * headers (`<span class="dot" data-state=…>`) and the loading spinner.
 */
import { css } from 'lit';

export const indicators = css`
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
  .spinner {
    inline-size: 14px;
    block-size: 14px;
    border-radius: 50%;
    border: 2px solid var(--_border);
    border-block-start-color: var(--_accent);
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      rotate: 360deg;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    /* Slower rather than still: a ring that stops looks broken, not busy. */
    .spinner {
      animation-duration: 2.4s;
    }
  }
`;
