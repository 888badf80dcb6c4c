/**
 * The browser codec (src/protocol/proto-codec.browser.ts, which package.json
 * `"browser"` puts in the built files and in an app's bundle) in Chromium,
 * imported by name: this runner does not apply `"browser"` to the package's
 * own imports, so test/browser/codec.test.ts runs the Node codec here.
 * Compared with the protobufjs static code (test/helpers/protobufjs-reference.js)
 * and with the SDK's client schema.
 */
import { expect } from '@esm-bundle/chai';
import { CLIENT_SCHEMA, CommandType, OpType, SCHEMA } from '../../src/protocol/generated/message.js';
import { base64ToBytes, bytesToBase64, compileSchema, decodeMessage, encodeMessage } from '../../src/protocol/proto-codec.browser.js';
import { push_server } from '../helpers/protobufjs-reference.js';

const Reference = push_server.messages2.GenericCommand;
const GENERIC = compileSchema(SCHEMA).GenericCommand!;
const CLIENT = compileSchema(CLIENT_SCHEMA).GenericCommand!;
const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
type Decoded = Record<string, Record<string, unknown> | unknown>;

describe('the browser codec in Chromium', () => {
  it('writes the bytes protobufjs writes and reads them back, for short, long and non-ASCII strings, with both schemas', () => {
    const texts = ['', 'hi', 'é', '文字', '😀 emoji', '\ufeffBOM', 'x'.repeat(40), '長'.repeat(100), 'z'.repeat(20_000) + '🚉'];
    for (const text of texts) {
      const command = {
        cmd: CommandType.direct,
        op: OpType.open,
        peerId: text,
        directMessage: { cid: 'c'.repeat(24), msg: text, timestamp: -5, binaryMsg: new Uint8Array([0, 255, 7]), toPeerIds: [text, 'b'] },
        convMessage: { results: { data: text }, failedPids: [{ code: 4401, reason: text }], tempConvTTL: -1 },
        ackMessage: { t: 1_765_024_200_000, tots: 2 ** 53 - 1 },
      };
      const expected = hex(Reference.encode(command).finish());
      for (const type of [GENERIC, CLIENT]) {
        const ours = encodeMessage(type, command);
        expect(hex(ours), `${text.length} characters`).to.equal(expected);
        const decoded = decodeMessage(type, new Uint8Array(ours)) as Decoded;
        const reference = Reference.decode(ours) as unknown as Decoded;
        expect(decoded.peerId).to.equal(text);
        expect(JSON.stringify(decoded.directMessage)).to.equal(JSON.stringify({ ...(reference.directMessage as object), binaryMsg: { 0: 0, 1: 255, 2: 7 } }));
        expect((decoded.convMessage as { failedPids: { reason: string }[] }).failedPids[0]!.reason).to.equal(text);
        expect((decoded.convMessage as { tempConvTTL: number }).tempConvTTL).to.equal(-1);
        expect((decoded.ackMessage as { tots: number }).tots).to.equal(2 ** 53 - 1);
        expect(Object.prototype.hasOwnProperty.call(decoded, 'appId')).to.equal(false);
        expect(decoded.appId).to.equal('');
      }
    }
  });

  it('throws on malformed bytes as the Node codec does', () => {
    expect(() => decodeMessage(GENERIC, new Uint8Array([0x08, 0x02, 0x1a, 0x05, 0x61, 0x62]))).to.throw(RangeError);
    expect(() => decodeMessage(GENERIC, new Uint8Array([0x08, 0x02, 0x28, 0xff]))).to.throw(RangeError);
    expect(() => decodeMessage(GENERIC, new Uint8Array([0x08, 0x02, 0x7e]))).to.throw(RangeError);
    expect(() => decodeMessage(GENERIC, new Uint8Array([0x08, 0x02, 0xba, 0x06, 0x02, 0x08, 0x01])), 'a missing required field').to.throw(Error);
  });

  it('base64 both ways with btoa and atob', () => {
    for (let length = 0; length < 50; length++) {
      const bytes = Uint8Array.from({ length }, (_, n) => (n * 37 + length) & 255);
      const text = bytesToBase64(bytes);
      expect(text).to.equal(btoa(String.fromCharCode(...bytes)));
      expect(Array.from(base64ToBytes(text.replace(/=+$/, '')))).to.deep.equal(Array.from(bytes));
    }
    for (const bad of ['A', 'AAAAA', 'AA=A', 'AA AA', '****']) expect(() => base64ToBytes(bad), bad).to.throw();
  });
});
