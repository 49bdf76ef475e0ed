import { AgenticGenError, type AsyncResource, defineTool, type SandboxFile, type Tool, Type } from '@agenticgen/core';
import { clip, type SessionSource, sessionOpener } from './session-source.js';

export type PythonToolOptions = SessionSource & {
  /** Tool name (default `run_python`). */
  name?: string;
  /** What the model reads about the tool (a default explains state, files and limits). */
  description?: string;
  /** Time limit of one run in ms (default 30 000). */
  timeoutMs?: number;
  /** Characters of stdout / stderr / result handed back to the model (default 20 000 each). */
  maxOutputCharacters?: number;
  /**
   * @deprecated Use `maxOutputCharacters` (no abbreviations in public names, as core's loaders); it wins when both
   * are given. Removed in the next minor release.
   */
  maxOutputChars?: number;
  /** Ask a person before each run (default false). */
  needsApproval?: boolean;
};

const parameters = Type.Object({
  code: Type.String({ description: 'Python source. The value of the last expression is returned.' }),
});

/** What the model gets back from one run. */
export interface PythonToolOutput {
  ok: boolean;
  stdout: string;
  stderr: string;
  result?: string;
  error?: string;
  /** Files created or changed by this run under /home/pyodide. */
  files: SandboxFile[];
  truncated: boolean;
}

export type PythonTool = Tool<typeof parameters, PythonToolOutput> &
  AsyncResource & {
    /** Disposes the session the tool opened (not a session it was given). Idempotent; also `await using`. */
    dispose(): Promise<void>;
  };

const defaultDescription =
  'Runs Python 3 (standard library only, no network) in an isolated sandbox and returns stdout, stderr, the value ' +
  'of the last expression, any exception, and the files the run created under /home/pyodide. Variables, imports ' +
  'and files persist between calls.';

/** A tool that runs model-written Python in a sandbox session. */
export function createPythonTool(options: PythonToolOptions): PythonTool {
  const opener = sessionOpener(options, 'sandbox');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const limit = options.maxOutputCharacters ?? options.maxOutputChars ?? 20_000;
  if (!(timeoutMs > 0) || !(limit > 0)) {
    throw new AgenticGenError(
      'invalid-config',
      '[sandbox] createPythonTool: timeoutMs and maxOutputCharacters must be above 0',
    );
  }
  const tool = defineTool({
    name: options.name ?? 'run_python',
    description: options.description ?? defaultDescription,
    parameters,
    needsApproval: options.needsApproval ?? false,
    // Session start-up (a cold pool) comes on top of the run's own limit, which the sandbox enforces.
    timeoutMs: timeoutMs + 30_000,
    async execute({ code }, context): Promise<PythonToolOutput> {
      const session = await opener.open(context.signal);
      const before = new Map((await session.listFiles()).map((file) => [file.path, file.size]));
      const run = await session.run(code, { timeoutMs, signal: context.signal });
      const after = await session.listFiles();
      const output: PythonToolOutput = {
        ok: run.ok,
        stdout: clip(run.stdout, limit),
        stderr: clip(run.stderr, limit),
        files: after.filter((file) => before.get(file.path) !== file.size),
        truncated: run.truncated || run.stdout.length > limit || run.stderr.length > limit,
      };
      if (run.result !== undefined) output.result = clip(run.result.repr, limit);
      if (run.error !== undefined) {
        output.error = clip(run.error.traceback || `${run.error.type}: ${run.error.message}`, limit);
      }
      return output;
    },
  });
  return Object.assign(tool, { dispose: () => opener.dispose(), [Symbol.asyncDispose]: () => opener.dispose() });
}

/** @deprecated Use `createPythonTool` (factories are named `create*`); this alias is removed in the next minor release. */
export const pythonTool = createPythonTool;
