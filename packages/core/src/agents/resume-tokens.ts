import { AgenticGenError } from '../errors/agenticgen-error.js';

/**
 * Where the resume tokens of suspended runs are consumed. A suspended state is single-use: `agent.resume`
 * consumes the state's token before any tool runs, so a state resumed twice (a double click, two processes
 * reading the same database row) never runs an approved tool twice. Share one store between every process
 * that resumes runs; in Redis `consume` is one command: `SET <token> 1 NX PX <ttl>` (true when it answered OK).
 */
export interface ResumeTokenStore {
  /**
   * Records `token` atomically; resolves `true` when this call consumed it and `false` when it was consumed
   * before. Two concurrent calls with the same token must never both resolve `true`.
   */
  consume(token: string): Promise<boolean>;
}

export interface MemoryResumeTokenStoreOptions {
  /** Tokens remembered at most; beyond that the oldest are forgotten (default 10,000). */
  maxTokens?: number;
}

/**
 * A resume-token store in this process's memory: the default of every agent (each agent instance has its own).
 * It protects one process only; several processes need a shared store.
 */
export function createMemoryResumeTokenStore(options: MemoryResumeTokenStoreOptions = {}): ResumeTokenStore {
  const maxTokens = options.maxTokens ?? 10_000;
  if (!(Number.isInteger(maxTokens) && maxTokens >= 1)) {
    throw new AgenticGenError(
      'invalid-argument',
      `[agents] maxTokens of a resume-token store must be an integer >= 1, got ${String(maxTokens).slice(0, 40)}`,
    );
  }
  // A Set iterates in insertion order: its first entry is the oldest token.
  const consumed = new Set<string>();
  return {
    async consume(token) {
      if (consumed.has(token)) return false;
      consumed.add(token);
      if (consumed.size > maxTokens) consumed.delete(consumed.values().next().value as string);
      return true;
    },
  };
}

/** The token of a suspension: a run suspends at most once per step, so run id and step identify it. */
export function resumeTokenOf(state: { agentName: string; runId: string; step: number }): string {
  return `agenticgen:resume:${state.agentName}:${state.runId}:${state.step}`;
}
