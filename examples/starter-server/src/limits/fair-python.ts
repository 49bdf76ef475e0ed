import type { PythonService } from '../services/types.ts';
import type { FairQueue } from './fair-queue.ts';
import { runOwner, serverOwner } from './run-owner.ts';

/**
 * The Python service with every run (scratchpad, SQL, the chat's `run_python` tool) taking its turn in a
 * fair queue under the token it runs for, so the sandbox workers are shared in turn between tokens.
 */
export function queuePythonRuns(python: PythonService, queue: FairQueue): PythonService {
  const owner = () => runOwner.getStore() ?? serverOwner;
  const sql = python.sql;
  return {
    run: (code, options) => queue.run(owner(), () => python.run(code, options), options.signal),
    ...(sql === undefined
      ? {}
      : { sql: (file, query, options) => queue.run(owner(), () => sql(file, query, options), options.signal) }),
    dispose: () => python.dispose(),
  };
}
