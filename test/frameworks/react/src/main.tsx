/**
 * React 19 (lc-chat's elements as React 19 passes props and events) and
 * the @lit/react wrappers (React 18 and earlier), from the packed package.
 * The page's URL says whom to be: ?server=…&app=…&me=…&peer=…[&wrapper].
 */
import { StrictMode, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import 'lc-chat/components/lc-chat';
import type {} from 'lc-chat/types/react';
import { LcChat } from 'lc-chat/react';
import { received, unmounted, type Who } from './page.js';

// React 19: properties (members as a string, as in the README), `on` + the event's name.
export function Chat({ server, appId, me, peer }: Who): ReactElement {
  return (
    <lc-chat server={server} app-id={appId} client-id={me} members={peer} unique onlc-message={(event) => received.push(event.message.text ?? '')} />
  );
}

// React 18 and earlier: the wrapper sets properties and listens to the events.
export function WrappedChat({ server, appId, me, peer }: Who): ReactElement {
  return <LcChat server={server} appId={appId} clientId={me} members={[peer]} unique onLcMessage={(event) => received.push(event.message.text ?? '')} />;
}

const who = Object.fromEntries(new URLSearchParams(location.search)) as unknown as Who & { wrapper?: string };
const root = createRoot(document.getElementById('root')!);
root.render(<StrictMode>{who.wrapper === undefined ? <Chat {...who} /> : <WrappedChat {...who} />}</StrictMode>);
unmounted(() => root.unmount());

// The typings catch what the elements would not accept.
export const wrongTheme = (
  // @ts-expect-error theme is 'light' | 'dark' | 'auto'
  <lc-chat theme="blue" />
);
export const wrongField = (
  <lc-chat
    onlc-message={(event) => {
      // @ts-expect-error a message has no `nope`
      void event.message.nope;
    }}
  />
);
