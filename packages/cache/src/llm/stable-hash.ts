// Core owns request hashing (the LLM response cache keys live there); the cache package uses the same one.
export { canonicalJson, stableHash } from '@agenticgen/core';
