// The typings catch what the elements would not accept (svelte-check reads them as the templates do).
export const wrongTheme: svelteHTML.IntrinsicElements['lc-chat'] = {
  // @ts-expect-error theme is 'light' | 'dark' | 'auto'
  theme: 'blue',
};
