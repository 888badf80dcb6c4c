/**
 * 富媒体消息 with our SDK against a real server: image, file and location
 * messages with their metadata (a real upload, then a fetch of the URL),
 * the official typed-messages payload shapes both ways, and messages no
 * class can parse reaching the `message` handler.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { Message, TextMessage, TypedMessage, type IMClient } from '../src/sdk/index.js';
import {
  AudioMessage,
  FileMessage,
  GeoPoint,
  ImageMessage,
  LcFile,
  LocationMessage,
  TypedMessagesPlugin,
  UploadError,
  VideoMessage,
  readImageSize,
  readMediaDuration,
  type UploadProgress,
} from '../src/sdk/typed-messages/index.js';
import { nextEvent as officialEvent, v3, v4, type OfficialClient, type OfficialConversation, type OfficialMessage, type OfficialRealtime } from './helpers/official-sdk.js';
import { collectMessages, nextEvent, sdkEnvironment } from './helpers/sdk-env.js';

const env = sdkEnvironment();
const plugins = [TypedMessagesPlugin];

/** A PNG whose IHDR says width × height, padded to `size` bytes. */
function png(width: number, height: number, size = 2048): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 2, 0, 0, 0], 16);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const body = Buffer.concat([signature, ihdr]);
  return Buffer.concat([body, Buffer.alloc(Math.max(0, size - body.length), 0x5a)]);
}

/** A JPEG with an APP0 segment before its SOF0 frame header. */
function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof0 = Buffer.from([0xff, 0xc0, 0x00, 0x11, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof0, Buffer.from([0xff, 0xd9])]);
}

/** A PCM WAV of `seconds` of silence (mono, 8 kHz, 16-bit: 16,000 bytes a second). */
function wav(seconds: number): Buffer {
  const data = Buffer.alloc(Math.round(seconds * 16_000));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16_000, 28); // byte rate
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** An ISO BMFF box. */
function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/**
 * An MP4 with its `moov` after the media data (as cameras write them):
 * version 1 `mvhd` (64-bit times), an audio track, then a video track.
 */
function mp4(timescale: number, units: number, width: number, height: number): Buffer {
  const mvhd = Buffer.alloc(112);
  mvhd[0] = 1;
  mvhd.writeUInt32BE(timescale, 20);
  mvhd.writeBigUInt64BE(BigInt(units), 24);
  const tkhd = (w: number, h: number) => {
    const body = Buffer.alloc(84); // version 0
    body.writeUInt32BE(w << 16, 76);
    body.writeUInt32BE(h << 16, 80);
    return box('tkhd', body);
  };
  const ftyp = box('ftyp', Buffer.from('isom\0\0\0\0isomavc1', 'latin1'));
  return Buffer.concat([ftyp, box('mdat', Buffer.alloc(4096, 0x11)), box('moov', box('mvhd', mvhd), box('trak', tkhd(0, 0)), box('trak', tkhd(width, height)))]);
}

/** An MPEG-1 Layer III stream at 128 kbit/s, 44.1 kHz stereo, after an ID3v2 tag; with a Xing header when `frames` is given. */
function mp3(bytes: number, frames?: number): Buffer {
  const id3 = Buffer.from([...Buffer.from('ID3'), 4, 0, 0, 0, 0, 0x01, 0x00]); // tag body of 128 bytes (synchsafe)
  const frame = Buffer.alloc(bytes);
  frame.set([0xff, 0xfb, 0x90, 0x00]);
  if (frames !== undefined) {
    frame.write('Xing', 4 + 32, 'latin1');
    frame.writeUInt32BE(1, 4 + 32 + 4); // frames field present
    frame.writeUInt32BE(frames, 4 + 32 + 8);
  }
  return Buffer.concat([id3, Buffer.alloc(128), frame]);
}

async function pair(names: [string, string]): Promise<{ tom: IMClient; bob: IMClient }> {
  const [tomId, bobId] = env.names(...names);
  const tom = await env.login(tomId, { plugins });
  const bob = await env.login(bobId, { plugins });
  return { tom, bob };
}

describe('image headers', () => {
  test('PNG, GIF and JPEG sizes are read from their first bytes', () => {
    assert.deepEqual(readImageSize(png(640, 480)), { width: 640, height: 480 });
    const gif = Buffer.from([...Buffer.from('GIF89a'), 0x40, 0x01, 0xc8, 0x00, 0, 0, 0]);
    assert.deepEqual(readImageSize(gif), { width: 320, height: 200 });
    assert.deepEqual(readImageSize(jpeg(1024, 768)), { width: 1024, height: 768 });
    assert.equal(readImageSize(png(640, 480).subarray(0, 20)), undefined, 'cut short');
    assert.equal(readImageSize(Buffer.from('<html>')), undefined);
  });
});

describe('media durations', () => {
  test('WAV, MP4 (moov last, 64-bit mvhd, video size from its track) and MP3 (Xing and constant bit rate) are read from their bytes', () => {
    assert.deepEqual(readMediaDuration(wav(2.5)), { duration: 2.5 });
    assert.deepEqual(readMediaDuration(mp4(600, 4500, 1280, 720)), { duration: 7.5, width: 1280, height: 720 });
    assert.deepEqual(readMediaDuration(mp3(417, 100)), { duration: (100 * 1152) / 44100 });
    assert.deepEqual(readMediaDuration(mp3(16_000)), { duration: 1 }, '16,000 bytes at 128 kbit/s');
    assert.equal(readMediaDuration(Buffer.from('%PDF-1.4')), undefined);
    assert.equal(readMediaDuration(mp4(600, 4500, 1280, 720).subarray(0, 64)), undefined, 'moov cut off');
  });
});

describe('富媒体消息 (rich media messages)', () => {
  test('图像消息: a saved image is sent with text, attributes and metadata; its URL serves the same bytes', async () => {
    const { tom, bob } = await pair(['Tom', 'Bob']);
    const conversation = await tom.createConversation({ members: [bob.id] });
    const bytes = png(300, 200, 200_000);
    const progress: UploadProgress[] = [];
    const file = await new LcFile('avatar.png', bytes).save({ client: tom, onprogress: (event) => progress.push(event) });
    assert.match(file.id!, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      { ...file.metaData() },
      { name: 'avatar.png', size: bytes.length, format: 'png', width: 300, height: 200 },
    );
    assert.ok(progress.length >= 3, `progress events: ${progress.length}`);
    assert.deepEqual(progress.map((event) => event.loaded), [...progress.map((event) => event.loaded)].sort((a, b) => a - b), 'monotonic');
    assert.equal(progress.at(-1)!.percent, 100);
    assert.equal(progress.at(-1)!.total, bytes.length);

    const message = new ImageMessage(file);
    message.setText('发自我的小米');
    message.setAttributes({ location: '旧金山' });
    const got = nextEvent(bob, 'message');
    await conversation.send(message);
    const [received] = await got;
    assert.ok(received instanceof ImageMessage, `got ${received.constructor.name}`);
    assert.equal(received.type, ImageMessage.TYPE);
    assert.equal(ImageMessage.TYPE, -2);
    assert.equal(received.text, '发自我的小米');
    assert.deepEqual(received.attributes, { location: '旧金山' });
    const receivedFile = received.getFile();
    assert.equal(receivedFile.id, file.id);
    assert.equal(receivedFile.name(), 'avatar.png');
    assert.equal(receivedFile.metaData('width'), 300);
    assert.equal(receivedFile.metaData('height'), 200);
    assert.equal(receivedFile.metaData('size'), bytes.length);
    assert.equal(received.summary, '[图片] avatar.png');
    const download = await fetch(receivedFile.url()!);
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes);
  });

  test('文件消息 from a Node stream, uploaded with the app key of the Realtime', async () => {
    const { tom, bob } = await pair(['Tom', 'Bob']);
    const conversation = await tom.createConversation({ members: [bob.id] });
    const chunks = [Buffer.from('%PDF-1.4\n'), Buffer.alloc(70_000, 0x41), Buffer.from('\n%%EOF\n')];
    const file = await new LcFile('report.pdf', Readable.from(chunks)).save({ realtime: env.realtimes.at(-2)! });
    const message = new FileMessage(file);
    const got = nextEvent(bob, 'message');
    await conversation.send(message);
    const [received] = await got;
    assert.ok(received instanceof FileMessage && !(received instanceof ImageMessage));
    assert.equal(received.type, -6);
    const receivedFile = received.getFile();
    assert.equal(receivedFile.metaData('size'), Buffer.concat(chunks).length);
    assert.equal(receivedFile.metaData('format'), 'pdf');
    assert.equal(receivedFile.metaData('width'), undefined);
    assert.deepEqual(Buffer.from(await (await fetch(receivedFile.url()!)).arrayBuffer()), Buffer.concat(chunks));
  });

  test('音频消息 from a Node Buffer carries the duration the SDK read from the WAV', async () => {
    const { tom, bob } = await pair(['Tom', 'Bob']);
    const conversation = await tom.createConversation({ members: [bob.id] });
    const file = await new LcFile('voice.wav', wav(1.25)).save({ realtime: env.realtimes.at(-2)! });
    const got = nextEvent(bob, 'message');
    await conversation.send(new AudioMessage(file));
    const [received] = await got;
    assert.ok(received instanceof AudioMessage);
    assert.equal(received.getFile().metaData('duration'), 1.25);
    assert.equal(received.getFile().metaData('format'), 'wav');
  });

  test('a Blob (as from a browser file input) is uploaded with progress and its image size read', async () => {
    const [tomId] = env.names('Tom');
    const tom = await env.login(tomId, { plugins });
    const gif = Buffer.concat([Buffer.from([...Buffer.from('GIF89a'), 0x20, 0x00, 0x10, 0x00]), Buffer.alloc(150_000, 0)]);
    const blob = new Blob([gif], { type: 'image/gif' });
    const progress: number[] = [];
    const file = await new LcFile('anim', blob).save({ client: tom, onprogress: ({ percent }) => progress.push(percent) });
    assert.equal(file.mimeType, 'image/gif', 'the Blob type, not the extensionless name');
    assert.equal(file.metaData('width'), 32);
    assert.equal(file.metaData('height'), 16);
    assert.equal(file.metaData('format'), 'gif');
    assert.ok(progress.length > 2 && progress.at(-1) === 100, `progress ${progress.join(',')}`);
    assert.deepEqual(Buffer.from(await (await fetch(file.url()!)).arrayBuffer()), gif);
  });

  test('an image from a URL is sent without an upload; metaData set by hand travels', async () => {
    const { tom, bob } = await pair(['Tom', 'Bob']);
    const conversation = await tom.createConversation({ members: [bob.id] });
    const file = LcFile.withURL('萌妹子', 'http://pic2.zhimg.com/6c10e6053c739ed0ce676a0aff15cf1c.gif');
    assert.equal(await file.save(), file, 'save() of a URL file uploads nothing');
    file.metaData('width', 120).metaData('height', 90);
    const got = nextEvent(bob, 'message');
    await conversation.send(new ImageMessage(file).setText('萌妹子一枚'));
    const [received] = await got;
    assert.ok(received instanceof ImageMessage);
    assert.equal(received.getFile().url(), 'http://pic2.zhimg.com/6c10e6053c739ed0ce676a0aff15cf1c.gif');
    assert.equal(received.getFile().id, undefined);
    assert.deepEqual(received.getFile().metaData(), { name: '萌妹子', width: 120, height: 90 });
  });

  test('地理位置消息: a GeoPoint is sent and received', async () => {
    const { tom, bob } = await pair(['Tom', 'Bob']);
    const conversation = await tom.createConversation({ members: [bob.id] });
    const message = new LocationMessage(new GeoPoint(31.3753285, 120.9664658));
    message.setText('新开的蛋糕店!耗子咱们有福了…');
    const got = nextEvent(bob, 'message');
    await conversation.send(message);
    const [received] = await got;
    assert.ok(received instanceof LocationMessage);
    assert.equal(received.type, -5);
    assert.deepEqual(received.getLocation().toJSON(), { latitude: 31.3753285, longitude: 120.9664658 });
    assert.equal(received.summary, '[位置] 新开的蛋糕店!耗子咱们有福了…');
    assert.throws(() => new GeoPoint(91, 0), RangeError);
  });

  test('a file without a type of its own takes the type the server found in its bytes; a cancelled save rejects with AbortError', async () => {
    const [tomId] = env.names('Tom');
    const tom = await env.login(tomId, { plugins });
    const file = new LcFile('snapshot', png(3, 2));
    assert.equal(file.mimeType, 'application/octet-stream', 'nothing to guess from before the upload');
    await file.save({ client: tom });
    assert.equal(file.mimeType, 'image/png');
    assert.equal(file.metaData('format'), 'png');
    await assert.rejects(new LcFile('a.png', png(1, 1)).save({ client: tom, signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  test('unsaved files cannot be sent; refused uploads say why', async () => {
    const [tomId] = env.names('Tom');
    const tom = await env.login(tomId, { plugins });
    assert.throws(() => new ImageMessage(new LcFile('a.png', png(1, 1))), /saved/);
    await assert.rejects(new LcFile('a.png', png(1, 1)).save(), /needs a client/);
    await assert.rejects(new LcFile('a.png', png(1, 1)).save({ server: env.server.httpUrl, appId: env.server.appId }), /sessionToken or an appKey/);
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    await assert.rejects(new LcFile('evil.png', html).save({ client: tom }), (error: unknown) => {
      assert.ok(error instanceof UploadError);
      assert.equal(error.status, 415);
      assert.match(error.message, /not image\/png/);
      return true;
    });
    await assert.rejects(
      new LcFile('a.png', png(1, 1)).save({ server: env.server.wsUrl, appId: env.server.appId, appKey: 'wrong' }),
      (error: unknown) => error instanceof UploadError && error.status === 401,
    );
  });
});

describe('the official typed-messages payload shapes', () => {
  const officialImage = {
    _lctype: -2,
    _lctext: 'official',
    _lcattrs: { from: 'official' },
    _lcfile: {
      url: 'https://files.example.com/cat.jpg',
      objId: '5b0e5d5f9f545400315d4e1c',
      metaData: { name: 'cat.jpg', format: 'jpg', size: 1234, width: 64, height: 48 },
    },
  };
  const officialLocation = { _lctype: -5, _lctext: 'here', _lcloc: { latitude: 31.3753285, longitude: 120.9664658 } };

  test('ours serialize to them', async () => {
    const file = LcFile.fromJSON(officialImage._lcfile);
    const image = new ImageMessage(file).setText('official').setAttributes({ from: 'official' });
    assert.deepEqual(image.toJSON(), officialImage);
    assert.deepEqual(new LocationMessage({ latitude: 31.3753285, longitude: 120.9664658 }).setText('here').toJSON(), officialLocation);
    for (const [Class, type] of [[FileMessage, -6], [ImageMessage, -2], [AudioMessage, -3], [VideoMessage, -4], [LocationMessage, -5]] as const) {
      assert.equal(Class.TYPE, type);
    }
  });

  test('raw payloads in them arrive as our classes (and patched-in objIds are optional)', async () => {
    const [tomId, bobId] = env.names('Tom', 'Bob');
    const tom = await env.login(tomId); // no plugin: sends the raw JSON as a plain message
    const bob = await env.login(bobId, { plugins });
    const conversation = await tom.createConversation({ members: [bobId] });
    const withoutId = { _lctype: -6, _lcfile: { url: 'https://files.example.com/a.bin', metaData: { name: 'a.bin', size: 3 } } };
    const got = collectMessages(bob, 3);
    await conversation.send(new Message(officialImage));
    await conversation.send(new Message(officialLocation));
    await conversation.send(new Message(withoutId));
    const [[image], [location], [file]] = await got;
    assert.ok(image instanceof ImageMessage);
    assert.equal(image.getFile().url(), officialImage._lcfile.url);
    assert.equal(image.getFile().id, officialImage._lcfile.objId);
    assert.deepEqual(image.getFile().metaData(), officialImage._lcfile.metaData);
    assert.deepEqual(image.attributes, { from: 'official' });
    assert.ok(location instanceof LocationMessage);
    assert.equal(location.getLocation().latitude, 31.3753285);
    assert.ok(file instanceof FileMessage);
    assert.equal(file.getFile().id, undefined);
    assert.equal(file.getFile().name(), 'a.bin');
  });

  const officialRealtimes: OfficialRealtime[] = [];
  after(() => {
    for (const realtime of officialRealtimes) (realtime as unknown as { _close(): void })._close();
  });
  const require = createRequire(import.meta.url);

  for (const sdk of [v3, v4]) {
    test(`the official SDK ${sdk.version} gets our ImageMessage payload intact, and sends one we read`, async () => {
      const [tomId, jerryId] = env.names('Tom', `Jerry-${sdk.version}`);
      const tom = await env.login(tomId, { plugins });
      const realtime = sdk.realtime({ appId: env.server.appId, appKey: env.server.appKey, wsUrl: env.server.wsUrl });
      officialRealtimes.push(realtime);
      const jerry: OfficialClient = await realtime.createIMClient(jerryId);
      const conversation = await tom.createConversation({ members: [jerryId] });

      const file = await new LcFile('cat.jpg', jpeg(64, 48)).save({ client: tom });
      const image = new ImageMessage(file).setText('meow').setAttributes({ n: 1 });
      const jerryGets = officialEvent<[OfficialMessage, OfficialConversation]>(jerry, 'message');
      await conversation.send(image);
      const [officialMessage] = await jerryGets;
      // Without the official plugin the message keeps its payload as content.
      const content: unknown = typeof officialMessage.content === 'string' ? JSON.parse(officialMessage.content) : officialMessage.content;
      assert.deepEqual(content, image.toJSON());
      assert.deepEqual((content as { _lcfile: { metaData: unknown } })._lcfile.metaData, { name: 'cat.jpg', size: jpeg(64, 48).length, format: 'jpeg', width: 64, height: 48 });

      // The official SDK sends a payload in the official plugin's shape.
      const { Message: OfficialMessageClass } = require(sdk.version === '3.5.7' ? 'lc3' : 'lc4') as { Message: new (content: unknown) => unknown };
      const officialConversation = await jerry.getConversation(conversation.id);
      const tomGets = nextEvent(tom, 'message');
      await officialConversation.send(new OfficialMessageClass(officialImage));
      const [ours] = await tomGets;
      assert.ok(ours instanceof ImageMessage);
      assert.deepEqual(ours.toJSON(), officialImage);
    });
  }
});

describe('messages no class can parse', () => {
  test('an unregistered type, a non-JSON payload and a malformed image reach the handler; the connection stays up', async () => {
    const [tomId, bobId] = env.names('Tom', 'Bob');
    const tom = await env.login(tomId);
    const bob = await env.login(bobId, { plugins });
    const conversation = await tom.createConversation({ members: [bobId] });
    const got = collectMessages(bob, 5);
    await conversation.send(new Message({ _lctype: 42, news: 'headline' }));
    await conversation.send(new Message('{"_lctype": -1, oops'));
    await conversation.send(new Message('plain words'));
    await conversation.send(new Message({ _lctype: -2, _lctext: 'no file' }));
    await conversation.send(new TextMessage('still connected'));
    const messages = (await got).map(([message]) => message);
    assert.ok(!(messages[0] instanceof TypedMessage));
    assert.deepEqual(messages[0]!.content, { _lctype: 42, news: 'headline' });
    assert.equal(messages[1]!.content, '{"_lctype": -1, oops');
    assert.equal(messages[2]!.content, 'plain words');
    assert.ok(!(messages[3] instanceof ImageMessage), 'a malformed image is a plain message');
    assert.deepEqual(messages[3]!.content, { _lctype: -2, _lctext: 'no file' });
    assert.ok(messages[4] instanceof TextMessage);
    assert.equal(messages[4].text, 'still connected');
    assert.equal(bob.closed, false);
  });
});
