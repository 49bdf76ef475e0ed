import { defineTool, executeTool, Type } from '@agenticgen/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpClient, createMcpServer, type McpProgressEvent, mcpToolContext } from '../index.js';
import { linkedTransport } from '../testing/linked-transport.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Our client connected in memory to our server, whose `steps` tool reports progress 1..3 of 3. */
function connectedClient() {
  const steps = defineTool({
    name: 'steps',
    description: 'Three steps.',
    parameters: Type.Object({}),
    async execute(_args, context) {
      for (let step = 1; step <= 3; step++)
        await mcpToolContext(context)?.progress(step, { total: 3, message: `step ${step}` });
      return 'done';
    },
  });
  const server = createMcpServer({ tools: [steps] });
  const client = createMcpClient({
    toolNamePrefix: 'srv_',
    transport: linkedTransport(() => server.createServer()),
  });
  closers.push(() => client.close());
  return client;
}

describe('progress notifications of a tool call become tool-progress events on the client bus', () => {
  it('emits one event per notification with the core tool name and the model call id', async () => {
    const client = connectedClient();
    const [tool] = await client.tools();
    if (tool === undefined) throw new Error('no tool');
    // Listening after the tools were built still asks for progress on the next call.
    const events: McpProgressEvent[] = [];
    const stop = client.events.on('tool-progress', (event) => {
      events.push(event);
    });
    const outcome = await executeTool(tool, {}, { toolCallId: 'call-1' });
    expect(outcome).toMatchObject({ ok: true, output: 'done' });
    expect(events).toEqual(
      [1, 2, 3].map((progress) => ({
        toolName: 'srv_steps',
        toolCallId: 'call-1',
        progress,
        total: 3,
        message: `step ${progress}`,
      })),
    );
    stop();
    await executeTool(tool, {}, { toolCallId: 'call-2' });
    expect(events).toHaveLength(3);
  });
});
