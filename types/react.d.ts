/**
 * lc-chat's elements in React 19's JSX: `import type {} from 'lc-chat/types/react';`
 * once in the app (or list it in tsconfig `types`). Attributes, properties
 * and `on<event-name>` handlers are typed from custom-elements.json
 * (types/jsx.d.ts, generated). React 18 and earlier: use `lc-chat/react`.
 */
import type { CustomElements } from './jsx.js';

declare module 'react' {
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-interface
    interface IntrinsicElements extends CustomElements {}
  }
}
