export {
  abortableUntilStarted,
  abortErrorFrom,
  combineSignals,
  delay,
  isCancellable,
  raceWithSignal,
  throwIfAborted,
  uncancellableSignal,
} from './abort.js';
export {
  AgenticGenError,
  type AgenticGenErrorOptions,
  type CoreErrorCode,
  createErrorFactory,
  type ErrorCode,
  type ErrorCodeInfo,
  type ErrorCodeRegistry,
  type ErrorCodeTable,
  type ScopedErrorFactory,
  type SerializedAgenticGenError,
  toAgenticGenError,
} from './agenticgen-error.js';
export { coreErrorCodes } from './error-codes.js';
