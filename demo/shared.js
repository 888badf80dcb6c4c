// What the demo pages share: which server and app, signing, theme and language switches.
export const params = new URLSearchParams(location.search);
export const server = params.get('server') ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
// npm start's development app signs logins at POST /sign (needed with --require-signature).
export const signatureUrl = params.get('sign') === '0' ? null : '/sign';
export const appKey = params.get('key');

/** The app id from ?app= or the last one used; null (and a form asking for it) when unknown. */
export function appId(container) {
  const id = params.get('app') ?? localStorage.getItem('lc-chat-demo:app');
  if (id) {
    localStorage.setItem('lc-chat-demo:app', id);
    return id;
  }
  container.innerHTML = `<div class="setup">
    <h2>Which app?</h2>
    <p>Paste the <b>app id</b> that <code>npm start</code> printed.</p>
    <form><input name="app" placeholder="dev-…" required aria-label="App id"><button class="button">Open</button></form>
  </div>`;
  container.querySelector('form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = new FormData(event.target).get('app').trim();
    localStorage.setItem('lc-chat-demo:app', value);
    params.set('app', value);
    location.search = params.toString();
  });
  return null;
}

/** Sets an element's connection attributes. */
export function connect(element, app, clientId) {
  element.setAttribute('server', server);
  element.setAttribute('app-id', app);
  if (clientId) element.setAttribute('client-id', clientId);
  if (appKey) element.setAttribute('app-key', appKey);
  if (signatureUrl) {
    element.setAttribute('signature-url', signatureUrl);
    element.setAttribute('conversation-signature-url', signatureUrl);
  }
  return element;
}

/** Wires the theme and language buttons; `apply(theme, lang)` updates the page's widgets. */
export function switches(texts, apply) {
  let theme = params.get('theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  let lang = params.get('lang') ?? (navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');
  const render = () => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.lang = lang;
    const text = texts[lang] ?? texts.en;
    for (const node of document.querySelectorAll('[data-i18n]')) if (text[node.dataset.i18n]) node.textContent = text[node.dataset.i18n];
    for (const button of document.querySelectorAll('[data-theme-choice]')) button.setAttribute('aria-pressed', String(button.dataset.themeChoice === theme));
    for (const button of document.querySelectorAll('[data-lang-choice]')) button.setAttribute('aria-pressed', String(button.dataset.langChoice === lang));
    apply(theme, lang);
  };
  for (const button of document.querySelectorAll('[data-theme-choice]')) button.addEventListener('click', () => { theme = button.dataset.themeChoice; render(); });
  for (const button of document.querySelectorAll('[data-lang-choice]')) button.addEventListener('click', () => { lang = button.dataset.langChoice; render(); });
  render();
  return () => ({ theme, lang });
}

export const SWITCHES = `
  <div class="segmented" role="group" aria-label="Theme">
    <button type="button" data-theme-choice="light" aria-pressed="true">Light</button>
    <button type="button" data-theme-choice="dark" aria-pressed="false">Dark</button>
  </div>
  <div class="segmented" role="group" aria-label="Language">
    <button type="button" data-lang-choice="en" aria-pressed="true">English</button>
    <button type="button" data-lang-choice="zh-CN" aria-pressed="false">中文</button>
  </div>`;

export const BRAND = `<a class="brand" href="/"><svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" aria-hidden="true"><path d="M20 15a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2z"/></svg>lc-chat</a>`;
