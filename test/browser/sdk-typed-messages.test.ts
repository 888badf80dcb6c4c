/**
 * LcFile in Chromium: a File from an input is uploaded over XMLHttpRequest
 * with progress events, its image size decoded by the browser when the
 * header reader does not know the format, and an ImageMessage carrying it
 * arrives with that metadata.
 */
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { Realtime, type Message } from '../../src/sdk/index.js';
import { ImageMessage, LcFile, TypedMessagesPlugin, type UploadProgress } from '../../src/sdk/typed-messages/index.js';

/** A WebP image drawn on a canvas: a format only the browser can measure. */
async function canvasImage(width: number, height: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#c33';
  context.fillRect(0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no blob'))), 'image/webp'));
}

describe('rich media in Chromium', () => {
  it('uploads a File with XHR progress and sends it as an ImageMessage with its size', async () => {
    const info = (await executeServerCommand('lc-server', { action: 'info' })) as { wsUrl: string; appId: string };
    const realtime = new Realtime({ appId: info.appId, server: info.wsUrl, plugins: [TypedMessagesPlugin] });
    try {
      const suffix = Math.random().toString(36).slice(2, 8);
      const tom = await realtime.createIMClient(`typed-tom-${suffix}`);
      const bob = await new Realtime({ appId: info.appId, server: info.wsUrl, plugins: [TypedMessagesPlugin] }).createIMClient(`typed-bob-${suffix}`);
      const picture = new File([await canvasImage(123, 45)], 'drawing.webp', { type: 'image/webp' });
      const progress: UploadProgress[] = [];
      const file = await new LcFile(picture.name, picture).save({ client: tom, onprogress: (event) => progress.push(event) });
      expect(file.metaData('width')).to.equal(123);
      expect(file.metaData('height')).to.equal(45);
      expect(file.metaData('size')).to.equal(picture.size);
      expect(progress.length).to.be.greaterThan(0);
      expect(progress.at(-1)!.loaded).to.equal(picture.size);

      const conversation = await tom.createConversation({ members: [bob.id] });
      const received = new Promise<Message>((resolve) => bob.on('message', resolve));
      await conversation.send(new ImageMessage(file).setText('drawn'));
      const message = await received;
      expect(message).to.be.instanceOf(ImageMessage);
      const got = (message as ImageMessage).getFile();
      expect(got.metaData('width')).to.equal(123);
      const download = await fetch(got.url()!);
      expect(new Uint8Array(await download.arrayBuffer())).to.deep.equal(new Uint8Array(await picture.arrayBuffer()));
      await bob.close();
    } finally {
      await realtime.close();
    }
  });

  it('an upload whose signal is already aborted rejects with AbortError and uploads nothing', async () => {
    const info = (await executeServerCommand('lc-server', { action: 'info' })) as { wsUrl: string; appId: string };
    const realtime = new Realtime({ appId: info.appId, server: info.wsUrl, plugins: [TypedMessagesPlugin] });
    try {
      const tom = await realtime.createIMClient(`typed-abort-${Math.random().toString(36).slice(2, 8)}`);
      const picture = new File([await canvasImage(4, 4)], 'late.webp', { type: 'image/webp' });
      const progress: UploadProgress[] = [];
      const file = new LcFile(picture.name, picture);
      let failure: unknown;
      await file.save({ client: tom, signal: AbortSignal.abort(), onprogress: (event) => progress.push(event) }).catch((error: unknown) => (failure = error));
      expect((failure as Error | undefined)?.name).to.equal('AbortError');
      expect(file.url()).to.equal(undefined);
      expect(progress).to.deep.equal([]);
    } finally {
      await realtime.close();
    }
  });
});
