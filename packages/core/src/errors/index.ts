export { abortErrorFrom, combineSignals, delay, raceWithSignal, throwIfAborted } from './abort.js';
export {
  AgenticGenError,
  type AgenticGenErrorOptions,
  type CoreErrorCode,
  type ErrorCode,
  type SerializedAgenticGenError,
  toAgenticGenError,
} from './agenticgen-error.js';
