export * from './event-bus.js';
export type * from './runtime-events.js';
