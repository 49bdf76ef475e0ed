import { join } from 'node:path';
import type { AgentStore } from '@agenticgen/core';
import type { ServerConfig } from '../config.ts';

/**
 * Threads and run checkpoints (`@agenticgen/store`): PostgreSQL when `DATABASE_URL` is set, so every instance
 * shares them; otherwise the embedded PGlite in a folder of the data dir, which one process opens at a time.
 */
export async function openStarterStore(config: ServerConfig): Promise<{ store: AgentStore; detail: string }> {
  const { createPgliteStore, createPostgresStore } = await import('@agenticgen/store');
  if (config.databaseUrl !== undefined) {
    const store = await createPostgresStore({ connectionString: config.databaseUrl });
    // The URL may carry a password: only the host is shown.
    return { store, detail: `@agenticgen/store on PostgreSQL at ${hostOf(config.databaseUrl)} (DATABASE_URL)` };
  }
  const dataDir = config.storeDir ?? join(config.dataDir, 'store');
  const store = await createPgliteStore({ dataDir });
  return { store, detail: `@agenticgen/store on PGlite in ${dataDir} (set DATABASE_URL for PostgreSQL)` };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || 'the configured server';
  } catch {
    return 'the configured server';
  }
}
