/**
 * 对话的查询 with our SDK: the `where` JSON of every ConversationQuery
 * builder (protocol.md §5), every operator evaluated by a real server,
 * limit/skip/sort/compact/withLastMessagesRefreshed, the `tr` filter,
 * 4310 for a bad condition, getConversation's cache and `unique`.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CommandType, OpType } from '../src/protocol/index.js';
import { ConversationQuery, ProtocolError, TextMessage, type Conversation, type IMClient } from '../src/sdk/index.js';
import { recordingWebSocket, sdkEnvironment } from './helpers/sdk-env.js';

const env = sdkEnvironment();

/** A query that is never run: for its JSON. */
const probe = (): ConversationQuery => new ConversationQuery(async () => [], 'me');

describe('ConversationQuery JSON (protocol.md §5)', () => {
  const date = new Date('2024-01-02T03:04:05.678Z');
  const iso = { __type: 'Date', iso: '2024-01-02T03:04:05.678Z' };
  const cases: [string, (query: ConversationQuery) => ConversationQuery, Record<string, unknown>][] = [
    ['equalTo', (q) => q.equalTo('topic', 'movie'), { topic: 'movie' }],
    ['equalTo a date', (q) => q.equalTo('lm', date), { lm: iso }],
    ['notEqualTo', (q) => q.notEqualTo('type', 'private'), { type: { $ne: 'private' } }],
    ['lessThan', (q) => q.lessThan('age', 18), { age: { $lt: 18 } }],
    ['lessThanOrEqualTo', (q) => q.lessThanOrEqualTo('age', 18), { age: { $lte: 18 } }],
    ['greaterThan a date', (q) => q.greaterThan('lm', date), { lm: { $gt: iso } }],
    ['greaterThanOrEqualTo', (q) => q.greaterThanOrEqualTo('age', 18), { age: { $gte: 18 } }],
    ['exists', (q) => q.exists('pinned'), { pinned: { $exists: true } }],
    ['doesNotExist', (q) => q.doesNotExist('pinned'), { pinned: { $exists: false } }],
    ['containedIn', (q) => q.containedIn('topic', ['a', date]), { topic: { $in: ['a', iso] } }],
    ['notContainedIn', (q) => q.notContainedIn('topic', ['a']), { topic: { $nin: ['a'] } }],
    ['notContainsIn (official name)', (q) => q.notContainsIn('topic', ['a']), { topic: { $nin: ['a'] } }],
    ['containsAll', (q) => q.containsAll('tags', ['x', 'y']), { tags: { $all: ['x', 'y'] } }],
    ['containsMembers', (q) => q.containsMembers(['Bob', 'Jerry']), { m: { $all: ['Bob', 'Jerry'] } }],
    ['withMembers', (q) => q.withMembers(['Bob', 'Jerry']), { m: { $size: 2, $all: ['Bob', 'Jerry'] } }],
    ['withMembers including self', (q) => q.withMembers(['Bob', 'Bob'], true), { m: { $size: 2, $all: ['Bob', 'me'] } }],
    ['sizeEqualTo', (q) => q.sizeEqualTo('m', 3), { m: { $size: 3 } }],
    ['matches', (q) => q.matches('language', /[\u4e00-\u9fa5]/), { language: { $regex: '[\\u4e00-\\u9fa5]' } }],
    ['matches with i and m (g dropped)', (q) => q.matches('name', /^le/gim), { name: { $regex: '^le', $options: 'im' } }],
    ['matches a string with modifiers', (q) => q.matches('name', 'le', 'i'), { name: { $regex: 'le', $options: 'i' } }],
    ['contains', (q) => q.contains('keywords', '教育'), { keywords: { $regex: '\\Q教育\\E' } }],
    ['contains regex characters', (q) => q.contains('name', 'a.b*'), { name: { $regex: '\\Qa.b*\\E' } }],
    ['contains \\E', (q) => q.contains('name', 'x\\Ey'), { name: { $regex: '\\Qx\\E\\\\E\\Qy\\E' } }],
    ['startsWith', (q) => q.startsWith('name', 'Le'), { name: { $regex: '^\\QLe\\E' } }],
    ['endsWith', (q) => q.endsWith('name', 'Cloud'), { name: { $regex: '\\QCloud\\E$' } }],
    ['a range on one key', (q) => q.greaterThan('age', 1).lessThan('age', 9), { age: { $gt: 1, $lt: 9 } }],
    [
      'chained conditions (组合查询)',
      (q) => q.contains('keywords', '教育').lessThan('age', 18),
      { keywords: { $regex: '\\Q教育\\E' }, age: { $lt: 18 } },
    ],
  ];
  for (const [name, build, where] of cases) {
    test(name, () => {
      assert.deepEqual(build(probe()).toJSON(), { where, limit: 10, flag: 0 });
    });
  }

  test('limit (default 10), skip, sorts and flags', () => {
    assert.deepEqual(probe().limit(20).skip(5).toJSON(), { where: {}, limit: 20, skip: 5, flag: 0 });
    assert.equal(probe().ascending('name').toJSON().sort, 'name');
    assert.equal(probe().descending('name').toJSON().sort, '-name');
    assert.equal(probe().ascending('a').ascending('b').toJSON().sort, 'b', 'ascending replaces');
    assert.equal(probe().addAscending('name').addDescending('createdAt').toJSON().sort, 'name,-createdAt');
    assert.equal(probe().descending('lm').addAscending('name').toJSON().sort, '-lm,name');
    assert.equal(probe().compact().toJSON().flag, 1);
    assert.equal(probe().withLastMessagesRefreshed().toJSON().flag, 2);
    assert.equal(probe().compact(true).withLastMessagesRefreshed(true).compact(false).toJSON().flag, 2);
    assert.throws(() => probe().limit(-1), RangeError);
    assert.throws(() => probe().skip(1.5), RangeError);
  });

  test('toJSON is a copy', () => {
    const query = probe().equalTo('a', { b: 1 });
    (query.toJSON().where.a as { b: number }).b = 2;
    assert.deepEqual(query.toJSON().where, { a: { b: 1 } });
  });
});

describe('queries evaluated by the server', () => {
  let tom: IMClient;
  let tomId: string;
  let bobId: string;
  let jerryId: string;
  const byName = new Map<string, Conversation>();
  const start = new Date(Date.now() - 1000);

  /** The names of the conversations a query finds, sorted unless the query sorts. */
  async function names(query: ConversationQuery, keepOrder = false): Promise<string[]> {
    const found = (await query.find()).map((conversation) => conversation.name ?? '?');
    return keepOrder ? found : found.sort();
  }
  /** A query limited to this suite’s conversations. */
  const mine = (): ConversationQuery => tom.getQuery().containsMembers([tomId]).limit(100);

  before(async () => {
    [tomId, bobId, jerryId] = env.names('Tom', 'Bob', 'Jerry');
    tom = await env.login(tomId);
    const specs: Record<string, unknown>[] = [
      { name: 'alpha', members: [bobId], age: 10, topic: 'movie', tags: ['x', 'y'], pinned: true, language: '中文' },
      { name: 'Beta.*', members: [bobId, jerryId], age: 20, topic: 'music', tags: ['x'], language: 'English' },
      { name: 'gamma LeanCloud 粉丝群', members: [jerryId], age: 30, topic: 'movie', tags: [], type: 'private' },
      { name: 'delta', members: [], age: 40, type: 'private', keywords: '在线教育平台' },
    ];
    for (const spec of specs) byName.set(spec.name as string, await tom.createConversation(spec));
    await byName.get('gamma LeanCloud 粉丝群')!.send(new TextMessage('latest'));
  });

  test('comparisons, existence and membership of values', async () => {
    assert.deepEqual(await names(mine().equalTo('topic', 'movie')), ['alpha', 'gamma LeanCloud 粉丝群']);
    assert.deepEqual(await names(mine().notEqualTo('type', 'private')), ['Beta.*', 'alpha']);
    assert.deepEqual(await names(mine().lessThan('age', 20)), ['alpha']);
    assert.deepEqual(await names(mine().lessThanOrEqualTo('age', 20)), ['Beta.*', 'alpha']);
    assert.deepEqual(await names(mine().greaterThan('age', 30)), ['delta']);
    assert.deepEqual(await names(mine().greaterThanOrEqualTo('age', 30)), ['delta', 'gamma LeanCloud 粉丝群']);
    assert.deepEqual(await names(mine().greaterThan('age', 10).lessThan('age', 40)), ['Beta.*', 'gamma LeanCloud 粉丝群']);
    assert.deepEqual(await names(mine().exists('pinned')), ['alpha']);
    assert.deepEqual(await names(mine().doesNotExist('topic')), ['delta']);
    assert.deepEqual(await names(mine().containedIn('topic', ['music', 'news'])), ['Beta.*']);
    assert.deepEqual(await names(mine().notContainedIn('age', [10, 20])), ['delta', 'gamma LeanCloud 粉丝群']);
    assert.deepEqual(await names(mine().containsAll('tags', ['x', 'y'])), ['alpha']);
    assert.deepEqual(await names(mine().sizeEqualTo('tags', 0)), ['gamma LeanCloud 粉丝群']);
  });

  test('members: containsMembers, withMembers, sizeEqualTo("m")', async () => {
    assert.deepEqual(await names(mine().containsMembers([jerryId])), ['Beta.*', 'gamma LeanCloud 粉丝群']);
    assert.deepEqual(await names(tom.getQuery().withMembers([bobId, jerryId], true)), ['Beta.*']);
    assert.deepEqual(await names(tom.getQuery().withMembers([tomId, bobId])), ['alpha']);
    assert.deepEqual(await names(mine().sizeEqualTo('m', 1)), ['delta']);
  });

  test('regular expressions: matches with flags, contains, startsWith, endsWith quote their text', async () => {
    assert.deepEqual(await names(mine().matches('language', /[\u4e00-\u9fa5]/)), ['alpha']);
    assert.deepEqual(await names(mine().matches('name', /^ALPHA$/)), []);
    assert.deepEqual(await names(mine().matches('name', /^ALPHA$/i)), ['alpha']);
    assert.deepEqual(await names(mine().contains('keywords', '教育')), ['delta']);
    assert.deepEqual(await names(mine().contains('name', 'LeanCloud')), ['gamma LeanCloud 粉丝群']);
    assert.deepEqual(await names(mine().contains('name', '.*')), ['Beta.*'], '.* is literal text');
    assert.deepEqual(await names(mine().startsWith('name', 'Beta.')), ['Beta.*']);
    assert.deepEqual(await names(mine().startsWith('name', 'eta')), []);
    assert.deepEqual(await names(mine().endsWith('name', '粉丝群')), ['gamma LeanCloud 粉丝群']);
    assert.deepEqual(await names(mine().contains('keywords', '教育').lessThan('age', 50)), ['delta'], '组合查询');
  });

  test('dates, lm and the last message', async () => {
    assert.equal((await mine().greaterThan('createdAt', start).find()).length, 4);
    assert.deepEqual(await names(mine().greaterThan('createdAt', new Date(Date.now() + 60_000))), []);
    assert.deepEqual(await names(mine().greaterThan('lm', start)), ['gamma LeanCloud 粉丝群'], '对话列表: active recently');
    const [withLast] = await (await env.login(tomId)).getQuery().equalTo('objectId', byName.get('gamma LeanCloud 粉丝群')!.id).withLastMessagesRefreshed().find();
    assert.equal((withLast!.lastMessage as TextMessage).text, 'latest');
    const [compact] = await (await env.login(tomId)).getQuery().equalTo('objectId', byName.get('alpha')!.id).compact().find();
    assert.deepEqual(compact!.members, []);
    assert.equal(compact!.name, 'alpha');
  });

  test('sorting, limit and skip', async () => {
    assert.deepEqual(await names(mine().ascending('age'), true), ['alpha', 'Beta.*', 'gamma LeanCloud 粉丝群', 'delta']);
    assert.deepEqual(await names(mine().descending('age'), true), ['delta', 'gamma LeanCloud 粉丝群', 'Beta.*', 'alpha']);
    assert.deepEqual(await names(mine().exists('topic').ascending('topic').addDescending('age'), true), ['gamma LeanCloud 粉丝群', 'alpha', 'Beta.*']);
    assert.deepEqual(await names(mine().ascending('age').limit(2), true), ['alpha', 'Beta.*']);
    assert.deepEqual(await names(mine().ascending('age').skip(3), true), ['delta']);
    assert.deepEqual(await names(mine().ascending('age').skip(4)), []);
    assert.deepEqual(await mine().limit(0).find(), []);
    assert.equal((await mine().ascending('age').first())?.name, 'alpha');
  });

  test('the default limit is 10', async () => {
    const [ownerId] = env.names('Owner');
    const owner = await env.login(ownerId);
    for (let n = 0; n < 12; n += 1) await owner.createConversation({ members: [], n });
    assert.equal((await owner.getQuery().containsMembers([ownerId]).find()).length, 10);
    assert.equal((await owner.getQuery().containsMembers([ownerId]).limit(20).find()).length, 12);
  });

  test('results are the cached instances, updated in place', async () => {
    const found = await mine().equalTo('objectId', byName.get('alpha')!.id).find();
    assert.equal(found[0], byName.get('alpha'));
  });

  test('an unknown operator fails with 4310 CONVERSATION_QUERY_FAILED and a reason naming it', async () => {
    await assert.rejects(tom.getQuery().equalTo('age', { $bogus: 1 }).find(), (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, 4310);
      assert.equal(error.name, 'CONVERSATION_QUERY_FAILED');
      assert.match(`${error.message} ${error.detail ?? ''}`, /\$bogus/);
      return true;
    });
  });
});

describe('查找聊天室, getConversation and unique', () => {
  test('the tr filter finds chat rooms (查找聊天室)', async () => {
    const [hostId] = env.names('Host');
    const host = await env.login(hostId);
    const room = await host.createConversation({ name: 'room', transient: true, topic: `奔跑吧,兄弟 ${hostId}` });
    await host.createConversation({ members: [], name: 'not a room', topic: `奔跑吧,兄弟 ${hostId}` });
    const found = await host.getQuery().equalTo('topic', `奔跑吧,兄弟 ${hostId}`).equalTo('tr', true).find();
    assert.deepEqual(found.map((conversation) => conversation.id), [room.id]);
    assert.equal(found[0]!.transient, true);
  });

  test('getConversation answers from the cache without a query (缓存查询)', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const recorder = recordingWebSocket();
    const tom = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const queries = () => recorder.sent.filter((c) => c.cmd === CommandType.conv && c.op === OpType.query).length;
    assert.equal(await tom.getConversation(conversation.id), conversation);
    assert.equal(queries(), 0, 'the created conversation is cached');
    assert.equal(await tom.getConversation(conversation.id, true), conversation, 'noCache queries, same instance');
    assert.equal(queries(), 1);
    const [a, b] = await tom.getConversations([conversation.id, 'ffffffffffffffffffffffff']);
    assert.equal(a, conversation);
    assert.equal(b, null);
  });

  test('unique: true returns the existing conversation with the same members', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const first = await tom.createConversation({ members: [jerryId], name: 'Tom & Jerry', unique: true });
    const jerry = await env.login(jerryId);
    const again = await jerry.createConversation({ members: [tomId], unique: true });
    assert.equal(again.id, first.id);
    assert.equal(again.name, 'Tom & Jerry', 'the existing conversation’s attributes');
    assert.equal(again.creator, tomId);
    const other = await tom.createConversation({ members: [jerryId] });
    assert.notEqual(other.id, first.id, 'without unique a new one is created');
  });
});
