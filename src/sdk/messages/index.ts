export { Message } from './message.js';
export { MessageStatus, MessagePriority } from './status.js';
export { TypedMessage, type TypedMessagePayload } from './typed-message.js';
export { TextMessage } from './text-message.js';
export { RecalledMessage } from './recalled-message.js';
export { messageType, messageField, type MessageClassDecorator, type TypedMessageClass } from './decorators.js';
export { type MessageClass } from './registry.js';
