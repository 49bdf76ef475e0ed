import type { ChatMessage, ToolCallPart } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import type {
  GuardrailContext,
  GuardrailResult,
  GuardrailVerdict,
  InputGuardrail,
  OutputGuardrail,
  ToolCallGuardrail,
} from './types.js';

/** Defines an input guardrail (identity helper for type inference). */
export function defineInputGuardrail(guardrail: InputGuardrail): InputGuardrail {
  return guardrail;
}

/** Defines an output guardrail. */
export function defineOutputGuardrail(guardrail: OutputGuardrail): OutputGuardrail {
  return guardrail;
}

/** Defines a tool-call guardrail. */
export function defineToolCallGuardrail(guardrail: ToolCallGuardrail): ToolCallGuardrail {
  return guardrail;
}

export type GuardrailKind = 'input' | 'output' | 'tool-call';

/** The error a tripped guardrail ends the run with. */
export function guardrailError(kind: GuardrailKind, name: string, reason: string, agentName: string): AgenticGenError {
  return new AgenticGenError(
    'guardrail-tripped',
    `[agents] guardrail "${name}" of agent "${agentName}" tripped on ${kind}: ${reason}`,
    { data: { guardrail: name, kind, reason, agent: agentName } },
  );
}

/** A guardrail that throws is treated as tripped: failing closed is the only safe default. */
async function verdictOf(
  name: string,
  check: () => GuardrailResult | Promise<GuardrailResult>,
): Promise<GuardrailVerdict | undefined> {
  try {
    return (await check()) ?? undefined;
  } catch (error) {
    return {
      tripwire: true,
      reason: `the guardrail "${name}" threw: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

export interface TrippedGuardrail {
  name: string;
  reason: string;
}

/** Runs input guardrails concurrently; returns the first that tripped (in declaration order). */
export async function checkInput(
  guardrails: readonly InputGuardrail[],
  input: readonly ChatMessage[],
  context: GuardrailContext,
): Promise<TrippedGuardrail | undefined> {
  const verdicts = await Promise.all(
    guardrails.map((guardrail) => verdictOf(guardrail.name, () => guardrail.check(input, context))),
  );
  return firstTripped(guardrails, verdicts);
}

export async function checkOutput(
  guardrails: readonly OutputGuardrail[],
  output: string,
  context: GuardrailContext,
): Promise<TrippedGuardrail | undefined> {
  const verdicts = await Promise.all(
    guardrails.map((guardrail) => verdictOf(guardrail.name, () => guardrail.check(output, context))),
  );
  return firstTripped(guardrails, verdicts);
}

/** Tool-call verdict: trip the run, reject this call, or allow it. */
export type ToolCallVerdict =
  | { action: 'allow' }
  | { action: 'reject'; guardrail: string; reason: string }
  | { action: 'trip'; guardrail: string; reason: string };

export async function checkToolCall(
  guardrails: readonly ToolCallGuardrail[],
  call: ToolCallPart,
  context: GuardrailContext,
): Promise<ToolCallVerdict> {
  for (const guardrail of guardrails) {
    const verdict = await verdictOf(guardrail.name, () => guardrail.check(call, context));
    if (verdict?.tripwire)
      return { action: 'trip', guardrail: guardrail.name, reason: verdict.reason ?? 'no reason given' };
    if (verdict?.reject !== undefined) return { action: 'reject', guardrail: guardrail.name, reason: verdict.reject };
  }
  return { action: 'allow' };
}

function firstTripped(
  guardrails: readonly { name: string }[],
  verdicts: readonly (GuardrailVerdict | undefined)[],
): TrippedGuardrail | undefined {
  for (let index = 0; index < verdicts.length; index++) {
    const verdict = verdicts[index];
    if (verdict?.tripwire)
      return { name: guardrails[index]?.name ?? 'unknown', reason: verdict.reason ?? 'no reason given' };
  }
  return undefined;
}
