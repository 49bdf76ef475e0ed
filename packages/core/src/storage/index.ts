export { type AgentStore, createMemoryStore } from './memory-store.js';
export { storeLimits } from './store-input.js';
