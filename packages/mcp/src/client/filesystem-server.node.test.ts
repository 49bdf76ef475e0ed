import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpClient, type McpClient } from '../index.node.js';

const filesystemBin = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/dist/index.js');

describe('client against @modelcontextprotocol/server-filesystem on a temp dir', () => {
  // realpath: the server compares resolved paths (macOS-style /tmp symlinks would otherwise differ).
  const directory = realpathSync(mkdtempSync(join(tmpdir(), 'agenticgen-mcp-fs-')));
  let client: McpClient;
  beforeAll(() => {
    writeFileSync(join(directory, 'notes.txt'), 'MCP works.\n');
    client = createMcpClient({
      transport: { type: 'stdio', command: process.execPath, args: [filesystemBin, directory], stderr: 'ignore' },
      toolNamePrefix: 'fs_',
    });
  });
  afterAll(() => client.close());

  it('an agent reads and writes files inside the allowed directory; outside it the server refuses', async () => {
    const model = new MockChatModel({
      responses: [
        {
          toolCalls: [
            { toolName: 'fs_read_text_file', input: { path: join(directory, 'notes.txt') }, toolCallId: 'read' },
            {
              toolName: 'fs_write_file',
              input: { path: join(directory, 'out.txt'), content: 'written' },
              toolCallId: 'write',
            },
            { toolName: 'fs_read_text_file', input: { path: '/etc/hostname' }, toolCallId: 'outside' },
          ],
        },
        'Done.',
      ],
    });
    const agent = createAgent({ name: 'files', instructions: '', model, tools: await client.tools() });
    const result = await agent.run('Read my notes.');
    const calls = result.steps[0]?.toolCalls ?? [];
    expect(JSON.stringify(calls.find((call) => call.toolCallId === 'read')?.output)).toContain('MCP works.');
    expect(calls.find((call) => call.toolCallId === 'write')?.isError).toBe(false);
    expect(readFileSync(join(directory, 'out.txt'), 'utf8')).toBe('written');
    expect(calls.find((call) => call.toolCallId === 'outside')).toMatchObject({
      isError: true,
      output: { error: { code: 'mcp-tool-error' } },
    });
    expect(result.text).toBe('Done.');
  });
});
