import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const packages = ['core', 'cache', 'metrics', 'vector', 'sandbox', 'adapters'];
const built = packages.every((name) => existsSync(join(root, 'packages', name, 'dist', 'index.js')));
if (!built) {
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error('[test] the packages must be built (npm run build) before the starter-server process test');
  }
  console.warn(
    '\n\u001b[33m!!! [test] packages not built: the `node src/main.ts` process test is SKIPPED (run npm run build)\u001b[0m\n',
  );
}

describe.runIf(built)('the server as a process (node src/main.ts, as npm start runs it)', () => {
  it('runs under plain Node, prints the sign-in link, serves, and drains on SIGTERM', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agenticgen-process-'));
    const child = spawn(
      process.execPath,
      [join(root, 'examples', 'starter-server', 'src', 'main.ts'), '--port', '0', '--data-dir', dataDir],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    try {
      const link = await new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no sign-in link within 45 s:\n${log}`)), 45_000);
        child.stderr.on('data', () => {
          const match = /Open (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(log);
          if (match !== null) {
            clearTimeout(timer);
            resolve(match);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${log}`)));
      });
      const [, url, token] = link;
      expect(log).toContain('OFFLINE DEMO MODEL');
      const ready = (await (await fetch(`${url}/ready`)).json()) as {
        status: string;
        features: Record<string, { available: boolean }>;
      };
      expect(ready.status).toBe('ready');
      for (const feature of ['metrics', 'cache', 'knowledge', 'vector-store', 'sandbox', 'runtime', 'compare']) {
        expect({ feature, available: ready.features[feature]?.available }).toEqual({ feature, available: true });
      }
      const page = await fetch(`${url}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      const agents = await fetch(`${url}/api/agents`, { headers: { authorization: `Bearer ${token}` } });
      expect(agents.status).toBe(200);

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(log).toContain('shutdown complete');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
