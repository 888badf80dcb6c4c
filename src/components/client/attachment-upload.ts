/**
 * Uploading the widgets' attachments through the SDK (`LcFile#save`) and
 * making their typed messages. Loaded with the first attachment: pages that
 * never send one do not download it, nor the file and typed-message code.
 */
import type { Message } from '../../sdk/index.js';
import type { LcFile } from '../../sdk/typed-messages/lc-file.js';
import type { OutboxFile } from '../cache/chat-cache.js';
import type { SharedClient } from './shared-client.js';

/** An image, audio, video or file message (by the type the server found in the bytes), with its caption and attributes. */
export async function fileMessage(file: LcFile, caption?: string, attributes?: Record<string, unknown>): Promise<Message> {
  const { AudioMessage, FileMessage, ImageMessage, VideoMessage } = await import('../../sdk/typed-messages/file-message.js');
  const family = file.mimeType.split('/')[0];
  const Kind = family === 'image' ? ImageMessage : family === 'audio' ? AudioMessage : family === 'video' ? VideoMessage : FileMessage;
  const message = new Kind(file);
  if (caption) message.setText(caption);
  if (attributes) message.setAttributes(attributes);
  return message;
}

/** Uploads an outbox attachment as the client (`uploadOptions`) and returns its message; throws what the upload threw. */
export async function uploadAttachment(client: SharedClient, file: OutboxFile, signal: AbortSignal, progress: (fraction: number) => void): Promise<Message> {
  const [{ LcFile }, { precheckUpload }] = await Promise.all([import('../../sdk/typed-messages/lc-file.js'), import('./upload-precheck.js')]);
  const lcFile = new LcFile(file.name, file.blob);
  // Refused before a byte is sent: a 21 MB file is not uploaded in full to learn it is too large.
  const refused = await precheckUpload(file.blob, lcFile.mimeType, (await client.limits())?.maxUploadBytes);
  if (refused) throw refused;
  await lcFile.save({ ...(await client.uploadOptions()), signal, onprogress: ({ percent }) => progress(percent / 100) });
  return fileMessage(lcFile, file.caption, file.attributes);
}
