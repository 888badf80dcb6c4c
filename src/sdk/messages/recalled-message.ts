import { messageType } from './decorators.js';
import { TypedMessage } from './typed-message.js';

/** Stands in for a message its sender recalled, type -127. */
export class RecalledMessage extends TypedMessage {}
messageType(-127)(RecalledMessage);
