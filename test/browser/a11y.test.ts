/**
 * Accessibility: axe-core (the engine behind Lighthouse's accessibility
 * audit) over each element as a user meets it, in the light and dark
 * themes: names, roles, ARIA, and color contrast of text on its background
 * (WCAG 2.1 A and AA). Any violation fails, with axe's explanation.
 */
import { expect } from '@esm-bundle/chai';
import '../../src/components/index.js';
import { TextMessage, type LcChat, type LcConversationList, type LcLiveRoom, type LcSupport } from '../../src/components/index.js';
import { mount, opened, rows, sdkClient, server, shadow, uid, waitFor, isSent } from './support/fixtures.js';

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
}
interface Axe {
  run(context: Element, options: object): Promise<AxeResult>;
}

/** axe-core's browser build, from the package, as a plain script (it is not an ES module). */
async function axe(): Promise<Axe> {
  const global = window as unknown as { axe?: Axe };
  if (!global.axe) {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/node_modules/axe-core/axe.min.js';
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('axe-core did not load'));
      document.head.append(script);
    });
  }
  return global.axe!;
}

/** Fails with every violation axe finds in `element` (shadow roots included). */
async function expectAccessible(element: Element, what: string): Promise<void> {
  const result = await (await axe()).run(element, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  const report = result.violations.map(
    (violation) => `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes.map((node) => `  ${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`).join('\n')}`,
  );
  expect(report, `${what}:\n${report.join('\n')}`).to.deep.equal([]);
}

const THEMES = ['light', 'dark'] as const;

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  for (const theme of THEMES) {
    it(`<lc-chat> with a conversation, ${theme}`, async () => {
      const { wsUrl, appId } = await server();
      const me = uid('reader');
      const other = uid('writer');
      const chat = mount<LcChat>(`<lc-chat theme="${theme}" server="${wsUrl}" app-id="${appId}" client-id="${me}" members="${other}" unique push="/dist/lc-chat-sw.js"></lc-chat>`);
      await opened(chat);
      // With `push`, the notifications toggle in the header (loaded on demand) is audited too.
      await waitFor(() => shadow(chat).querySelector('lc-push-toggle')?.shadowRoot?.querySelector('button'), 'the notifications toggle');
      const client = await sdkClient(other);
      const conversation = await client.createConversation({ members: [me], unique: true });
      await conversation.send(new TextMessage('Release notes are at https://example.com/releases/2.4'));
      await chat.send('Thanks, reading them now');
      // Sent, not pending: a message on its way is drawn faded on purpose.
      await waitFor(() => rows(chat).length === 2 && rows(chat).every((row) => !row.own || isSent(row)), 'both messages, sent');
      await chat.updateComplete;
      await expectAccessible(chat, `<lc-chat> ${theme}`);
    });

    it(`<lc-conversation-list> with unread badges, ${theme}`, async () => {
      const { wsUrl, appId } = await server();
      const me = uid('inbox');
      const bob = await sdkClient(uid('bob'));
      for (const name of ['Design review', 'Weekend trip']) {
        const conversation = await bob.createConversation({ members: [me], name });
        await conversation.send(new TextMessage(`news about ${name}`));
      }
      const list = mount<LcConversationList>(`<lc-conversation-list theme="${theme}" server="${wsUrl}" app-id="${appId}" client-id="${me}"></lc-conversation-list>`);
      await waitFor(() => shadow(list).querySelectorAll('[part=item]').length === 2, 'two conversations');
      await waitFor(() => shadow(list).querySelectorAll('[part=badge]').length === 2, 'two unread badges');
      await expectAccessible(list, `<lc-conversation-list> ${theme}`);
    });

    it(`<lc-live-room> with its side chat and composer, ${theme}`, async () => {
      const { wsUrl, appId } = await server();
      const host = await sdkClient(uid('host'));
      const room = await host.createConversation({ name: uid('room'), transient: true });
      const viewer = mount<LcLiveRoom>(
        `<lc-live-room theme="${theme}" style="width:720px;height:420px" server="${wsUrl}" app-id="${appId}" client-id="${uid('viewer')}" room-id="${room.id}" chat></lc-live-room>`,
      );
      await waitFor(() => viewer.conversation, 'the viewer to join');
      await room.send(new TextMessage('welcome to the stream'));
      await waitFor(() => shadow(viewer).textContent?.includes('welcome to the stream') || shadow(viewer).querySelector('[part~=message]'), 'the message in the side chat');
      await viewer.updateComplete;
      await expectAccessible(viewer, `<lc-live-room> ${theme}`);
    });

    it(`<lc-support>, closed with its greeting and open, ${theme}`, async () => {
      const { wsUrl, appId } = await server();
      const support = mount<LcSupport>(
        `<lc-support theme="${theme}" server="${wsUrl}" app-id="${appId}" client-id="${uid('visitor')}" agents="${uid('agent')}" greeting="Hi! Questions about plans?"></lc-support>`,
      );
      await support.updateComplete;
      await expectAccessible(support, `<lc-support> closed, ${theme}`);
      shadow(support).querySelector<HTMLButtonElement>('[part=launcher]')!.click();
      await support.updateComplete;
      await opened(support.chat!);
      // The panel fades in: judge its colors once it has.
      await Promise.all(shadow(support).querySelector('[part=panel]')!.getAnimations({ subtree: true }).map((animation) => animation.finished));
      await expectAccessible(support, `<lc-support> open, ${theme}`);
    });
  }
});
