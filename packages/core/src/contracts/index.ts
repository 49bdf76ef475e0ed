export type * from './cache-store.js';
export type * from './chat-model.js';
export type * from './code-sandbox.js';
export type * from './embedder.js';
export type * from './meter.js';
export type * from './ranker.js';
export type * from './vector-store.js';
