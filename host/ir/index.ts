export type * from './ir-part.js';
export type * from './ir-request.js';
export type * from './ir-response.js';
export type * from './ir-stream-event.js';
export type * from './ir-warning.js';
