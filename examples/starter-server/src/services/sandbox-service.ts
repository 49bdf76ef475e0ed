import type { CodeSandbox } from '@agenticgen/core';
import { createSandbox } from '@agenticgen/sandbox';
import type { Logger } from '../log.ts';
import { createPythonService } from './python-service.ts';
import type { FeatureStatus, PythonService } from './types.ts';

/**
 * The Pyodide sandbox of @agenticgen/sandbox: workers in a locked-down child process, a warm pool restored
 * from a memory snapshot. Warm-up runs in the background with progress in the log; until it is done the
 * feature reports `starting` and the first run waits for a worker.
 */
export function createStarterSandbox(options: {
  poolSize: number;
  /** Wraps the sandbox for metrics (`instrumentCodeSandbox`); identity without metrics. */
  instrument: (sandbox: CodeSandbox) => CodeSandbox;
  log: Logger;
  status: FeatureStatus;
}): PythonService & { sandbox: CodeSandbox } {
  const { log, status } = options;
  const sandbox = createSandbox({
    pool: { warm: options.poolSize, max: Math.max(4, options.poolSize * 2) },
    limits: { timeoutMs: 30_000, memoryLimitMb: 512 },
  });
  const started = performance.now();
  log('info', `sandbox: warming up ${options.poolSize} Pyodide worker(s)…`);
  status.starting = true;
  const progress = setInterval(() => {
    log('info', `sandbox: still warming up (${Math.round((performance.now() - started) / 1000)} s)…`);
  }, 5000);
  progress.unref();
  void sandbox.warmUp().then(
    () => {
      clearInterval(progress);
      status.starting = false;
      log('info', `sandbox: ready in ${Math.round(performance.now() - started)} ms`, sandbox.stats());
    },
    (error: unknown) => {
      clearInterval(progress);
      status.starting = false;
      status.available = false;
      status.detail = `Pyodide warm-up failed: ${error instanceof Error ? error.message : String(error)}`;
      log('error', 'sandbox: warm-up failed', { error: status.detail });
    },
  );
  const service = createPythonService({ sandbox: options.instrument(sandbox) });
  return {
    sandbox,
    ...service,
    async dispose() {
      clearInterval(progress);
      await service.dispose();
    },
  };
}
