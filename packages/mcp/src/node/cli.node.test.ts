import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpClient, type McpClient } from '../index.node.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
// The bin runs from source: run-source.mjs lets Node execute the workspace's TypeScript as the build would.
const binCommand = [here('../testing/run-source.mjs'), here('./bin.ts')];
const config = here('./fixtures/serve-config.ts');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('agenticgen-mcp serve', () => {
  it('serves a config module over stdio to our client', async () => {
    const client: McpClient = createMcpClient({
      transport: {
        type: 'stdio',
        command: process.execPath,
        args: [...binCommand, 'serve', '--config', config],
        stderr: 'ignore',
      },
    });
    cleanups.push(() => client.close());
    const [tool] = await client.tools();
    expect(tool?.name).toBe('shout');
    const context = { signal: new AbortController().signal, toolCallId: 's', values: {} };
    expect(await tool?.execute({ text: 'hello' }, context)).toBe('HELLO');
  });

  it('refuses a missing config module with a clear invalid-config error', async () => {
    const { loadServeConfig } = await import('./cli.js');
    await expect(loadServeConfig('/nonexistent/config.js')).rejects.toMatchObject({ code: 'invalid-config' });
  });

  it('serves over Streamable HTTP with --http to the SDK Client', async () => {
    const child = spawn(process.execPath, [...binCommand, 'serve', '--config', config, '--http', '0'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    cleanups.push(() => child.kill());
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { url } = JSON.parse(line) as { url: string };
    const client = new Client({ name: 'sdk', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    cleanups.push(() => client.close());
    expect(await client.callTool({ name: 'shout', arguments: { text: 'http' } })).toMatchObject({
      content: [{ type: 'text', text: 'HTTP' }],
    });
  });
});
