/**
 * `<lc-conversation-list>` as a support inbox: the visitor's details and
 * the status in each row, the mention marker, and the status filter
 * (`status` attribute). Templates and styles only; the list keeps the data.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { Localizer } from '../i18n/localize.js';
import type { SupportInfo } from '../lc-support/support-info.js';
import { addEnglish } from '../i18n/localize.js';
import { enMore } from '../i18n/en-more.js';

addEnglish(enMore);

/** What the list's `status` attribute may say. */
export type StatusFilter = 'all' | 'open' | 'resolved';
export const STATUS_FILTERS: readonly StatusFilter[] = ['all', 'open', 'resolved'];

/** Whether a row passes the status filter: conversations without support info only pass `all`. */
export function passesStatus(support: SupportInfo | undefined, filter: StatusFilter | undefined): boolean {
  if (!filter || filter === 'all') return true;
  return support?.status === filter;
}

/** The third line of a support row: email, page, browser (text only: the row is one option of a listbox). */
export function renderVisitorLine(support: SupportInfo | undefined, { t }: Localizer): TemplateResult | typeof nothing {
  const visitor = support?.visitor;
  if (!support || !visitor) return nothing;
  const page = visitor.url?.replace(/^https?:\/\//i, '');
  const facts = [visitor.email, page, visitor.browser].filter((fact): fact is string => Boolean(fact));
  return html`<div class="line support-line">
    <span class="facts" part="visitor">${facts.join(' · ')}</span>
    ${support.status === 'resolved' ? html`<span class="chip" part="status">${t('support.resolved')}</span>` : nothing}
  </div>`;
}

/** An "@" beside the unread badge when the unread messages mention the user. */
export function renderMention(mentioned: boolean, { t }: Localizer): TemplateResult | typeof nothing {
  return mentioned ? html`<span class="mention" part="mention" title=${t('support.mentioned')} aria-label=${t('support.mentioned')}>@</span>` : nothing;
}

/** The status filter: All / Open / Resolved, as toggle buttons. */
export function renderStatusFilter(current: StatusFilter, { t }: Localizer, choose: (status: StatusFilter) => void): TemplateResult {
  const label = { all: t('support.all'), open: t('support.open'), resolved: t('support.resolved') };
  return html`<div class="status-filter" part="status-filter" role="group" aria-label=${t('support.status')}>
    ${STATUS_FILTERS.map(
      (status) =>
        html`<button type="button" aria-pressed=${status === current ? 'true' : 'false'} data-status=${status} @click=${() => choose(status)}>${label[status]}</button>`,
    )}
  </div>`;
}

export const supportStyles = css`
  /* Muted text on the selected row's tint: darker (lighter in dark themes) to keep 4.5:1. */
  .item.selected {
    --_muted: color-mix(in srgb, var(--lc-color-muted, var(--_d-muted)) 75%, var(--_text));
  }
  .support-line {
    margin-block-start: 2px;
  }
  .facts {
    flex: 1;
    min-inline-size: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: 0.8em;
    color: var(--_muted);
  }
  .chip {
    flex: none;
    font-size: 0.75em;
    font-weight: 600;
    border: 1px solid currentColor;
    border-radius: 999px;
    padding: 0 6px;
    color: var(--_muted);
  }
  .mention {
    flex: none;
    display: grid;
    place-items: center;
    min-inline-size: 20px;
    block-size: 20px;
    border-radius: 10px;
    font-size: 12px;
    font-weight: 700;
    background: var(--_accent);
    color: var(--_accent-contrast);
  }
  .status-filter {
    display: flex;
    gap: 4px;
    padding: 0 var(--_space) calc(var(--_space) * 0.75);
  }
  .status-filter button {
    flex: 1;
    font: inherit;
    font-size: 0.85em;
    font-weight: 600;
    padding: 6px 8px;
    border-radius: 8px;
    border: 1px solid var(--_border);
    background: none;
    color: var(--_text);
    cursor: pointer;
  }
  .status-filter button[aria-pressed='true'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-contrast);
  }
  .status-filter button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
`;
