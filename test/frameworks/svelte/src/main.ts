import { mount, unmount } from 'svelte';
import App from './App.svelte';
import { unmounted, type Who } from './page.js';

const who = Object.fromEntries(new URLSearchParams(location.search)) as unknown as Who;
const app = mount(App, { target: document.getElementById('root')!, props: who });
unmounted(() => void unmount(app));
