export * from './coding-agent.js';
export * from './creative-agent.js';
export * from './research-agent.js';
