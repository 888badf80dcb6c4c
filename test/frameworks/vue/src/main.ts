import { createApp } from 'vue';
import App from './App.vue';
import { unmounted, type Who } from './page.js';

const who = Object.fromEntries(new URLSearchParams(location.search)) as unknown as Who;
const app = createApp(App, { ...who });
app.mount('#root');
unmounted(() => app.unmount());
