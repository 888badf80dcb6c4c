/**
 * The text form of a message: one line for conversation lists,
 * notifications and danmaku. Always plain text (callers render it as text).
 */
import type { Localizer } from '../i18n/localize.js';
import { isRecord, MessageType, type ChatMessage } from '../model/chat-message.js';

/** One line of plain text saying what a message is. */
export function previewText(message: ChatMessage, t: Localizer['t']): string {
  const text = message.text?.replace(/\s+/g, ' ').trim();
  switch (message.type) {
    case MessageType.IMAGE:
      return text ? `${t('preview.image')} · ${text}` : t('preview.image');
    case MessageType.AUDIO:
      return t('preview.audio');
    case MessageType.VIDEO:
      return t('preview.video');
    case MessageType.LOCATION:
      return t('preview.location');
    case MessageType.FILE: {
      const file = isRecord(message.payload) && isRecord(message.payload._lcfile) ? message.payload._lcfile : undefined;
      const meta = file && isRecord(file.metaData) ? file.metaData : undefined;
      return t('preview.file', { name: typeof meta?.name === 'string' ? meta.name : '' });
    }
    case MessageType.RECALLED:
      return t('message.recalled');
    default:
      return text || (typeof message.payload === 'string' ? message.payload : t('preview.other'));
  }
}
