import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpClient, type McpClient } from '../index.node.js';
import { startHttpFixture } from '../testing/http-fixture-server.js';

describe('many calls on one Streamable HTTP session', () => {
  let fixture: Awaited<ReturnType<typeof startHttpFixture>>;
  let client: McpClient;
  beforeAll(async () => {
    fixture = await startHttpFixture();
    client = createMcpClient({ transport: { type: 'streamable-http', url: fixture.urls.streamable } });
  });
  afterAll(async () => {
    await client.close();
    await fixture.close();
  });

  it('answers 1,000 concurrent calls, each with its own result, none lost or crossed', {
    timeout: 120_000,
  }, async () => {
    const add = (await client.tools()).find((tool) => tool.name === 'add');
    if (add === undefined) throw new Error('add missing');
    const calls = Array.from({ length: 1_000 }, (_, index) =>
      add.execute(
        { a: index, b: 1_000_000 },
        { signal: new AbortController().signal, toolCallId: `c${index}`, values: {} },
      ),
    );
    const results = await Promise.allSettled(calls);
    const answered = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(answered).toHaveLength(1_000);
    expect(answered).toEqual(Array.from({ length: 1_000 }, (_, index) => String(index + 1_000_000)));
  });
});
