/**
 * Core's error codes as data: each code's meaning and whether repeating the operation may succeed. This table
 * is the single source of `CoreErrorCode`, of `AgenticGenError`'s default `retryable` flag and of
 * docs/errors.md (`node scripts/errors-doc.mjs`). The file holds data only, so the docs script can load it.
 */

/** What a package declares about one of its error codes. */
export interface ErrorCodeInfo {
  /** Whether repeating the operation may succeed (the default of `AgenticGenError#retryable`). */
  readonly retryable: boolean;
  /** When the code is thrown, in one line (rendered into docs/errors.md). */
  readonly meaning: string;
}

/** A package's declared codes: kebab-case code → its info. */
export type ErrorCodeTable = Readonly<Record<string, ErrorCodeInfo>>;

export const coreErrorCodes = {
  'invalid-argument': { retryable: false, meaning: 'an argument of a call is not acceptable (the message names it)' },
  'dimension-mismatch': {
    retryable: false,
    meaning: "a vector's length differs from the store's dimension (VectorStore contract)",
  },
  'invalid-vector': {
    retryable: false,
    meaning: 'a vector is empty, not numeric, holds NaN/infinity, or is all zeros in a cosine store',
  },
  'invalid-config': { retryable: false, meaning: 'an option of a factory or definition is not acceptable' },
  'validation-failed': {
    retryable: false,
    meaning: 'a value failed its TypeBox schema (`data.errors` lists the paths)',
  },
  'not-found': { retryable: false, meaning: 'the named agent, run, thread, task or entry does not exist' },
  'already-exists': { retryable: false, meaning: 'an agent, plugin, tool or id with that name is already registered' },
  conflict: {
    retryable: false,
    meaning: 'the operation clashes with the current state (a run already active, a stale version)',
  },
  unsupported: { retryable: false, meaning: 'the runtime, model or store lacks the capability the call needs' },
  timeout: { retryable: true, meaning: 'the operation did not finish within its time limit' },
  aborted: { retryable: false, meaning: "the caller's AbortSignal cancelled the operation" },
  internal: {
    retryable: false,
    meaning: 'an unexpected failure inside AgenticGen (the `cause` carries the original error)',
  },
  disposed: { retryable: false, meaning: 'the resource (runtime, manager, scheduler, stream) was disposed' },
  'dispose-failed': { retryable: false, meaning: 'one or more plugins failed while the runtime was disposed' },
  'queue-full': { retryable: false, meaning: 'a bounded queue or buffer reached its configured size' },
  'dependency-missing': {
    retryable: false,
    meaning: 'an optional peer library (a loader, a queue client) is not installed',
  },
  'dependency-cycle': { retryable: false, meaning: 'plugins or DAG nodes depend on each other in a cycle' },
  'plugin-setup-failed': { retryable: false, meaning: "a plugin's `setup` threw while the runtime started" },
  'hook-failed': { retryable: false, meaning: 'a plugin hook threw (the `cause` carries its error)' },
  'listener-failed': {
    retryable: false,
    meaning: 'an event listener threw; reported as an `error` event, never thrown to the emitter',
  },
  'guardrail-tripped': { retryable: false, meaning: 'an input, output or tool-call guardrail stopped the run' },
  'tool-not-found': { retryable: false, meaning: 'the model called a tool that is not registered' },
  'tool-invalid-arguments': { retryable: false, meaning: "the model's tool arguments failed the tool's input schema" },
  'tool-execution-failed': { retryable: false, meaning: "a tool's `execute` threw (the `cause` carries its error)" },
  'tool-outcome-unknown': {
    retryable: false,
    meaning: 'a durable run crashed during a tool call whose effect cannot be known',
  },
  'tool-denied': {
    retryable: false,
    meaning: 'a person denied a tool call that needed approval (sent to the model as the tool result)',
  },
  'tool-rejected': {
    retryable: false,
    meaning: 'a tool-call guardrail rejected the call (sent to the model as the tool result)',
  },
  'run-suspended': { retryable: false, meaning: 'a durable run is waiting for approval and cannot continue yet' },
  'invalid-filter': { retryable: false, meaning: 'a metadata filter uses an unknown operator or a malformed value' },
  'task-failed': {
    retryable: false,
    meaning: 'an orchestration task or DAG node failed (the `cause` carries its error)',
  },
  'dependency-failed': {
    retryable: false,
    meaning: 'a task did not run because a task it depends on failed or was cancelled',
  },
  'deadline-exceeded': {
    retryable: false,
    meaning: 'a task reached its absolute deadline, queued or running (never retried)',
  },
  'result-expired': {
    retryable: false,
    meaning: 'a Redis queue task finished but its job was trimmed (`keepFinished`) before `result()` read it',
  },
  authentication: { retryable: false, meaning: 'the provider refused the credentials (API key missing or invalid)' },
  'permission-denied': { retryable: false, meaning: 'the credentials lack access to the model or resource' },
  'rate-limit': {
    retryable: true,
    meaning: 'the provider or a limiter asked to slow down (`data.retryAfterMs` when known)',
  },
  'context-length': { retryable: false, meaning: "the request exceeds the model's context window" },
  'invalid-request': { retryable: false, meaning: 'the provider rejected the request as malformed' },
  'content-filter': { retryable: false, meaning: "the provider's content policy refused the request or the answer" },
  server: { retryable: true, meaning: 'the provider or a remote service failed (HTTP 5xx)' },
  network: { retryable: true, meaning: 'the connection failed before an answer arrived' },
  overloaded: { retryable: true, meaning: 'the provider is overloaded (HTTP 529/503)' },
  'invalid-response': { retryable: false, meaning: 'a model, embedder or service answered with something unusable' },
  'invalid-output': {
    retryable: false,
    meaning: "the model's structured output failed its schema after all repair attempts",
  },
  'output-refused': { retryable: false, meaning: 'the model refused to produce the structured output' },
  'mock-exhausted': {
    retryable: false,
    meaning: 'a mock chat model (testing) was called more often than it has scripted answers',
  },
} as const satisfies ErrorCodeTable;

/** Codes core throws; packages add theirs to `ErrorCodeRegistry` (see `AgenticGenError`). */
export type CoreErrorCode = keyof typeof coreErrorCodes;
