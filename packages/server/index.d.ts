// The server is lc-chat's `lc-chat/server`; this package brings what it runs on.
export * from 'lc-chat/server';
