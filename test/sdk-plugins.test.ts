/**
 * 插件 with our SDK against a real server: the guide's decorator changing a
 * conversation method (ConfirmOnQuit) and middleware patching a raw message
 * (EnsureFileId), middleware order (sync and async), automatic
 * `messageClasses`, dispatch filters, and failing plugins named in errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Message,
  PluginError,
  Realtime,
  TextMessage,
  TypedMessage,
  messageField,
  messageType,
  type Conversation,
  type IMClient,
  type Plugin,
} from '../src/sdk/index.js';
import { FileMessage, TypedMessagesPlugin } from '../src/sdk/typed-messages/index.js';
import { collectMessages, delay, nextEvent, sdkEnvironment } from './helpers/sdk-env.js';

const env = sdkEnvironment();

describe('decorators', () => {
  test('ConfirmOnQuit (guide): onConversationCreate replaces conversation.quit', async () => {
    let answer = false;
    const asked: string[] = [];
    const ConfirmOnQuitPlugin: Plugin = {
      name: 'leancloud-realtime-plugin-confirm-on-quit',
      onConversationCreate(conversation) {
        const originalQuit = conversation.quit;
        conversation.quit = function (this: Conversation) {
          asked.push(conversation.id);
          // window.confirm in the guide; a scripted answer here.
          if (answer) return originalQuit.apply(this);
          return Promise.reject(new Error('user canceled'));
        };
      },
    };
    const [tomId, bobId] = env.names('Tom', 'Bob');
    const tom = await env.login(tomId, { plugins: [ConfirmOnQuitPlugin] });
    // Bob creates it: its owner cannot quit (issue 12's roles), a member can.
    const created = await (await env.login(bobId)).createConversation({ members: [tomId] });
    const conversation = (await tom.getConversation(created.id))!;
    await assert.rejects(conversation.quit(), /user canceled/);
    assert.deepEqual(asked, [conversation.id]);
    const stillThere = await (await env.login(bobId)).getConversation(conversation.id, true);
    assert.ok(stillThere!.members.includes(tomId), 'canceled: still a member');

    answer = true;
    await conversation.quit();
    const after = await (await env.login(`${bobId}-check`)).getQuery().equalTo('objectId', conversation.id).find();
    assert.ok(!after[0]!.members.includes(tomId), 'confirmed: quit on the server');
  });

  test('onRealtimeCreate and onIMClientCreate get the instances; hooks may be lists', async () => {
    const seen: string[] = [];
    const plugin: Plugin = {
      name: 'watcher',
      onRealtimeCreate: [(realtime) => seen.push(`realtime ${realtime.options.appId}`), () => seen.push('second realtime hook')],
      onIMClientCreate: (client) => seen.push(`client ${client.id}`),
    };
    const [tomId] = env.names('Tom');
    const realtime = env.device({ plugins: [plugin] });
    assert.deepEqual(seen, [`realtime ${env.server.appId}`, 'second realtime hook']);
    await realtime.createIMClient(tomId);
    assert.deepEqual(seen.slice(2), [`client ${tomId}`]);
  });

  test('a throwing decorator fails the call with a PluginError naming the plugin', async () => {
    const broken: Plugin = {
      name: 'broken-decorator',
      onIMClientCreate() {
        throw new Error('boom');
      },
    };
    const [tomId] = env.names('Tom');
    await assert.rejects(env.device({ plugins: [broken] }).createIMClient(tomId), (error: unknown) => {
      assert.ok(error instanceof PluginError);
      assert.equal(error.plugin, 'broken-decorator');
      assert.equal(error.point, 'onIMClientCreate');
      assert.match(error.message, /broken-decorator.*boom/);
      assert.equal((error.cause as Error).message, 'boom');
      return true;
    });
    assert.throws(
      () => new Realtime({ appId: 'a', server: env.server.wsUrl, plugins: [{ name: 'bad-realtime', onRealtimeCreate: () => { throw new TypeError('nope'); } }] }),
      (error: unknown) => error instanceof PluginError && error.plugin === 'bad-realtime',
    );
    assert.throws(() => new Realtime({ appId: 'a', server: env.server.wsUrl, plugins: [{ name: 'typo', beforeMessageParse: 'oops' as never }] }), /typo: beforeMessageParse must be a function/);
  });
});

describe('middlewares', () => {
  async function chat(plugins: Plugin[]): Promise<{ tom: IMClient; bob: IMClient; conversation: Conversation; realtime: Realtime }> {
    const [tomId, bobId] = env.names('Tom', 'Bob');
    const tom = await env.login(tomId);
    const realtime = env.device({ plugins });
    const bob = await realtime.createIMClient(bobId);
    const conversation = await tom.createConversation({ members: [bobId] });
    return { tom, bob, conversation, realtime };
  }

  test('EnsureFileId (guide): beforeMessageParse patches the raw message before the file message is parsed', async () => {
    const EnsureFileIdPlugin: Plugin = {
      name: 'leancloud-realtime-plugin-ensure-file-id',
      beforeMessageParse(message) {
        const raw = message as { _lcfile?: { objId?: string } };
        if (raw._lcfile && !raw._lcfile.objId) raw._lcfile.objId = 'patched-id';
        return message;
      },
    };
    const { bob, conversation } = await chat([TypedMessagesPlugin, EnsureFileIdPlugin]);
    const got = collectMessages(bob, 2);
    await conversation.send(new Message({ _lctype: -6, _lcfile: { url: 'https://files.example.com/old.bin', metaData: { name: 'old.bin' } } }));
    await conversation.send(new TextMessage('no file here'));
    const [[file], [text]] = await got;
    assert.ok(file instanceof FileMessage);
    assert.equal(file.getFile().id, 'patched-id');
    assert.ok(text instanceof TextMessage);
  });

  test('run in order, sync or async, each getting the previous result', async () => {
    const order: string[] = [];
    const first: Plugin = {
      name: 'first',
      beforeMessageParse: (json) => {
        order.push('before 1');
        return { ...(json as object), _lctext: `${(json as { _lctext: string })._lctext} +1` };
      },
      afterMessageParse: async (message) => {
        await delay(5);
        order.push('after 1');
        (message as TextMessage).setAttributes({ seen: ['first'] });
        return message;
      },
    };
    const second: Plugin = {
      name: 'second',
      beforeMessageParse: async (json) => {
        await delay(5);
        order.push('before 2');
        return { ...(json as object), _lctext: `${(json as { _lctext: string })._lctext} +2` };
      },
      afterMessageParse: (message) => {
        order.push('after 2');
        const attributes = (message as TextMessage).getAttributes() as { seen: string[] };
        return new TextMessage(`replaced: ${(message as TextMessage).text}`).setAttributes({ seen: [...attributes.seen, 'second'] });
      },
    };
    const { bob, conversation } = await chat([first, second]);
    const got = nextEvent(bob, 'message');
    await conversation.send(new TextMessage('hi'));
    const [message] = await got;
    assert.deepEqual(order, ['before 1', 'before 2', 'after 1', 'after 2']);
    assert.ok(message instanceof TextMessage);
    assert.equal(message.text, 'replaced: hi +1 +2');
    assert.deepEqual(message.attributes, { seen: ['first', 'second'] });
    // History goes through the same pipeline.
    const [stored] = await (await bob.getConversation(conversation.id))!.queryMessages();
    assert.equal((stored as TextMessage).text, 'replaced: hi +1 +2');
  });

  test('a throwing middleware is reported with its name and skipped; the message still arrives', async () => {
    // The guide's EnsureFileId taken literally reads `_lcfile.id` of every message, and throws on a text message.
    const literal: Plugin = {
      name: 'leancloud-realtime-plugin-ensure-file-id',
      beforeMessageParse(message) {
        const raw = message as { _lcfile: { id?: string } };
        if (!raw._lcfile.id) raw._lcfile.id = '';
        return message;
      },
    };
    const { bob, conversation, realtime } = await chat([literal]);
    const reported = nextEvent(realtime, 'pluginerror');
    const got = nextEvent(bob, 'message');
    await conversation.send(new TextMessage('plain text'));
    const [error] = await reported;
    assert.equal(error.plugin, 'leancloud-realtime-plugin-ensure-file-id');
    assert.equal(error.point, 'beforeMessageParse');
    assert.ok(error.cause instanceof TypeError);
    const [message] = await got;
    assert.equal((message as TextMessage).text, 'plain text');
  });

  test('beforeMessageDispatch can hold a message back', async () => {
    const { bob, conversation } = await chat([{ name: 'mute-bots', beforeMessageDispatch: (message) => !(message as TextMessage).text?.startsWith('[bot]') }]);
    const got = collectMessages(bob, 1);
    await conversation.send(new TextMessage('[bot] ping'));
    await conversation.send(new TextMessage('human'));
    const [[message]] = await got;
    assert.equal((message as TextMessage).text, 'human');
  });
});

describe('messageClasses', () => {
  test('are registered automatically (the guide’s OperationMessage)', async () => {
    class OperationMessage extends TypedMessage {
      op: string | undefined;
    }
    messageType(1)(OperationMessage);
    messageField('op')(OperationMessage);
    const [tomId, bobId] = env.names('Tom', 'Bob');
    const tom = await env.login(tomId);
    const bob = await env.login(bobId, { plugins: [{ name: 'operations', messageClasses: [OperationMessage] }] });
    const conversation = await tom.createConversation({ members: [bobId] });
    const got = nextEvent(bob, 'message');
    const typing = new OperationMessage();
    typing.op = 'typing';
    await conversation.send(typing, { transient: true });
    const [message] = await got;
    assert.ok(message instanceof OperationMessage, `got ${message.constructor.name}`);
    assert.equal(message.op, 'typing');
    assert.equal(message.transient, true);
  });
});
