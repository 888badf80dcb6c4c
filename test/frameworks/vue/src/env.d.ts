import type {} from 'lc-chat/types/vue';
