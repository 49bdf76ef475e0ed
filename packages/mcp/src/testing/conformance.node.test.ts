import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConformanceServer } from './conformance-fixture-server.js';
import { startHttpFixture } from './http-fixture-server.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const conformanceBin = here('../../../../node_modules/.bin/conformance');
const baseline = here('./conformance-baseline.yml');

/** Runs the conformance CLI without blocking this process (the fixture server lives in it). */
function conformance(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(conformanceBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('@modelcontextprotocol/conformance', () => {
  let fixture: Awaited<ReturnType<typeof startHttpFixture>>;
  beforeAll(async () => {
    fixture = await startHttpFixture(await createConformanceServer());
  });
  afterAll(() => fixture.close());

  it('server scenarios: every scenario passes except the documented baseline', { timeout: 240_000 }, async () => {
    const run = await conformance(['server', '--url', fixture.urls.streamable, '--expected-failures', baseline]);
    const summary = run.output.slice(run.output.indexOf('=== SUMMARY ==='));
    expect(summary, run.output.slice(-4_000)).toContain('✓ server-initialize');
    expect(summary).toContain('✓ tools-call-error');
    expect(summary).toContain('✓ dns-rebinding-protection');
    for (const scenario of [
      'tools-call-image',
      'tools-call-sampling',
      'resources-subscribe',
      'prompts-get-with-image',
    ]) {
      expect(summary).toContain(`✓ ${scenario}`);
    }
    expect(run.code, summary).toBe(0);
  });

  const clientCommand = `${process.execPath} ${here('./run-source.mjs')} ${here('./conformance-client.ts')}`;

  // The OAuth scenarios (auth/*), suite by suite: the CLI runs a suite's scenarios in parallel, each against
  // its own authorization server, and the client authorizes through transport.authProvider/authorizationCode.
  const authSuites: Record<string, string[]> = {
    auth: [
      'metadata-default',
      'metadata-var1',
      'metadata-var2',
      'metadata-var3',
      'basic-cimd',
      'scope-from-www-authenticate',
      'scope-from-scopes-supported',
      'scope-omitted-when-undefined',
      'scope-step-up',
      'scope-retry-limit',
      'token-endpoint-auth-basic',
      'token-endpoint-auth-post',
      'token-endpoint-auth-none',
      'pre-registration',
    ],
    backcompat: ['2025-03-26-oauth-metadata-backcompat', '2025-03-26-oauth-endpoint-fallback'],
    draft: ['resource-mismatch', 'offline-access-scope', 'offline-access-not-supported'],
    // auth/cross-app-access-complete-flow is in the baseline (see conformance-baseline.yml for why).
    extensions: ['client-credentials-jwt', 'client-credentials-basic'],
  };
  it.each(Object.keys(authSuites))(
    'client suite %s: every OAuth scenario passes except the documented baseline',
    { timeout: 300_000 },
    async (suite) => {
      const run = await conformance([
        'client',
        '--command',
        clientCommand,
        '--suite',
        suite,
        '--timeout',
        '120000',
        '--expected-failures',
        baseline,
      ]);
      for (const scenario of authSuites[suite] ?? []) {
        expect(run.output, run.output.slice(-4_000)).toMatch(new RegExp(`✓ auth/${scenario}: \\d+ passed, 0 failed`));
      }
      expect(run.code, run.output.slice(-4_000)).toBe(0);
    },
  );

  it.each(['initialize', 'tools_call', 'elicitation-sep1034-client-defaults', 'sse-retry'])(
    'client scenario %s passes',
    { timeout: 120_000 },
    async (scenario) => {
      const run = await conformance(['client', '--command', clientCommand, '--scenario', scenario]);
      expect(run.output, run.output.slice(-4_000)).toContain('OVERALL: PASSED');
      expect(run.code).toBe(0);
    },
  );
});
