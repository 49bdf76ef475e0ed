import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const packages = ['core', 'cache', 'metrics', 'vector', 'sandbox', 'adapters'];
const built = packages.every((name) => existsSync(join(root, 'packages', name, 'dist', 'index.js')));
if (!built && (process.env.CI === 'true' || process.env.CI === '1')) {
  throw new Error('[test] the packages must be built (npm run build) before the npm start test');
}

/** True while any process of the group `groupId` is alive. */
function groupAlive(groupId: number): boolean {
  try {
    process.kill(-groupId, 0);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(built)('npm start (scripts/start.mjs)', () => {
  // SIGTERM goes to npm alone (a process manager, `kill <pid>`): npm's `sh -c` dies without passing it on, so
  // start.mjs must notice on its own. SIGINT goes to the whole group, as Ctrl+C in a terminal does.
  const cases = [
    { signal: 'SIGTERM', to: 'npm' },
    { signal: 'SIGINT', to: 'group' },
  ] as const;
  for (const { signal, to } of cases) {
    it(`stops the server on ${signal} to the ${to}: no process is left orphaned`, { timeout: 90_000 }, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'agenticgen-npm-start-'));
      // Its own process group, so the test can see every process npm started, whatever their parent becomes.
      const npm = spawn('npm', ['start', '--silent', '--', '--port', '0', '--data-dir', dataDir], {
        cwd: root,
        detached: true,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const groupId = npm.pid as number;
      let log = '';
      npm.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
      });
      try {
        await vi.waitFor(() => expect(log).toMatch(/Open http:\/\/127\.0\.0\.1:\d+\//), {
          timeout: 60_000,
          interval: 100,
        });
        if (to === 'npm') npm.kill(signal);
        else process.kill(-groupId, signal);
        await vi.waitFor(() => expect(groupAlive(groupId)).toBe(false), { timeout: 30_000, interval: 100 });
        expect(log).toContain('shutdown complete');
      } finally {
        if (groupAlive(groupId)) process.kill(-groupId, 'SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});
