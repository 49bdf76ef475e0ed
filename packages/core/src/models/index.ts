export * from './collect-stream.js';
export * from './stream-from-response.js';
