import { afterAll, describe, expect, it } from 'vitest';
import { createTestSandbox } from '../testing/test-sandbox.js';
import type { PythonSandbox } from './sandbox-core.js';

/**
 * CPython draws its `hash()` secret once, when the interpreter starts, so sessions restored from one memory
 * snapshot share it (their `random` streams are reseeded and differ). `pool.freshInterpreters` starts every
 * worker cold instead, trading start-up time for a secret per session. Node and Chromium.
 */
describe('hash() secrets and pool.freshInterpreters', { timeout: 120_000 }, () => {
  const sandboxes: PythonSandbox[] = [];
  afterAll(async () => {
    await Promise.all(sandboxes.map((sandbox) => sandbox.dispose()));
  });

  const probe = 'import random\nhash("agenticgen"), random.random()';

  it('snapshot-restored sessions share the hash secret but never a random stream', async () => {
    const sandbox = createTestSandbox({ pool: { warm: 2 } });
    sandboxes.push(sandbox);
    const [first, second] = await Promise.all([sandbox.createSession(), sandbox.createSession()]);
    const [one, two] = await Promise.all([first.run(probe), second.run(probe)]);
    const [hashOne, randomOne] = String(one.result?.repr).slice(1, -1).split(', ');
    const [hashTwo, randomTwo] = String(two.result?.repr).slice(1, -1).split(', ');
    expect(hashOne).toBe(hashTwo);
    expect(randomOne).not.toBe(randomTwo);
  });

  it('with freshInterpreters every session has its own hash secret, and the isolation still holds', async () => {
    const sandbox = createTestSandbox({ pool: { warm: 2, freshInterpreters: true } });
    sandboxes.push(sandbox);
    const [first, second] = await Promise.all([sandbox.createSession(), sandbox.createSession()]);
    const [one, two] = await Promise.all([first.run(probe), second.run(probe)]);
    expect(one.ok).toBe(true);
    expect(String(one.result?.repr).split(', ')[0]).not.toBe(String(two.result?.repr).split(', ')[0]);
    // The standard library works as in restored workers, and the host modules are still refused.
    expect((await first.run('import statistics\nstatistics.mean([1, 2, 3])')).result?.repr).toBe('2');
    const hostImport = await second.run('import js');
    expect(hostImport.error?.type).toBe('ModuleNotFoundError');
    await first.run('kept = 41');
    expect((await first.run('kept + 1')).result?.repr).toBe('42');
  });
});
