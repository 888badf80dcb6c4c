/**
 * `<lc-support>`'s pre-chat form: the fields the page asks for (name,
 * email), checked before the chat opens. A pure template; the element keeps
 * the state and handles the submit.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Localizer } from '../i18n/localize.js';
import { isEmail, LIMITS } from './support-info.js';
import { addEnglish } from '../i18n/localize.js';
import { enMore } from '../i18n/en-more.js';

addEnglish(enMore);

/** The fields a pre-chat form may ask for. */
export type PrechatField = 'name' | 'email';
export const PRECHAT_FIELDS: readonly PrechatField[] = ['name', 'email'];

/** What the visitor entered, trimmed. */
export interface PrechatValues {
  name?: string;
  email?: string;
}

/** Which field is wrong and why, or undefined when the values are good. */
export function checkPrechat(fields: readonly PrechatField[], values: PrechatValues): { field: PrechatField; message: 'support.nameRequired' | 'support.emailInvalid' } | undefined {
  if (fields.includes('name') && !values.name) return { field: 'name', message: 'support.nameRequired' };
  if (fields.includes('email') && !(values.email && isEmail(values.email))) return { field: 'email', message: 'support.emailInvalid' };
  return undefined;
}

export interface PrechatView {
  fields: readonly PrechatField[];
  /** Values known already (say, from an earlier visit), to start from. */
  values: PrechatValues;
  error: ReturnType<typeof checkPrechat>;
  localizer: Localizer;
  submit(values: PrechatValues): void;
}

export function renderPrechat({ fields, values, error, localizer: { t }, submit }: PrechatView): TemplateResult {
  const onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const read = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() || undefined;
    const name = read('name');
    const email = read('email');
    submit({ ...(name ? { name } : {}), ...(email ? { email } : {}) });
  };
  const field = (name: PrechatField, label: string, type: string, max: number, autocomplete: string) => {
    const wrong = error?.field === name;
    return html`<label class="field-label" for=${`prechat-${name}`}>${label}</label>
      <input
        id=${`prechat-${name}`}
        name=${name}
        part="prechat-input"
        type=${type}
        autocomplete=${autocomplete}
        maxlength=${max}
        required
        .value=${values[name] ?? ''}
        aria-invalid=${wrong ? 'true' : 'false'}
        aria-describedby=${wrong ? `prechat-${name}-error` : nothing}
      />
      ${wrong ? html`<p class="field-error" id=${`prechat-${name}-error`} role="alert">${t(error.message)}</p>` : nothing}`;
  };
  // novalidate: the browser's own bubbles are not localized with the widget; the checks are ours.
  return html`<form class="prechat" part="prechat" novalidate @submit=${onSubmit}>
    <p class="prechat-intro">${t('support.prechat')}</p>
    ${fields.includes('name') ? field('name', t('support.name'), 'text', LIMITS.name, 'name') : nothing}
    ${fields.includes('email') ? field('email', t('support.email'), 'email', LIMITS.email, 'email') : nothing}
    <button class="prechat-submit" part="prechat-submit" type="submit">${t('support.start')}</button>
  </form>`;
}
