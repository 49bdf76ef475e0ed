export * from './noop-meter.js';
export * from './with-span.js';
