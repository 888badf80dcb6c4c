/**
 * `lc-chat/typed-messages`: image, audio, video, file and location
 * messages, compatible with the official typed-messages plugin, and the
 * `LcFile` they carry (guide: 富媒体消息).
 *
 * ```ts
 * import { Realtime } from 'lc-chat';
 * import { TypedMessagesPlugin, ImageMessage, LcFile } from 'lc-chat/typed-messages';
 * const realtime = new Realtime({ appId, server, plugins: [TypedMessagesPlugin] });
 * const client = await realtime.createIMClient('Tom');
 * const file = await new LcFile('cat.jpg', input.files[0]).save({ client });
 * await conversation.send(new ImageMessage(file).setText('发自我的小米'));
 * ```
 */
export { TypedMessagesPlugin } from './plugin.js';
export { FileMessage, ImageMessage, AudioMessage, VideoMessage, type FileMessagePayload } from './file-message.js';
export { LocationMessage, GeoPoint, type GeoPointLike, type LocationMessagePayload } from './location-message.js';
export { LcFile, guessMimeType, type LcFileData, type LcFileJSON, type LcFileMetaData, type LcFileSaveOptions } from './lc-file.js';
export { UploadError, type UploadProgress, type UploadedFile } from './upload.js';
export { readImageSize, type ImageSize } from './image-size.js';
export { readMediaDuration } from './media-duration.js';
export type { MediaInfo } from './media-info.js';
