/**
 * The one error class of AgenticGen. Every package throws it with a stable `code` so callers branch on the
 * code, never on the message. It is recognised across duplicate installs (a `Symbol.for` marker instead of
 * `instanceof`) and survives worker boundaries through `toJSON` / `fromJSON`.
 */

const marker = Symbol.for('agenticgen.error');

/**
 * Codes shared across packages. Packages add their own kebab-case codes (documented in their docs page);
 * the message carries the scope (`[vector] …`) and the fix.
 */
export type CoreErrorCode =
  | 'invalid-argument'
  | 'dimension-mismatch'
  | 'invalid-vector'
  | 'invalid-config'
  | 'validation-failed'
  | 'not-found'
  | 'already-exists'
  | 'conflict'
  | 'unsupported'
  | 'timeout'
  | 'aborted'
  | 'internal'
  | 'disposed'
  | 'dispose-failed'
  | 'queue-full'
  | 'dependency-missing'
  | 'dependency-cycle'
  | 'plugin-setup-failed'
  | 'hook-failed'
  | 'listener-failed'
  | 'guardrail-tripped'
  | 'tool-not-found'
  | 'tool-invalid-arguments'
  | 'tool-execution-failed'
  | 'tool-outcome-unknown'
  | 'run-suspended'
  | 'authentication'
  | 'permission-denied'
  | 'rate-limit'
  | 'context-length'
  | 'invalid-request'
  | 'content-filter'
  | 'server'
  | 'network'
  | 'overloaded'
  | 'invalid-response'
  | 'invalid-output'
  | 'output-refused'
  | 'mock-exhausted';

/** A code is a kebab-case string; the known ones autocomplete, packages may add their own. */
export type ErrorCode = CoreErrorCode | (string & {});

/** Codes that are worth retrying by default (transient conditions). */
const retryableByDefault: ReadonlySet<string> = new Set(['timeout', 'rate-limit', 'server', 'network', 'overloaded']);

/** The plain-data form of an error, safe for `structuredClone`, `postMessage` and JSON. */
export interface SerializedAgenticGenError {
  /** Always `'AgenticGenError'`: lets a receiver tell our errors from foreign ones. */
  name: 'AgenticGenError';
  /** The stable code. */
  code: ErrorCode;
  /** The human message, naming the scope and the fix. */
  message: string;
  /** Whether repeating the operation may succeed. */
  retryable: boolean;
  /** Structured details (field paths, limits, provider status); plain data only. */
  data?: Record<string, unknown>;
  /** The cause, serialised as far as it is plain data. */
  cause?: SerializedAgenticGenError | { name: string; message: string; stack?: string };
  /** The original stack, for debugging across workers. */
  stack?: string;
}

export interface AgenticGenErrorOptions {
  /** The underlying error. */
  cause?: unknown;
  /** Overrides the default retryability of the code. */
  retryable?: boolean;
  /** Structured, plain-data details. */
  data?: Record<string, unknown>;
}

export class AgenticGenError extends Error {
  readonly [marker] = true;
  override readonly name = 'AgenticGenError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly data: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AgenticGenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? retryableByDefault.has(code);
    this.data = options.data;
  }

  /** True for any AgenticGen error, even one thrown by another copy of this package. */
  static isInstance(value: unknown): value is AgenticGenError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  /** True when `value` is an AgenticGen error with the given code. */
  static hasCode(value: unknown, code: ErrorCode): value is AgenticGenError {
    return AgenticGenError.isInstance(value) && value.code === code;
  }

  toJSON(): SerializedAgenticGenError {
    const json: SerializedAgenticGenError = {
      name: 'AgenticGenError',
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.data !== undefined) json.data = this.data;
    if (this.stack !== undefined) json.stack = this.stack;
    const cause = serializeCause(this.cause);
    if (cause !== undefined) json.cause = cause;
    return json;
  }

  /** Rebuilds an error from `toJSON` output (for example after `postMessage`). */
  static fromJSON(json: SerializedAgenticGenError): AgenticGenError {
    if (json?.name !== 'AgenticGenError' || typeof json.code !== 'string' || typeof json.message !== 'string') {
      return new AgenticGenError('invalid-argument', '[core] fromJSON expects the output of AgenticGenError#toJSON', {
        data: { received: typeof json },
      });
    }
    const options: AgenticGenErrorOptions = { retryable: json.retryable === true };
    if (json.data !== undefined) options.data = json.data;
    if (json.cause !== undefined) {
      options.cause =
        json.cause.name === 'AgenticGenError'
          ? AgenticGenError.fromJSON(json.cause as SerializedAgenticGenError)
          : Object.assign(new Error(json.cause.message), { name: json.cause.name });
    }
    const error = new AgenticGenError(json.code, json.message, options);
    if (json.stack !== undefined) error.stack = json.stack;
    return error;
  }
}

function serializeCause(cause: unknown): SerializedAgenticGenError['cause'] | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (AgenticGenError.isInstance(cause)) return cause.toJSON();
  if (cause instanceof Error) {
    const plain: { name: string; message: string; stack?: string } = { name: cause.name, message: cause.message };
    if (cause.stack !== undefined) plain.stack = cause.stack;
    return plain;
  }
  return { name: 'Error', message: String(cause) };
}

/** Wraps anything thrown into an AgenticGenError, keeping AgenticGen errors as they are. */
export function toAgenticGenError(error: unknown, code: ErrorCode, scope: string): AgenticGenError {
  if (AgenticGenError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AgenticGenError(code, `[${scope}] ${message}`, { cause: error });
}
