import { svelte } from '@sveltejs/vite-plugin-svelte';

export default { base: './', logLevel: 'warn', plugins: [svelte()] };
