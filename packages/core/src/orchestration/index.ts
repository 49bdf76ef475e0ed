export * from './dag.js';
export * from './patterns.js';
export { type Prioritized, PriorityQueue } from './priority-queue.js';
export * from './scheduler.js';
export * from './supervisor.js';
export * from './task.js';
