export * from './codec.js';
export * from './errors.js';
export * from './subprotocols.js';
