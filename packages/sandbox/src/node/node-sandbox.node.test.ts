import { readdirSync, readFileSync } from 'node:fs';
import { AgenticGenError } from '@agenticgen/core';
import { createSandbox } from '@agenticgen/sandbox';
import { expect, it } from 'vitest';

/** Command line and environment of this process's children (Linux /proc). */
function children(): { cmdline: string[]; environ: string[] }[] {
  const found: { cmdline: string[]; environ: string[] }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (Number(/PPid:\s+(\d+)/.exec(status)?.[1]) !== process.pid) continue;
      found.push({
        cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean),
        environ: readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').filter(Boolean),
      });
    } catch {
      // The process ended meanwhile.
    }
  }
  return found;
}

it.runIf(process.platform === 'linux')(
  'runs the workers in a child process with no environment, no eval and the permission model',
  async () => {
    process.env.AGENTICGEN_SANDBOX_HOST_SECRET = 'not-for-the-sandbox';
    const sandbox = createSandbox({ pool: { warm: 0 } });
    try {
      await sandbox.warmUp();
      const supervisor = children().find((child) => child.cmdline.some((part) => /supervisor\.(js|ts)$/.test(part)));
      expect(supervisor).toBeDefined();
      expect(supervisor?.cmdline).toEqual(
        expect.arrayContaining(['--permission', '--allow-worker', '--disallow-code-generation-from-strings']),
      );
      expect(supervisor?.cmdline.some((part) => part.startsWith('--allow-fs-write'))).toBe(false);
      expect(supervisor?.cmdline.some((part) => part.startsWith('--allow-child-process'))).toBe(false);
      // Only the IPC channel's own variables, which Node adds for fork().
      expect(supervisor?.environ.every((variable) => variable.startsWith('NODE_CHANNEL_'))).toBe(true);
    } finally {
      await sandbox.dispose();
      delete process.env.AGENTICGEN_SANDBOX_HOST_SECRET;
    }
  },
  120_000,
);

it('reports a missing Pyodide directory with dependency-missing', async () => {
  const sandbox = createSandbox({ pyodideDirectory: '/nonexistent/pyodide' });
  const error = await sandbox.createSession().catch((caught: unknown) => caught);
  expect(AgenticGenError.hasCode(error, 'dependency-missing')).toBe(true);
  expect((error as Error).message).toMatch(/pyodideDirectory/);
  await sandbox.dispose();
});
