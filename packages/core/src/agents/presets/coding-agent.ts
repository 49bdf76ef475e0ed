import { Type } from '@sinclair/typebox';
import type { AsyncResource } from '../../contracts/async-resource.js';
import type { CodeSandbox, CodeSession } from '../../contracts/code-sandbox.js';
import { disposeOnce } from '../../resources/dispose-once.js';
import { type AnyTool, defineTool } from '../../tools/define-tool.js';
import { type Agent, type CreateAgentOptions, createAgent } from '../create-agent.js';

export interface CodingAgentOptions extends Omit<CreateAgentOptions, 'name' | 'instructions'> {
  /** Name (default `coding-agent`). */
  name?: string;
  /** System prompt (default: a concise coding-assistant prompt that mentions the Python tool when present). */
  instructions?: string;
  /** When given, the agent gets a `run_python` tool that runs code in a session of this sandbox. */
  sandbox?: CodeSandbox;
  /** Ask a person before each Python run (default false). */
  approveCode?: boolean;
  /** Time limit of one Python run in ms (default 30 s). */
  codeTimeoutMs?: number;
}

/** A coding agent; `dispose()` releases its sandbox session. */
export interface CodingAgent extends Agent, AsyncResource {
  /** Releases the Python session, if one was opened (also `await using`). */
  dispose(): Promise<void>;
}

const defaultInstructions = (withPython: boolean) =>
  [
    'You are a careful senior software engineer. Answer with working code and a short explanation.',
    withPython
      ? 'You can run Python with the run_python tool. Variables persist between runs. Run code to check facts and compute results instead of guessing; read errors and fix your code.'
      : 'You cannot run code; say which parts are untested.',
  ].join(' ');

/** Creates a coding agent that uses a Python sandbox when one is provided. */
export function createCodingAgent(options: CodingAgentOptions): CodingAgent {
  const { sandbox, approveCode, codeTimeoutMs, ...rest } = options;
  let session: Promise<CodeSession> | undefined;
  const tools: AnyTool[] = [...(options.tools ?? [])];
  if (sandbox !== undefined) {
    const timeoutMs = codeTimeoutMs ?? 30_000;
    tools.push(
      defineTool({
        name: 'run_python',
        description:
          'Runs Python code in a sandbox and returns stdout, stderr, the value of the last expression and any exception. State persists between calls.',
        parameters: Type.Object({ code: Type.String({ description: 'Python source to run.' }) }),
        needsApproval: approveCode ?? false,
        // The sandbox enforces the run's own limit; the tool limit only adds a margin for session start-up.
        timeoutMs: timeoutMs + 30_000,
        async execute({ code }, context) {
          session ??= sandbox.createSession({ signal: context.signal });
          let current: CodeSession;
          try {
            current = await session;
          } catch (error) {
            session = undefined;
            throw error;
          }
          const result = await current.run(code, { signal: context.signal, timeoutMs });
          return {
            ok: result.ok,
            stdout: result.stdout,
            stderr: result.stderr,
            ...(result.result === undefined ? {} : { result: result.result.repr }),
            ...(result.error === undefined ? {} : { error: result.error }),
            truncated: result.truncated,
          };
        },
      }),
    );
  }
  const agent = createAgent({
    ...rest,
    name: options.name ?? 'coding-agent',
    instructions: options.instructions ?? defaultInstructions(sandbox !== undefined),
    tools,
  });
  const release = disposeOnce(async () => {
    const opened = session;
    session = undefined;
    if (opened !== undefined) await (await opened).dispose();
  });
  return {
    ...agent,
    dispose: release,
    [Symbol.asyncDispose]: release,
  };
}
