/**
 * File, image, audio and video messages (types -6, -2, -3, -4) in the
 * official typed-messages plugin's payload shape:
 * `{_lctype, _lctext?, _lcattrs?, _lcfile: {url, objId, metaData: {name, format, size, width?, height?, duration?}}}`.
 */
import { messageType } from '../messages/decorators.js';
import type { Message } from '../messages/message.js';
import { TypedMessage, type TypedMessagePayload } from '../messages/typed-message.js';
import { LcFile, type LcFileJSON } from './lc-file.js';

/** The payload of a file message. */
export interface FileMessagePayload extends TypedMessagePayload {
  _lcfile: LcFileJSON;
}

/** A message carrying a file, type -6; base of the image, audio and video messages. */
export class FileMessage extends TypedMessage {
  /** Shown in {@link FileMessage.summary}, as the official plugin does. */
  protected static summaryLabel = '文件';

  #file: LcFile;

  /**
   * @param file a saved file (`await file.save(…)`) or one made with `LcFile.withURL`
   * @throws TypeError if `file` is not an LcFile
   * @throws Error if the file has no URL yet (not saved)
   */
  constructor(file: LcFile) {
    super();
    if (!(file instanceof LcFile)) throw new TypeError(`${String(file)} is not an LcFile`);
    if (file.url() === undefined) throw new Error(`file ${file.name()} must be saved before it is sent in a message`);
    this.#file = file;
  }

  /** The file: `url()`, `name()`, `metaData('width')`, … */
  getFile(): LcFile {
    return this.#file;
  }

  /** `[文件] name`, `[图片] name`, … for conversation lists and notifications. */
  override get summary(): string {
    return `[${(this.constructor as typeof FileMessage).summaryLabel}] ${this.#file.name()}`.trim();
  }

  override toJSON(): FileMessagePayload {
    return { ...super.toJSON(), _lcfile: this.#file.toJSON() };
  }

  override getPayload(): FileMessagePayload {
    return this.toJSON();
  }

  /**
   * Reads `_lcfile` (a missing `objId` is tolerated, as by the official plugin).
   * @throws Error if the payload has no `_lcfile` with a URL: the registry
   *   then delivers it as a plain message
   */
  static override parse(json: unknown, message?: Message): Message {
    const lcfile = isRecord(json) ? json._lcfile : undefined;
    if (!isRecord(lcfile) || typeof lcfile.url !== 'string') throw new Error('malformed file message: no _lcfile.url');
    const file = LcFile.fromJSON(lcfile as unknown as LcFileJSON);
    return super.parse(json, message ?? new this(file));
  }
}
messageType(-6)(FileMessage);

/** An image message, type -2: `getFile().metaData('width' | 'height')` in pixels. */
export class ImageMessage extends FileMessage {
  protected static override summaryLabel = '图片';
}
messageType(-2)(ImageMessage);

/** An audio message, type -3: `getFile().metaData('duration')` in seconds. */
export class AudioMessage extends FileMessage {
  protected static override summaryLabel = '语音';
}
messageType(-3)(AudioMessage);

/** A video message, type -4: `getFile().metaData('duration')` in seconds. */
export class VideoMessage extends FileMessage {
  protected static override summaryLabel = '视频';
}
messageType(-4)(VideoMessage);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
