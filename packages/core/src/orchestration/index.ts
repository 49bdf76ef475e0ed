export * from './dag.js';
export {
  type DurableDagNode,
  type DurableDagOptions,
  type DurableDagResult,
  type DurableTaskContext,
  resolveWorkflowSuspension,
  runDurableDag,
  type SuspendRequest,
} from './durable-dag.js';
export * from './patterns.js';
export { type Prioritized, PriorityQueue } from './priority-queue.js';
export * from './scheduler.js';
export * from './supervisor.js';
export * from './task.js';
