export { type DagNode, type DagOptions, type DagResult, runDag, validateDag } from './dag.js';
export {
  type DurableDagNode,
  type DurableDagOptions,
  type DurableDagResult,
  type DurableTaskContext,
  resolveWorkflowSuspension,
  runDurableDag,
  type SuspendRequest,
} from './durable-dag.js';
export {
  agentTask,
  createAgentTask,
  type ParallelOptions,
  type PatternWorker,
  type PipelineOptions,
  runParallel,
  runPipeline,
  type WorkerOutcome,
} from './patterns.js';
export {
  createScheduler,
  type OrchestrationErrorCode,
  type Scheduler,
  type SchedulerEvents,
  type SchedulerOptions,
  type SchedulerStats,
  type TaskEventBase,
} from './scheduler.js';
export {
  createHandoffTool,
  createSupervisor,
  handoffToolPrefix,
  type SupervisedResult,
  type Supervisor,
  type SupervisorOptions,
} from './supervisor.js';
export {
  type BackoffOptions,
  backoffDelay,
  type Task,
  type TaskContext,
  type TaskHandle,
  type TaskStatus,
} from './task.js';
