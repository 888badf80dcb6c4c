/**
 * A muted, removed or blocked user in `<lc-chat>` (issue 12's widget
 * items): a muted member's composer is disabled and says so (learnt from
 * the `muted` push, from a send refused with 4563 SILIENCED and at load),
 * and is enabled again on unmute; a removed or blocked user sees a clear
 * message instead of a composer, and `lc-error` fires with
 * `operation: 'membership'`.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/index.js';
import type { LcChat, LcErrorEvent } from '../../src/components/index.js';
import type { Conversation } from '../../src/sdk/index.js';
import { mount, opened, rows, sdkClient, server, shadow, textarea, uid, waitFor } from './support/fixtures.js';

function record<E extends Event>(target: EventTarget, type: string): E[] {
  const events: E[] = [];
  target.addEventListener(type, (event) => events.push(event as E));
  return events;
}

async function type(chat: LcChat, text: string): Promise<void> {
  const input = textarea(chat);
  input.focus();
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText' }));
  await sendKeys({ press: 'Enter' });
}

const composerNote = (chat: LcChat) => shadow(chat).querySelector<HTMLElement>('[part="composer-note"]');
const removedNote = (chat: LcChat) => shadow(chat).querySelector<HTMLElement>('[part="removed-note"]');
const composer = (chat: LcChat) => shadow(chat).querySelector('form.composer');

/**
 * An owner's conversation with `me` in it, and `me`'s `<lc-chat>` open on
 * it; `beforeMount` runs as the owner before the page loads.
 */
async function moderatedChat(role: string, options: { lang?: string; beforeMount?: (conversation: Conversation, me: string) => Promise<unknown> } = {}) {
  const { wsUrl, appId } = await server();
  const [owner, me] = [uid('owner'), uid(role)];
  const admin = await sdkClient(owner);
  const conversation = await admin.createConversation({ members: [me], name: 'moderated' });
  await options.beforeMount?.(conversation, me);
  const lang = options.lang ? ` lang="${options.lang}"` : '';
  const chat = mount<LcChat>(`<lc-chat${lang} server="${wsUrl}" app-id="${appId}" client-id="${me}" conversation-id="${conversation.id}"></lc-chat>`);
  const errors = record<LcErrorEvent>(chat, 'lc-error');
  await opened(chat);
  return { chat, conversation, me, errors };
}

describe('a muted, removed or blocked user', function () {
  this.timeout(40_000);

  it('muted: the composer is disabled and says so; unmuted: enabled again', async () => {
    const { chat, conversation, me, errors } = await moderatedChat('muted');
    expect(composerNote(chat)).to.equal(null);
    expect(textarea(chat).disabled).to.equal(false);

    await conversation.muteMembers([me]);
    await waitFor(() => composerNote(chat), 'the muted note');
    expect(composerNote(chat)!.textContent).to.equal('You have been muted in this conversation');
    expect(textarea(chat).disabled).to.equal(true);
    expect(chat.membership).to.equal('muted');
    expect(errors.map((event) => [event.operation, event.error.name])).to.deep.include(['membership', 'SILIENCED']);

    await conversation.unmuteMembers([me]);
    await waitFor(() => !composerNote(chat), 'the muted note gone');
    expect(textarea(chat).disabled).to.equal(false);
    expect(chat.membership).to.equal('member');
    await type(chat, 'free to talk again');
    await waitFor(() => rows(chat).some((row) => row.text === 'free to talk again' && row.status !== 'failed' && !row.element.classList.contains('pending')), 'the message sent');
  });

  it('muted before the page opened: known at load, in Chinese too', async () => {
    const { chat } = await moderatedChat('muted', { lang: 'zh-CN', beforeMount: (conversation, me) => conversation.muteMembers([me]) });
    await waitFor(() => composerNote(chat), 'the muted note at load');
    expect(composerNote(chat)!.textContent).to.equal('你已在此对话中被禁言');
    expect(textarea(chat).disabled).to.equal(true);
  });

  it('a send refused with 4563 is marked failed with that reason, with Delete and no Retry', async () => {
    const { chat, conversation, me, errors } = await moderatedChat('muted');
    // The page sends while the push is on its way: the server's refusal tells first.
    await conversation.muteMembers([me]);
    await chat.send('said while muted');
    const failed = await waitFor(() => rows(chat).find((row) => row.status === 'failed' && row.element.querySelector('[data-reason="muted"]')), 'the refused message');
    expect(failed.element.querySelector('.meta-line')!.textContent).to.include('Not sent: you are muted in this conversation');
    expect([...failed.element.querySelectorAll('.meta-line button')].map((button) => button.textContent?.trim())).to.deep.equal(['Delete']);
    expect(errors.map((event) => [event.operation, event.error.name])).to.deep.include(['send', 'SILIENCED']);
    await waitFor(() => composerNote(chat), 'the muted note');
    expect(textarea(chat).disabled).to.equal(true);
  });

  it('removed: a clear message instead of the composer, and lc-error', async () => {
    const { chat, conversation, me, errors } = await moderatedChat('kicked');
    await conversation.remove([me]);
    await waitFor(() => removedNote(chat), 'the removed note');
    expect(removedNote(chat)!.textContent).to.equal('You were removed from this conversation');
    expect(removedNote(chat)!.getAttribute('role')).to.equal('alert');
    expect(composer(chat)).to.equal(null);
    expect(chat.membership).to.equal('removed');
    expect(errors.map((event) => [event.operation, event.error.name])).to.deep.include(['membership', 'CONVERSATION_MEMBERSHIP_REQUIRED']);
  });

  it('blocked: the blocked variant of the message, no composer, and lc-error', async () => {
    const { chat, conversation, me, errors } = await moderatedChat('blocked', { lang: 'zh-CN' });
    expect((await conversation.blockMembers([me])).successfulClientIds).to.deep.equal([me]);
    await waitFor(() => chat.membership === 'blocked', 'blocked');
    await chat.updateComplete;
    expect(removedNote(chat)!.textContent).to.equal('你已被移出此对话，且无法再加入');
    expect(composer(chat)).to.equal(null);
    expect(errors.map((event) => [event.operation, event.error.name])).to.deep.include(['membership', 'CONVERSATION_BLACKLISTED']);
  });
});
