import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { TextMessage, type LcChat, type LcErrorEvent } from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, uid, waitFor } from './support/fixtures.js';

const NativeWebSocket = globalThis.WebSocket;

/** `cmd` is the first field of a command (tag 0x08); `logs` is 6 (src/protocol/message.proto). */
function isLogsCommand(data: string | ArrayBufferLike | Blob | ArrayBufferView): boolean {
  let bytes: Uint8Array;
  if (typeof data === 'string') bytes = Uint8Array.from(atob(data.slice(0, 8)), (char) => char.charCodeAt(0));
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, Math.min(2, data.byteLength));
  else if (data instanceof Blob) return false;
  else bytes = new Uint8Array(data, 0, 2);
  return bytes[0] === 0x08 && bytes[1] === 6;
}

/**
 * The page's WebSocket, except that the first history request (`logs`) does
 * not go out: the connection drops right then, as when a slow server gives
 * up on a socket, and the SDK reconnects as usual.
 */
function dropConnectionAtFirstHistoryRequest(): void {
  let dropped = false;
  globalThis.WebSocket = class extends NativeWebSocket {
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (!dropped && isLogsCommand(data)) {
        dropped = true;
        this.close();
        return;
      }
      super.send(data);
    }
  };
}

/** What the widget shows while it waits: how many Retry buttons, and whether the list claims it failed. */
function sample(chat: LcChat, seen: { retries: number[]; listErrors: string[] }): void {
  const root = shadow(chat);
  seen.retries.push([...root.querySelectorAll('button')].filter((button) => button.textContent?.trim() === 'Retry now').length);
  const alert = root.querySelector('.list [role=alert], .status-row.older');
  if (alert?.textContent?.includes('Couldn’t load')) seen.listErrors.push(alert.textContent.trim());
}

describe('while connecting', function () {
  this.timeout(40_000);
  afterEach(() => {
    globalThis.WebSocket = NativeWebSocket;
  });

  for (const cached of [true, false]) {
    it(`a connection dropped before the history came is not a load error (${cached ? 'cached history shown' : 'nothing cached'})`, async () => {
      const { wsUrl, appId } = await server();
      const [me, other] = [uid('me'), uid('other')];
      const peer = await sdkClient(other);
      const conversation = await peer.createConversation({ members: [me], unique: true });
      await conversation.send(new TextMessage('first'));
      await conversation.send(new TextMessage('second'));
      const markup = `<lc-chat server="${wsUrl}" app-id="${appId}" client-id="${me}" conversation-id="${conversation.id}"></lc-chat>`;
      if (cached) {
        const visit = mount<LcChat>(markup);
        await opened(visit);
        await waitFor(() => rows(visit).length === 2, 'the first visit');
        const client = visit.client!;
        visit.remove();
        await client.close();
      }

      // The reload.
      dropConnectionAtFirstHistoryRequest();
      const errors: LcErrorEvent[] = [];
      document.addEventListener('lc-error', (event) => errors.push(event));
      const seen = { retries: [] as number[], listErrors: [] as string[] };
      const chat = mount<LcChat>(markup);
      const observer = new MutationObserver(() => sample(chat, seen));
      await chat.updateComplete;
      observer.observe(chat.shadowRoot!, { subtree: true, childList: true, characterData: true, attributes: true });
      try {
        if (cached) await waitFor(() => rows(chat).length === 2, 'the cached history');
        await waitFor(() => rows(chat).length === 2 && chat.connectionState === 'online' && !chat.shadowRoot!.querySelector('.empty'), 'the history once reconnected', 15_000);
        await opened(chat);
      } finally {
        observer.disconnect();
      }
      expect(rows(chat).map((row) => row.text)).to.deep.equal(['first', 'second']);
      expect(errors.filter((event) => event.target === chat).map((event) => `${event.operation}: ${event.error.message}`)).to.deep.equal([]);
      expect(seen.listErrors).to.deep.equal([]);
      expect(Math.max(0, ...seen.retries)).to.be.at.most(1);
    });
  }
});
