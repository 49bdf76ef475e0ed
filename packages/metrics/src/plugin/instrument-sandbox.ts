import type { CodeSandbox, CodeSession, RunOptions, RunResult } from '@agenticgen/core';
import type { MetricsRegistry } from '../registry/registry.js';
import { genAiDurationBuckets } from './metrics-plugin.js';

/**
 * Wraps a `CodeSandbox` so every session's runs are measured: `agenticgen.sandbox.run.duration` (seconds, by
 * `status` ok/error and `error.type`, the Python exception or `TimeoutError`) and
 * `agenticgen.sandbox.sessions.active`. The runtime emits no sandbox events, so measuring sits at the contract
 * boundary instead; the wrapper is itself a `CodeSandbox` and changes no behaviour.
 */
export function instrumentCodeSandbox(sandbox: CodeSandbox, registry: MetricsRegistry, name = 'default'): CodeSandbox {
  const runs = registry.histogram('agenticgen.sandbox.run.duration', {
    unit: 's',
    description: 'Code sandbox run duration, by outcome.',
    labelNames: ['sandbox.name', 'status', 'error.type'],
    buckets: genAiDurationBuckets,
  });
  const sessions = registry.upDownCounter('agenticgen.sandbox.sessions.active', {
    description: 'Open code sandbox sessions.',
    labelNames: ['sandbox.name'],
  });
  const open = sessions.bind({ 'sandbox.name': name });
  const ok = runs.bind({ 'sandbox.name': name, status: 'ok' });

  const wrap = (session: CodeSession): CodeSession => {
    let disposed = false;
    return {
      get id() {
        return session.id;
      },
      async run(code: string, options?: RunOptions): Promise<RunResult> {
        const started = performance.now();
        try {
          const result = await session.run(code, options);
          if (result.ok) ok.record(result.durationMs / 1000);
          else {
            runs.record(result.durationMs / 1000, {
              'sandbox.name': name,
              status: 'error',
              'error.type': result.error?.type ?? 'Error',
            });
          }
          return result;
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          runs.record((performance.now() - started) / 1000, {
            'sandbox.name': name,
            status: 'error',
            'error.type': typeof code === 'string' ? code : 'internal',
          });
          throw error;
        }
      },
      writeFile: (path, data) => session.writeFile(path, data),
      readFile: (path) => session.readFile(path),
      listFiles: (directory) => session.listFiles(directory),
      reset: () => session.reset(),
      async dispose() {
        if (!disposed) {
          disposed = true;
          open.add(-1);
        }
        await session.dispose();
      },
      [Symbol.asyncDispose]() {
        return this.dispose();
      },
    };
  };

  return {
    language: sandbox.language,
    async createSession(options) {
      const session = await sandbox.createSession(options);
      open.add(1);
      return wrap(session);
    },
    dispose: () => sandbox.dispose(),
    [Symbol.asyncDispose]: () => sandbox.dispose(),
  };
}
