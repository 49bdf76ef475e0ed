export { type CollectStreamOptions, collectStream } from './collect-stream.js';
export { partsFromResponse, type StreamFromResponseOptions, streamFromResponse } from './stream-from-response.js';
