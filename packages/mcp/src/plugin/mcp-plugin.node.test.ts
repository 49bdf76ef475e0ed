import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuntime } from '@agenticgen/core';
import { describe, expect, it, vi } from 'vitest';
import { createMcpPlugin } from '../index.node.js';

const everythingBin = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
const misbehaving = fileURLToPath(new URL('../client/fixtures/misbehaving-server.mjs', import.meta.url));

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('createMcpPlugin over stdio', () => {
  it('connects at setup, namespaces tools per server, and ends the stdio children on dispose', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'agenticgen-mcp-')), 'pid');
    const runtime = await createRuntime({
      plugins: [
        createMcpPlugin({
          servers: {
            everything: {
              transport: { type: 'stdio', command: process.execPath, args: [everythingBin], stderr: 'ignore' },
            },
            weather: {
              transport: {
                type: 'stdio',
                command: process.execPath,
                args: [misbehaving, 'silent', pidFile],
                stderr: 'ignore',
              },
            },
          },
        }),
      ],
    });
    expect(runtime.tools.has('everything_echo')).toBe(true);
    expect(runtime.tools.has('weather_weather')).toBe(true);
    const outcome = await runtime.callTool({
      toolName: 'everything_echo',
      toolCallId: 'e',
      arguments: { message: 'x' },
    });
    expect(outcome).toMatchObject({ ok: true, output: 'Echo: x' });
    await vi.waitFor(() => expect(existsSync(pidFile)).toBe(true));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(isRunning(pid)).toBe(true);
    await runtime.dispose();
    await vi.waitFor(() => expect(isRunning(pid)).toBe(false));
  });

  it('a server that fails at setup fails the runtime with plugin-setup-failed naming the server', async () => {
    const setup = createRuntime({
      plugins: [
        createMcpPlugin({ servers: { broken: { transport: { type: 'stdio', command: '/nonexistent/server' } } } }),
      ],
    });
    await expect(setup).rejects.toMatchObject({ code: 'plugin-setup-failed' });
    await expect(setup).rejects.toThrow(/broken/);
  });
});
