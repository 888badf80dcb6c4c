import { messageType } from './decorators.js';
import { TypedMessage } from './typed-message.js';

/** A text message, type -1. */
export class TextMessage extends TypedMessage {
  /** @param text the text */
  constructor(text = '') {
    super();
    if (typeof text !== 'string') throw new TypeError(`${String(text)} is not a string`);
    this.setText(text);
  }
}
messageType(-1)(TextMessage);
