import { afterAll, beforeAll, describe } from 'vitest';
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
