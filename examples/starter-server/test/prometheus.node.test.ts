import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../test-support/redis-server.ts';
import { startTestServer, type TestServer } from './harness.ts';

function binaryAvailable(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error(`[test] ${name} is required in CI: apt-get install -y prometheus`);
    }
    console.warn(
      `\n\u001b[33m!!! [test] ${name} not installed: the Prometheus scrape test is SKIPPED (apt-get install -y prometheus)\u001b[0m\n`,
    );
    return false;
  }
}

const available = binaryAvailable('prometheus') && binaryAvailable('promtool');

describe.runIf(available)('Prometheus scrapes /metrics', () => {
  let server: TestServer;
  let prometheus: ChildProcess | undefined;
  let folder: string;
  let prometheusUrl: string;

  beforeAll(async () => {
    server = await startTestServer({ services: { sandbox: false } });
    folder = mkdtempSync(join(tmpdir(), 'agenticgen-prometheus-'));
    const target = new URL(server.url).host;
    writeFileSync(
      join(folder, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: starter\n    metrics_path: /metrics\n    static_configs:\n      - targets: ['${target}']\n`,
    );
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(folder, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(folder, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: 'ignore' },
    );
  });

  afterAll(async () => {
    if (prometheus !== undefined && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    rmSync(folder, { recursive: true, force: true });
    await server.close();
  });

  it('passes promtool lint and is scraped with the server metrics', async () => {
    const exposition = await (await fetch(`${server.url}/metrics`)).text();
    // promtool exits non-zero on a malformed exposition; lint findings (naming advice) are printed only.
    const lint = execFileSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
    expect(lint).not.toMatch(/error/i);

    for (let index = 0; index < 5; index++) await server.api('/api/agents');
    const query = async (expression: string) => {
      const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`);
      const body = (await response.json()) as {
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      return body.data.result;
    };
    // Prometheus is another process that scrapes on its own schedule: poll it (a failing query means it is
    // still starting) until it has scraped the starter.
    const requests = await vi.waitFor(
      async () => {
        const up = await query('up{job="starter"}');
        const found = await query('http_server_requests_total{route="/api/agents",status="200"}');
        expect(up[0]?.value[1]).toBe('1');
        expect(found.length).toBeGreaterThan(0);
        return found;
      },
      { timeout: 25_000, interval: 300 },
    );
    expect(requests[0]?.metric).toMatchObject({ job: 'starter', method: 'GET', service: 'agenticgen-starter' });
    expect(Number(requests[0]?.value[1])).toBeGreaterThanOrEqual(5);

    // The shipped Prometheus config is valid.
    execFileSync('promtool', ['check', 'config', join(import.meta.dirname, '..', 'deploy', 'prometheus.yml')]);

    // Every query of the shipped Grafana dashboard parses and runs on this Prometheus.
    const dashboard = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', 'deploy', 'grafana', 'starter-server-dashboard.json'), 'utf8'),
    ) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const expression = target.expr.replaceAll('$__rate_interval', '1m');
        const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`);
        expect({ panel: panel.title, status: ((await response.json()) as { status: string }).status }).toEqual({
          panel: panel.title,
          status: 'success',
        });
      }
    }
  });
});
