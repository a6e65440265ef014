export * from './accounts.js';
export * from './api-key.js';
export * from './config.js';
export * from './errors.js';
export * from './extension-identity.js';
export * from './status.js';
export * from './control/envelope.js';
export * from './control/messages.js';
