/**
 * Test support: the real `promtool` and `prometheus` binaries (Debian's `prometheus` package). With CI=true a
 * missing binary fails the run; locally the tests that need it are skipped with a loud warning.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const onCi = process.env.CI === 'true' || process.env.CI === '1';

/** Absolute path of a binary, or undefined (throws on CI so a missing tool can never pass silently). */
export function requireBinary(name: 'promtool' | 'prometheus'): string | undefined {
  const candidates = [`/usr/bin/${name}`, `/usr/local/bin/${name}`];
  let found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    try {
      found = execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      found = undefined;
    }
  }
  if (found === undefined) {
    const message = `[metrics test] ${name} not found: install Debian's "prometheus" package (apt-get install -y prometheus)`;
    if (onCi) throw new Error(`${message}; CI must run the real-Prometheus tests.`);
    console.warn(`\n\u001b[33m!!! ${message}. THE ${name.toUpperCase()} TESTS ARE SKIPPED.\u001b[0m\n`);
  }
  return found;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ScrapeTarget {
  job: string;
  port: number;
  path: string;
}

export interface RunningPrometheus {
  url: string;
  /** Runs an instant query and returns the vector result. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** GETs an API path and returns `data`. */
  api(path: string): Promise<unknown>;
  stop(): Promise<void>;
  /** Everything the server logged, for failure messages. */
  logs(): string;
}

/** Starts a private Prometheus on a free 127.0.0.1 port scraping `targets` every `intervalMs`. */
export async function startPrometheus(
  binary: string,
  targets: readonly ScrapeTarget[],
  intervalMs = 500,
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'agenticgen-prometheus-'));
  const port = await freePort();
  const config = [
    'global:',
    `  scrape_interval: ${intervalMs}ms`,
    `  scrape_timeout: ${intervalMs}ms`,
    'scrape_configs:',
    ...targets.flatMap((target) => [
      `  - job_name: ${target.job}`,
      `    metrics_path: ${target.path}`,
      '    static_configs:',
      `      - targets: ['127.0.0.1:${target.port}']`,
    ]),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), `${config}\n`);
  let output = '';
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited early (${child.exitCode}):\n${output}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready in 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const api = async (path: string) => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: unknown; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus API ${path} failed: ${body.error}`);
    return body.data;
  };
  return {
    url,
    api,
    async query(promql) {
      const data = (await api(`/api/v1/query?query=${encodeURIComponent(promql)}`)) as {
        result: { metric: Record<string, string>; value: [number, string] }[];
      };
      return data.result;
    },
    stop,
    logs: () => output,
  };
}

/** Polls `check` until it returns a value other than undefined (or times out with the last error). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms: ${String(lastError ?? '')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
