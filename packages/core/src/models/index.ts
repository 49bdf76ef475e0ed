export * from './collect-stream.js';
export * from './response-cache.js';
export * from './stable-hash.js';
export * from './stream-from-response.js';
