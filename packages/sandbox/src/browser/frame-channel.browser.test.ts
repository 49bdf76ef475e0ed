import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { PythonSandbox } from '../host/sandbox-core.js';
import { createTestSandbox } from '../testing/test-sandbox.js';

let sandbox: PythonSandbox;
// A package host allowed for the page: the iframe must still get no network at all.
const allowedOrigin = inject('sandboxPackageHosts').allowed;

beforeAll(() => {
  sandbox = createTestSandbox({ network: { allowedHosts: [new URL(allowedOrigin).host, location.host] } });
});

afterAll(async () => {
  await sandbox?.dispose();
});

it('runs the workers in an opaque-origin iframe with a CSP that forbids eval and network, allow-list or not', async () => {
  const session = await sandbox.createSession();
  const frame = document.querySelector('iframe[sandbox]') as HTMLIFrameElement;
  expect(frame.getAttribute('sandbox')).toBe('allow-scripts');
  // Package files are downloaded by the page, never by the frame: the allow-list must not widen its CSP.
  expect(frame.srcdoc).toMatch(/connect-src 'none'/);
  expect(frame.srcdoc).not.toContain(new URL(allowedOrigin).host);
  expect(frame.srcdoc).not.toContain(location.host);
  expect(frame.srcdoc).not.toContain("'unsafe-eval'");
  expect(frame.srcdoc).toContain("'wasm-unsafe-eval'");
  // Opaque origin: the page cannot read into the frame, and so the frame cannot read into the page.
  expect(() => frame.contentDocument?.body).not.toThrow();
  expect(frame.contentDocument).toBeNull();
  const fetched = await session.run(
    'from pyodide.ffi import to_js\nto_js({}).constructor.constructor("return fetch(\'/\')")()',
  );
  expect(fetched.ok).toBe(false);
  await session.dispose();
});

it('ignores forged replies posted to the page instead of the dedicated port', async () => {
  const session = await sandbox.createSession();
  const forged = JSON.stringify({
    op: 'reply',
    id: 1,
    ok: true,
    value: { ok: true, truncated: false, stdout: 'forged', stderr: '', durationMs: 0, heapBytes: 0 },
  });
  const running = session.run('import time\ntime.sleep(0.2)\n"real"');
  for (let worker = 1; worker < 10; worker++) {
    window.postMessage({ t: 'message', w: worker, json: forged }, '*');
    window.postMessage({ t: 'configured' }, '*');
  }
  const result = await running;
  expect(result.stdout).toBe('');
  expect(result.result?.repr).toBe("'real'");
  await session.dispose();
});

// Issue 16 B2: when the frame's renderer process dies (a session exhausted its memory), nothing tells the page.
// Removing the frame is the same silence without a crash, which vitest's browser mode would abort on.
it('fails the running call with SandboxCrash when the frame goes silent, then starts a new frame', async () => {
  const container = document.createElement('div');
  document.body.append(container);
  const own = createTestSandbox({ container, limits: { timeoutMs: 120_000 } } as never);
  try {
    const session = await own.createSession();
    const running = session.run('import time\ntime.sleep(100)');
    container.querySelector('iframe')?.remove();
    const result = await running;
    expect(result.error?.type).toBe('SandboxCrash');
    expect(result.error?.message).toMatch(/frame stopped answering/);
    const fresh = await own.createSession();
    expect((await fresh.run('6 * 7')).result?.repr).toBe('42');
    expect(container.querySelectorAll('iframe')).toHaveLength(1);
  } finally {
    await own.dispose();
    container.remove();
  }
}, 120_000);
