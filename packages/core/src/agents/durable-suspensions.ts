/**
 * `context.suspend` for the tool calls of one durable agent attempt (durable-agent.ts). A call that suspends
 * stores a pending suspension and makes the run stop once the step's calls have returned; a resume re-runs the
 * call, whose `suspend` then returns the payload: the stored one when the suspension was resolved before, or the
 * one passed to `resume`, validated here against the schema the tool gives (invalid: a typed error, nothing
 * stored, the run stays suspended).
 */
import type { RunStore, RunSuspension } from '../contracts/run-store.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { compileSchema, formatIssues } from '../schema/validator.js';
import type { ToolSuspend } from '../tools/define-tool.js';

export interface ToolSuspensions {
  /** The `context.suspend` of one call. */
  suspender(toolCallId: string): ToolSuspend;
  /** Throws when a call of the step suspended the run or was given an invalid payload. */
  afterToolCalls(): void;
  /** Whether the call suspended in this attempt (its ledger entry stays `started`, its outcome is not recorded). */
  stoppedIn(toolCallId: string): boolean;
  /** Whether the call suspended in an earlier attempt: re-running it is expected, whatever its idempotency. */
  suspendedBefore(toolCallId: string): boolean;
  /** The invalid-payload error, when that is why the attempt stopped. */
  readonly invalidPayload: AgenticGenError | undefined;
  /** Whether the attempt stopped on a suspension (or an invalid payload). */
  readonly stopped: boolean;
}

/** `<toolCallId>:<name>`: suspensions are addressed per call, so one call's suspensions are found by prefix. */
export const toolSuspensionId = (toolCallId: string, name: string) => `${toolCallId}:${name}`;

export async function loadToolSuspensions(
  store: RunStore,
  runId: string,
  payloads: Readonly<Record<string, unknown>>,
  options: { fresh?: boolean } = {},
): Promise<ToolSuspensions> {
  const known = options.fresh === true ? [] : await store.listSuspensions({ runId });
  const resolved = new Map(
    known.filter((entry) => entry.status === 'resolved').map((entry) => [entry.suspensionId, entry.payload]),
  );
  const pending = new Set(known.filter((entry) => entry.status === 'pending').map((entry) => entry.suspensionId));
  const stoppedCalls = new Set<string>();
  let invalidPayload: AgenticGenError | undefined;
  const short = (text: string) => text.slice(0, 100);

  const suspender =
    (toolCallId: string): ToolSuspend =>
    async (request) => {
      // The counter restarts with each execution of the call, so a re-run names its suspensions the same way.
      const count = (counters.get(toolCallId) ?? 0) + 1;
      counters.set(toolCallId, count);
      const name = request.id ?? String(count);
      const suspensionId = toolSuspensionId(toolCallId, name);
      if (resolved.has(suspensionId)) return resolved.get(suspensionId) as never;
      if (Object.hasOwn(payloads, suspensionId)) {
        const checked = compileSchema(request.schema).validate(payloads[suspensionId]);
        if (!checked.ok) {
          stoppedCalls.add(toolCallId);
          invalidPayload = new AgenticGenError(
            'invalid-argument',
            `[agents] run ${short(runId)}: the payload for suspension "${short(suspensionId)}" is invalid: ${formatIssues(checked.issues)}; the run stays suspended`,
            { data: { runId, suspensionId, issues: checked.issues } },
          );
          throw invalidPayload;
        }
        if (await store.resolveSuspension(runId, suspensionId, checked.value)) return checked.value;
        // Another resumer resolved it first: its payload is the one the run goes on with.
        const [winner] = (await store.listSuspensions({ runId, status: 'resolved' })).filter(
          (entry: RunSuspension) => entry.suspensionId === suspensionId,
        );
        return winner?.payload as never;
      }
      if (!pending.has(suspensionId)) {
        try {
          await store.saveSuspension({ runId, suspensionId, reason: request.reason, schema: request.schema });
        } catch (error) {
          if (!AgenticGenError.hasCode(error, 'already-exists')) throw error;
        }
        pending.add(suspensionId);
      }
      stoppedCalls.add(toolCallId);
      throw new AgenticGenError(
        'run-suspended',
        `[agents] run ${short(runId)} waits for "${short(suspensionId)}": ${request.reason.slice(0, 200)}`,
        { data: { runId, suspensionId } },
      );
    };
  const counters = new Map<string, number>();

  return {
    suspender(toolCallId) {
      counters.set(toolCallId, 0);
      return suspender(toolCallId);
    },
    afterToolCalls() {
      if (invalidPayload !== undefined) throw invalidPayload;
      if (stoppedCalls.size > 0) {
        throw new AgenticGenError(
          'run-suspended',
          `[agents] run ${short(runId)} waits for input: ${[...stoppedCalls].map(short).join(', ')}`,
          { data: { runId } },
        );
      }
    },
    stoppedIn: (toolCallId) => stoppedCalls.has(toolCallId),
    suspendedBefore: (toolCallId) =>
      known.some((entry) => entry.suspensionId.startsWith(toolSuspensionId(toolCallId, ''))),
    get invalidPayload() {
      return invalidPayload;
    },
    get stopped() {
      return invalidPayload !== undefined || stoppedCalls.size > 0;
    },
  };
}
