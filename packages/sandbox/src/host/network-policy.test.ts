import { AgenticGenError } from '@agenticgen/core';
import { expect, it } from 'vitest';
import { caught } from '../testing/caught.js';
import { createTestSandbox } from '../testing/test-sandbox.js';
import { createNetworkPolicy } from './network-policy.js';

it('rejects malformed allow-list entries when the sandbox is created, naming the entry', () => {
  const malformed: unknown[] = [
    '*.example.com',
    'files.example.*',
    'https://files.example.internal/wheels',
    'files.example.internal/',
    'ftp://files.example.internal',
    'user@files.example.internal',
    'files.example.internal:0',
    'files.example.internal:70000',
    'files.example.internal:',
    ' files.example.internal',
    'files.example.internal?x=1',
    '',
    42,
  ];
  for (const entry of malformed) {
    const error = caught(() => createTestSandbox({ network: { allowedHosts: ['127.0.0.1:8123', entry as string] } }));
    expect(AgenticGenError.hasCode(error, 'invalid-config'), String(entry)).toBe(true);
    expect((error as Error).message).toContain('network.allowedHosts[1]');
  }
  expect((caught(() => createTestSandbox({ network: { allowedHosts: ['*'] } })) as Error).message).toMatch(
    /wildcards are not supported/,
  );
  const notArray = caught(() =>
    createTestSandbox({ network: { allowedHosts: 'files.example.internal' as unknown as string[] } }),
  );
  expect(AgenticGenError.hasCode(notArray, 'invalid-config')).toBe(true);
});

it('matches exact origins only: host, port and (when pinned) scheme', () => {
  const policy = createNetworkPolicy({
    allowedHosts: ['FILES.example.internal', '127.0.0.1:8123', 'https://secure.example.internal', '[::1]:9000'],
  });
  const allowed = (url: string) => policy.allows(new URL(url));
  expect(allowed('https://files.example.internal/wheels/a.whl')).toBe(true);
  expect(allowed('http://files.example.internal/a.whl')).toBe(true);
  expect(allowed('https://files.example.internal:443/a.whl')).toBe(true);
  expect(allowed('https://files.example.internal:8443/a.whl')).toBe(false);
  expect(allowed('https://sub.files.example.internal/a.whl')).toBe(false);
  expect(allowed('https://files.example.internal.evil.test/a.whl')).toBe(false);
  expect(allowed('http://127.0.0.1:8123/lock.json')).toBe(true);
  expect(allowed('http://127.0.0.1/lock.json')).toBe(false);
  expect(allowed('http://127.0.0.1:8124/lock.json')).toBe(false);
  expect(allowed('https://secure.example.internal/a.whl')).toBe(true);
  expect(allowed('http://secure.example.internal/a.whl')).toBe(false);
  expect(allowed('http://[::1]:9000/a.whl')).toBe(true);
  expect(allowed('file:///srv/wheels/a.whl')).toBe(false);
  expect(allowed('data:text/plain,x')).toBe(false);
  expect(createNetworkPolicy(undefined).allows(new URL('http://127.0.0.1:8123/'))).toBe(false);
});

it('refuses a URL off the list with network-not-allowed, naming the URL and the entry to add', () => {
  const policy = createNetworkPolicy({ allowedHosts: ['127.0.0.1:8123'] });
  const error = caught(() => policy.check(new URL('https://cdn.example.test/wheels/'), 'packageBaseUrl'));
  expect(AgenticGenError.hasCode(error, 'network-not-allowed')).toBe(true);
  expect((error as Error).message).toBe(
    '[sandbox] packageBaseUrl https://cdn.example.test/wheels/ is not on the network allow-list (allowed: 127.0.0.1:8123); add "cdn.example.test" to network.allowedHosts to let the sandbox host download packages from it (Python code never gets network)',
  );
});
