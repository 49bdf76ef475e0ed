import { combineSignals, throwIfAborted, uncancellableSignal } from '../errors/abort.js';
import { AgenticGenError, type SerializedAgenticGenError } from '../errors/agenticgen-error.js';
import { formatIssues, type ValidationIssue } from '../schema/validator.js';
import type { AnyTool, ToolContext, ToolSuspend } from './define-tool.js';
import { dropNullOptionals } from './drop-null-optionals.js';

const defaultToolTimeoutMs = 60_000;
/** The `values` of a call given none: one frozen object, not a new one per call. */
const noValues: Readonly<Record<string, unknown>> = Object.freeze({});

/** The outcome of one tool call: model-readable either way. */
export type ToolOutcome =
  | { ok: true; output: unknown; durationMs: number }
  | {
      ok: false;
      /** A structured error the model can read and correct itself from. */
      error: {
        code: string;
        message: string;
        issues?: ValidationIssue[];
      };
      /** The full error, for logs and events. */
      cause: SerializedAgenticGenError;
      durationMs: number;
    };

export interface ExecuteToolOptions {
  /** The model's call id. */
  toolCallId: string;
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Overrides the tool's own timeout. */
  timeoutMs?: number;
  /** Host values passed to `execute`. */
  values?: Readonly<Record<string, unknown>>;
  /** Handed to the tool as `context.idempotencyKey` (durable runs). */
  idempotencyKey?: string;
  /** Handed to the tool as `context.suspend` (durable runs). */
  suspend?: ToolSuspend;
}

/**
 * Validates raw arguments and runs the tool. Invalid arguments never reach `execute`; timeouts, aborts and
 * thrown errors come back as `{ ok: false }` with a stable code, so a tool failure never kills an agent run.
 */
export async function executeTool(
  tool: AnyTool,
  rawArguments: unknown,
  options: ExecuteToolOptions,
): Promise<ToolOutcome> {
  const started = performance.now();
  // An object (what providers' SDKs hand over) skips the parse and its wrapper object.
  const parsed = typeof rawArguments === 'object' && rawArguments !== null ? undefined : parseArguments(rawArguments);
  const checked =
    parsed === undefined
      ? tool.validator.validate(dropNullOptionals(tool.jsonSchema, rawArguments))
      : parsed.ok
        ? tool.validator.validate(dropNullOptionals(tool.jsonSchema, parsed.value))
        : parsed;
  // TypeBox validators answer synchronously: awaiting only real promises (Standard Schema) saves a hop per call.
  const validation = 'then' in checked ? await checked : checked;
  if (!validation.ok) {
    const error = new AgenticGenError(
      'tool-invalid-arguments',
      `[tools] invalid arguments for tool "${tool.name}": ${formatIssues(validation.issues)}; fix them and call it again`,
      { data: { tool: tool.name, issues: validation.issues } },
    );
    return {
      ok: false,
      error: { code: error.code, message: error.message, issues: validation.issues },
      cause: error.toJSON(),
      durationMs: performance.now() - started,
    };
  }
  // A tool that enforces its own time limit and abort (`enforcesLimits`) needs neither our timer nor our race;
  // called without a signal, nothing can abort it, so it gets the shared never-aborting signal and no guard.
  const selfLimited = tool.enforcesLimits === true && options.timeoutMs === undefined;
  const guard =
    selfLimited && options.signal === undefined
      ? undefined
      : combineSignals(
          `tool ${tool.name}`,
          options.signal,
          selfLimited ? undefined : (options.timeoutMs ?? tool.timeoutMs ?? defaultToolTimeoutMs),
        );
  const signal = guard?.signal ?? uncancellableSignal;
  const context: ToolContext = { signal, toolCallId: options.toolCallId, values: options.values ?? noValues };
  if (options.idempotencyKey !== undefined) context.idempotencyKey = options.idempotencyKey;
  if (options.suspend !== undefined) context.suspend = options.suspend;
  try {
    // An already cancelled call must not start side effects only to have its result dropped.
    throwIfAborted(signal, `tool ${tool.name}`);
    // `execute` runs inside this try, so a synchronous throw is caught like a rejection; no deferring hop needed.
    const running = tool.execute(validation.value, context);
    const output = await (selfLimited || guard === undefined ? running : guard.race(Promise.resolve(running)));
    return { ok: true, output, durationMs: performance.now() - started };
  } catch (thrown) {
    const error = AgenticGenError.isInstance(thrown)
      ? thrown
      : new AgenticGenError(
          'tool-execution-failed',
          `[tools] tool "${tool.name}" failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
          { cause: thrown },
        );
    return {
      ok: false,
      error: { code: error.code, message: error.message },
      cause: error.toJSON(),
      durationMs: performance.now() - started,
    };
  } finally {
    guard?.dispose();
  }
}

function parseArguments(raw: unknown): { ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] } {
  if (typeof raw !== 'string') return { ok: true, value: raw ?? {} };
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, issues: [{ path: '', expected: 'Expected a JSON object', received: raw.slice(0, 200) }] };
  }
}
