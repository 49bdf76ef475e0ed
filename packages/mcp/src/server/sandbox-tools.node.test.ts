import type { CodeSandbox } from '@agenticgen/core';
import { createPythonTool, createSandbox, createSqlTool } from '@agenticgen/sandbox';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMcpServer, type McpServerFactory } from '../index.js';

/** Counts the sessions the server opened and disposed on a real Node sandbox. */
function countingSandbox(sandbox: CodeSandbox) {
  const counts = { opened: 0, disposed: 0 };
  const counted: CodeSandbox = {
    language: sandbox.language,
    dispose: () => sandbox.dispose(),
    [Symbol.asyncDispose]: () => sandbox.dispose(),
    async createSession(options) {
      const session = await sandbox.createSession(options);
      counts.opened++;
      const dispose = session.dispose.bind(session);
      session.dispose = async () => {
        counts.disposed++;
        await dispose();
      };
      return session;
    },
  };
  return { counted, counts };
}

describe('createMcpServer({ sandbox }) with a real Node sandbox, driven by the SDK client', () => {
  const real = createSandbox({ pool: { warm: 0 } });
  const { counted, counts } = countingSandbox(real);
  let mcp: McpServerFactory;
  beforeAll(() => {
    mcp = createMcpServer({
      name: 'sandbox-server',
      sandbox: {
        tools: () => [
          createPythonTool({ sandbox: counted }),
          createSqlTool({ sandbox: counted, data: { csv: { sales: 'region,amount\nnorth,10\nsouth,32\nnorth,5\n' } } }),
        ],
      },
    });
  });
  afterAll(() => real.dispose());

  async function connect() {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await mcp.createServer().connect(serverSide);
    const client = new Client({ name: 'sdk-client', version: '1.0.0' });
    await client.connect(clientSide);
    return client;
  }

  it('runs Python and SQL; each connection has its own session, disposed when it closes', {
    timeout: 240_000,
  }, async () => {
    expect(mcp.tools.map((tool) => tool.name)).toEqual(['run_python', 'query_sql']);
    const first = await connect();
    const second = await connect();
    await first.callTool({ name: 'run_python', arguments: { code: 'x = 41' } });
    const answer = await first.callTool({ name: 'run_python', arguments: { code: 'x + 1' } });
    expect(answer.structuredContent).toMatchObject({ ok: true, result: '42' });
    // Another client never sees the first one's variables.
    const isolated = await second.callTool({ name: 'run_python', arguments: { code: 'x' } });
    expect(isolated.structuredContent).toMatchObject({ ok: false, error: expect.stringContaining('NameError') });
    const query = await second.callTool({
      name: 'query_sql',
      arguments: { query: 'SELECT region, SUM(amount) FROM sales GROUP BY region ORDER BY region' },
    });
    expect(query.structuredContent).toMatchObject({
      ok: true,
      rows: [
        ['north', 15],
        ['south', 32],
      ],
    });
    expect(counts.opened).toBe(3);
    await first.close();
    await second.close();
    await vi.waitFor(() => expect(counts.disposed).toBe(3));
  });
});
