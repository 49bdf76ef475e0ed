import type { CodeSandbox } from '@agenticgen/core';
import { AgenticGenError } from '@agenticgen/core';
import { createSandbox, createSqlTool, type SqlTool } from '@agenticgen/sandbox';
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
  const instrumented = options.instrument(sandbox);
  const service = createPythonService({ sandbox: instrumented });
  // One SQL tool (and sandbox session) per uploaded file version, the few most recent kept loaded.
  const sqlTools = new Map<string, SqlTool>();
  const sqlToolFor = (file: { name: string; bytes: Uint8Array }): SqlTool => {
    const key = `${file.name}:${file.bytes.length}:${checksum(file.bytes)}`;
    let tool = sqlTools.get(key);
    if (tool !== undefined) {
      sqlTools.delete(key);
      sqlTools.set(key, tool);
      return tool;
    }
    const table = file.name
      .replace(/\.[^.]+$/, '')
      .replace(/[^A-Za-z0-9_]/g, '_')
      .replace(/^(?=\d)/, 't_');
    const data = /\.csv$/i.test(file.name)
      ? { csv: { [table]: new TextDecoder().decode(file.bytes) } }
      : { database: file.bytes };
    tool = createSqlTool({ sandbox: instrumented, data, maxRows: 500 });
    sqlTools.set(key, tool);
    if (sqlTools.size > 4) {
      const [oldestKey, oldest] = sqlTools.entries().next().value as [string, SqlTool];
      sqlTools.delete(oldestKey);
      void oldest.dispose();
    }
    return tool;
  };
  return {
    sandbox,
    ...service,
    async sql(file, query, runOptions) {
      const tool = sqlToolFor(file);
      const output = await tool.execute(
        { query },
        { signal: runOptions.signal ?? new AbortController().signal, toolCallId: 'http', values: {} },
      );
      if (!output.ok) {
        throw new AgenticGenError(
          'invalid-argument',
          `[server] the SQL query failed: ${output.error ?? 'unknown error'}`,
        );
      }
      return { columns: output.columns, rows: output.rows, truncated: output.truncated };
    },
    async dispose() {
      clearInterval(progress);
      for (const tool of sqlTools.values()) await tool.dispose().catch(() => {});
      await service.dispose();
    },
  };
}

/** A cheap content fingerprint (FNV-1a) so a re-uploaded file with the same name gets a fresh table. */
function checksum(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return (hash >>> 0).toString(16);
}
