/**
 * Our provider retry (`withRetry`) side by side with p-retry on the two shapes a model call takes: it succeeds at
 * once (the common case: what the wrapper costs on every call) or after two retryable failures (delays set to
 * zero, so the figure is the loop's own cost). Both retry the same errors. p-retry cannot wait what a provider's
 * Retry-After says, which ours does (see docs/adapters.md); per issue 18's rule ours stays only while it also
 * passes p-retry's cases (src/shared/retry.p-retry-vectors.test.ts) and is ahead here.
 * Run: npm run build -w packages/core && node bench/retry.ts (a few seconds).
 */
import { AgenticGenError } from '@agenticgen/core';
import pRetry from 'p-retry';
import { saveFigures, sideBySideNs } from '../../core/bench/results-file.ts';
import { resolveRetryPolicy, withRetry } from '../src/shared/retry.ts';

const policy = resolveRetryPolicy({ maxRetries: 2, initialDelayMs: 0, maxDelayMs: 0 });
const pRetryOptions = { retries: 2, minTimeout: 0, maxTimeout: 0, factor: 2 };
const failure = () => new AgenticGenError('rate-limit', '[bench] busy', { retryable: true });

/** An operation that fails `failures` times (per round of calls), then succeeds. */
function operation(failures: number): () => Promise<string> {
  let calls = 0;
  return async () => {
    calls++;
    if (calls % (failures + 1) !== 0) throw failure();
    return 'ok';
  };
}

async function sideBySide(name: string, failures: number, calls: number) {
  const oursOperation = operation(failures);
  const peerOperation = operation(failures);
  const ours = () => withRetry(oursOperation, policy, undefined, 'bench');
  const peer = () => pRetry(peerOperation, pRetryOptions);
  const timed = await sideBySideNs(ours, peer, calls);
  return { name, unit: 'ns/op', ours: timed.ours, peers: { 'p-retry': timed.peer } };
}

const figures = [await sideBySide('retry-first-try', 0, 50_000), await sideBySide('retry-two-failures', 2, 20_000)];
const ahead = figures.every((figure) => figure.ours < figure.peers['p-retry']);
saveFigures(figures, 0, new URL('./results.json', import.meta.url), [
  `retry vs p-retry: best of 5 rounds per workload, in-process, zero delays; decision: ${ahead ? 'keep ours (ahead on both workloads, passes p-retry cases, honours Retry-After)' : 'ours is not ahead on every workload: see the figures'}.`,
]);
