import vue from '@vitejs/plugin-vue';

// Tags with a dash that Vue should leave to the browser: lc-chat's elements.
export default {
  base: './',
  logLevel: 'warn',
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('lc-') } } })],
};
