import { AgenticGenError } from '@agenticgen/core';
import { afterAll, expect, inject, it } from 'vitest';
import { caught } from '../testing/caught.js';
import { createTestSandbox } from '../testing/test-sandbox.js';
import type { PythonSandbox } from './sandbox-core.js';

// Two package hosts on 127.0.0.1 serving the fixture wheel and lock file (testing/vitest-global-setup.ts),
// under a path of our own so that requests of other test files are not counted here.
const { allowed: allowedOrigin, refused: refusedOrigin } = inject('sandboxPackageHosts');
const scope = `network-${crypto.randomUUID()}`;
const hosts = { allowed: `${allowedOrigin}/${scope}`, refused: `${refusedOrigin}/${scope}` };
const allowedHost = new URL(allowedOrigin).host;
const refusedHost = new URL(refusedOrigin).host;

/** Requests a host has received so far under our path (the counter endpoint itself is not counted). */
async function requests(base: string): Promise<number> {
  const origin = new URL(base).origin;
  const response = await fetch(`${origin}/__requests/${scope}`);
  return ((await response.json()) as { requests: number }).requests;
}

const sandboxes: PythonSandbox[] = [];
afterAll(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.dispose()));
});

it('loads packages from an allowed host; Python still cannot reach that host', async () => {
  const before = await requests(hosts.allowed);
  const sandbox = createTestSandbox({
    packages: ['agenticgen-demo'],
    lockFileURL: `${hosts.allowed}/demo-lock.json`,
    packageBaseUrl: hosts.allowed,
    network: { allowedHosts: [allowedHost] },
  });
  sandboxes.push(sandbox);
  const session = await sandbox.createSession();
  const loaded = await session.run('import agenticgen_demo\nagenticgen_demo.greet("network")');
  expect(loaded.error).toBeUndefined();
  expect(loaded.result?.repr).toBe("'hello network from a local wheel'");
  // The host downloaded exactly the lock file and the wheel.
  const afterLoad = await requests(hosts.allowed);
  expect(afterLoad - before).toBe(2);

  const attempts = [
    `import urllib.request\nurllib.request.urlopen("${hosts.allowed}/demo-lock.json", timeout=1).read()`,
    `import pyodide.http\npyodide.http.open_url("${hosts.allowed}/demo-lock.json").read()`,
    // No top-level await: step the coroutine by hand until it needs the network.
    `from pyodide.http import pyfetch\nstep = pyfetch("${hosts.allowed}/demo-lock.json")\nstep.send(None)\nstep.send(None)`,
    `import socket\ns = socket.create_connection(("127.0.0.1", ${new URL(allowedOrigin).port}), timeout=1)\ns.sendall(b"GET /${scope}/demo-lock.json HTTP/1.0\\r\\n\\r\\n")`,
    `from pyodide.ffi import to_js\nto_js({}).constructor.constructor("return fetch('${hosts.allowed}/demo-lock.json')")()`,
  ];
  for (const code of attempts) {
    const result = await session.run(code);
    expect(result.ok, code).toBe(false);
  }
  expect(await requests(hosts.allowed)).toBe(afterLoad);
  expect((await session.run('21 * 2')).result?.repr).toBe('42');
  await session.dispose();
}, 120_000);

it('refuses package hosts off the allow-list when the sandbox is created, before any request', async () => {
  const before = await requests(hosts.refused);
  const options = {
    packages: ['agenticgen-demo'],
    lockFileURL: `${hosts.refused}/demo-lock.json`,
    packageBaseUrl: `${hosts.refused}/`,
  };
  // No allow-list at all: network is off by default.
  const byDefault = caught(() => createTestSandbox(options));
  expect(AgenticGenError.hasCode(byDefault, 'network-not-allowed')).toBe(true);
  expect((byDefault as Error).message).toContain(`${hosts.refused}/demo-lock.json`);
  expect((byDefault as Error).message).toContain(`add "${refusedHost}" to network.allowedHosts`);
  // Another host allowed, or the right host pinned to https, or only the lock file's host allowed.
  for (const variant of [
    { ...options, network: { allowedHosts: [allowedHost] } },
    { ...options, network: { allowedHosts: [`https://${refusedHost}`] } },
    { ...options, lockFileURL: `${hosts.allowed}/demo-lock.json`, network: { allowedHosts: [allowedHost] } },
  ]) {
    const error = caught(() => createTestSandbox(variant));
    expect(AgenticGenError.hasCode(error, 'network-not-allowed')).toBe(true);
    expect((error as AgenticGenError).data).toMatchObject({ host: refusedHost });
  }
  // A packageBaseUrl on an unlisted host is an error even before any package needs it.
  const baseOnly = caught(() => createTestSandbox({ packageBaseUrl: `${hosts.refused}/` }));
  expect(AgenticGenError.hasCode(baseOnly, 'network-not-allowed')).toBe(true);
  expect((baseOnly as Error).message).toMatch(/^\[sandbox\] packageBaseUrl /);
  expect(await requests(hosts.refused)).toBe(before);
});

it('does not follow a redirect from an allowed host to one that is not allowed', async () => {
  const before = await requests(hosts.refused);
  const sandbox = createTestSandbox({
    packages: ['agenticgen-demo'],
    lockFileURL: `${hosts.allowed}/demo-lock.json`,
    packageBaseUrl: `${hosts.allowed}/redirect/`,
    network: { allowedHosts: [allowedHost] },
  });
  sandboxes.push(sandbox);
  const error = await sandbox.createSession().catch((caughtError: unknown) => caughtError);
  expect(AgenticGenError.hasCode(error, 'network')).toBe(true);
  expect((error as Error).message).toMatch(/redirects are not followed/);
  expect(await requests(hosts.refused)).toBe(before);
}, 60_000);
