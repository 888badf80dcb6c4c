/**
 * The codec where browsers run it: no Node Buffer, so strings go through
 * TextEncoder/TextDecoder and the codec's own loops, base64 through
 * btoa/atob, and decoded bytes are Uint8Arrays. Compared with the
 * protobufjs static code it replaced (test/helpers/protobufjs-reference.js),
 * which runs here too.
 */
import { expect } from '@esm-bundle/chai';
import { CommandType, OpType, base64ToBytes, bytesToBase64, decodeCommand, encodeCommand, has, type Command } from '../../src/protocol/codec.js';
import { push_server } from '../helpers/protobufjs-reference.js';

const Reference = push_server.messages2.GenericCommand;
const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

describe('the protobuf codec in Chromium', () => {
  it('has no Node Buffer to lean on here', () => {
    expect((globalThis as { Buffer?: unknown }).Buffer).to.equal(undefined);
  });

  it('writes the bytes protobufjs writes, and reads them back, for short, long and non-ASCII strings', () => {
    const texts = ['', 'hi', 'é', '文字', '😀 emoji', 'x'.repeat(40), 'y'.repeat(41), '長'.repeat(100), 'z'.repeat(20_000) + '🚉'];
    for (const text of texts) {
      const command: Command = {
        cmd: CommandType.direct,
        op: OpType.open,
        peerId: text,
        serverTs: Date.UTC(2026, 11, 6),
        directMessage: { cid: 'c'.repeat(24), msg: text, timestamp: -5, binaryMsg: new Uint8Array([0, 255, 7]), toPeerIds: [text, 'b'] },
        convMessage: { results: { data: text }, failedPids: [{ code: 4401, reason: text }] },
      };
      const ours = encodeCommand(command);
      expect(hex(ours), `${text.length} characters`).to.equal(hex(Reference.encode(command).finish()));
      const decoded = decodeCommand(new Uint8Array(ours));
      expect(decoded.peerId).to.equal(text);
      expect(decoded.directMessage?.msg).to.equal(text);
      expect(decoded.directMessage?.toPeerIds).to.deep.equal([text, 'b']);
      expect(decoded.directMessage?.timestamp).to.equal(-5);
      expect(Array.from(decoded.directMessage!.binaryMsg!)).to.deep.equal([0, 255, 7]);
      expect(decoded.convMessage?.results?.data).to.equal(text);
      expect(decoded.serverTs).to.equal(Date.UTC(2026, 11, 6));
      expect(has(decoded, 'appId')).to.equal(false);
    }
  });

  it('reads invalid UTF-8 as U+FFFD and writes a lone surrogate as U+FFFD, short or long', () => {
    expect(decodeCommand(new Uint8Array([0x22, 0x03, 0x61, 0xff, 0x62])).peerId).to.equal('a\ufffdb');
    expect(decodeCommand(encodeCommand({ peerId: 'a\ud800' })).peerId).to.equal('a\ufffd');
    expect(decodeCommand(encodeCommand({ peerId: 'a'.repeat(50) + '\udc00' })).peerId).to.equal('a'.repeat(50) + '\ufffd');
  });

  it('refuses a string that runs past the end of the frame', () => {
    expect(() => decodeCommand(new Uint8Array([0x08, 0x02, 0x1a, 0x05, 0x61, 0x62]))).to.throw(RangeError);
  });

  it('base64 both ways without Buffer', () => {
    for (let length = 0; length < 50; length++) {
      const bytes = Uint8Array.from({ length }, (_, n) => (n * 37 + length) & 255);
      const text = bytesToBase64(bytes);
      expect(text).to.equal(btoa(String.fromCharCode(...bytes)));
      expect(Array.from(base64ToBytes(text))).to.deep.equal(Array.from(bytes));
      expect(Array.from(base64ToBytes(text.replace(/=+$/, '')))).to.deep.equal(Array.from(bytes));
    }
    const large = Uint8Array.from({ length: 100_000 }, (_, n) => n & 255);
    expect(Array.from(base64ToBytes(bytesToBase64(large)))).to.deep.equal(Array.from(large));
    for (const bad of ['A', 'AAAAA', 'AA=A', 'AA AA', '****']) expect(() => base64ToBytes(bad), bad).to.throw();
  });
});
