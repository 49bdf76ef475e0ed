import { AgenticGenError } from '@agenticgen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PostgresTestServer,
  postgresServerAvailable,
  startPostgresServer,
} from '../../../../test-support/postgres-server.js';
import { runStoreContractSuite } from '../testing/store-suite.js';
import { createPostgresStore } from './postgres.js';

const available = postgresServerAvailable();
let server: PostgresTestServer | undefined;

describe.runIf(available)('postgres store', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  runStoreContractSuite('postgres', () =>
    createPostgresStore({ connectionString: server?.url as string, maxConnections: 4 }),
  );
});

describe('createPostgresStore options', () => {
  it('refuses a missing connection string and an out-of-range pool size with invalid-config', async () => {
    const invalidConfig = (error: unknown) => AgenticGenError.hasCode(error, 'invalid-config');
    await expect(createPostgresStore({ connectionString: undefined })).rejects.toSatisfy(invalidConfig);
    await expect(
      createPostgresStore({ connectionString: 'postgres://127.0.0.1:1/x', maxConnections: 0 }),
    ).rejects.toSatisfy(invalidConfig);
  });
});
