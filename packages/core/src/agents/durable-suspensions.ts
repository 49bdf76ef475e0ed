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

/** The suspensions of a run as the store has them, with the payloads a resume brings. */
export async function loadToolSuspensions(
  store: RunStore,
  runId: string,
  payloads: Readonly<Record<string, unknown>>,
): Promise<ToolSuspensions> {
  return new RunToolSuspensions(store, runId, payloads, await store.listSuspensions({ runId }));
}

/** A new run has no suspensions yet: no read (one store call and one await of a short run). */
export function freshToolSuspensions(store: RunStore, runId: string): ToolSuspensions {
  return new RunToolSuspensions(store, runId, noPayloads, []);
}

const noPayloads: Readonly<Record<string, unknown>> = Object.freeze({});
const short = (text: string) => text.slice(0, 100);

/** A class rather than closures: every durable run builds one, most never suspend (its methods are shared). */
class RunToolSuspensions implements ToolSuspensions {
  readonly #resolved = new Map<string, unknown>();
  readonly #pending = new Set<string>();
  readonly #stoppedCalls = new Set<string>();
  /** Suspend calls made by each execution of a call: a re-run names its suspensions the same way. */
  readonly #counters = new Map<string, number>();
  #invalidPayload: AgenticGenError | undefined;
  private readonly store: RunStore;
  private readonly runId: string;
  private readonly payloads: Readonly<Record<string, unknown>>;
  private readonly known: readonly RunSuspension[];

  constructor(
    store: RunStore,
    runId: string,
    payloads: Readonly<Record<string, unknown>>,
    known: readonly RunSuspension[],
  ) {
    this.store = store;
    this.runId = runId;
    this.payloads = payloads;
    this.known = known;
    for (const entry of known) {
      if (entry.status === 'resolved') this.#resolved.set(entry.suspensionId, entry.payload);
      else this.#pending.add(entry.suspensionId);
    }
  }

  get invalidPayload() {
    return this.#invalidPayload;
  }

  get stopped() {
    return this.#invalidPayload !== undefined || this.#stoppedCalls.size > 0;
  }

  suspender(toolCallId: string): ToolSuspend {
    this.#counters.set(toolCallId, 0);
    return (request) => this.#suspend(toolCallId, request);
  }

  async #suspend(toolCallId: string, request: Parameters<ToolSuspend>[0]): Promise<never> {
    const { store, runId, payloads } = this;
    const count = (this.#counters.get(toolCallId) ?? 0) + 1;
    this.#counters.set(toolCallId, count);
    const name = request.id ?? String(count);
    const suspensionId = toolSuspensionId(toolCallId, name);
    if (this.#resolved.has(suspensionId)) return this.#resolved.get(suspensionId) as never;
    if (Object.hasOwn(payloads, suspensionId)) {
      const checked = compileSchema(request.schema).validate(payloads[suspensionId]);
      if (!checked.ok) {
        this.#stoppedCalls.add(toolCallId);
        this.#invalidPayload = new AgenticGenError(
          'invalid-argument',
          `[agents] run ${short(runId)}: the payload for suspension "${short(suspensionId)}" is invalid: ${formatIssues(checked.issues)}; the run stays suspended`,
          { data: { runId, suspensionId, issues: checked.issues } },
        );
        throw this.#invalidPayload;
      }
      if (await store.resolveSuspension(runId, suspensionId, checked.value)) return checked.value as never;
      // Another resumer resolved it first: its payload is the one the run goes on with.
      const [winner] = (await store.listSuspensions({ runId, status: 'resolved' })).filter(
        (entry: RunSuspension) => entry.suspensionId === suspensionId,
      );
      return winner?.payload as never;
    }
    if (!this.#pending.has(suspensionId)) {
      try {
        await store.saveSuspension({ runId, suspensionId, reason: request.reason, schema: request.schema });
      } catch (error) {
        if (!AgenticGenError.hasCode(error, 'already-exists')) throw error;
      }
      this.#pending.add(suspensionId);
    }
    this.#stoppedCalls.add(toolCallId);
    throw new AgenticGenError(
      'run-suspended',
      `[agents] run ${short(runId)} waits for "${short(suspensionId)}": ${request.reason.slice(0, 200)}`,
      { data: { runId, suspensionId } },
    );
  }

  afterToolCalls() {
    if (this.#invalidPayload !== undefined) throw this.#invalidPayload;
    if (this.#stoppedCalls.size > 0) {
      throw new AgenticGenError(
        'run-suspended',
        `[agents] run ${short(this.runId)} waits for input: ${[...this.#stoppedCalls].map(short).join(', ')}`,
        { data: { runId: this.runId } },
      );
    }
  }

  stoppedIn(toolCallId: string) {
    return this.#stoppedCalls.has(toolCallId);
  }

  suspendedBefore(toolCallId: string) {
    const prefix = toolSuspensionId(toolCallId, '');
    return this.known.some((entry) => entry.suspensionId.startsWith(prefix));
  }
}
