/** The SDK version, sent in `session/open` as `ua: 'lc-chat/<version>'`. Kept equal to package.json's (a test checks). */
export const VERSION = '0.1.0';
