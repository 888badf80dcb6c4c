import type {} from 'lc-chat/types/svelte';
