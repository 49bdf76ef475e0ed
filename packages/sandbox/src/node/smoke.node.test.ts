import { expect, it } from 'vitest';
import { createSandbox } from '@agenticgen/sandbox';

it('smoke', async () => {
  const t0 = performance.now();
  const sandbox = createSandbox({ limits: { timeoutMs: 2000 } });
  const s = await sandbox.createSession();
  console.log('session', performance.now() - t0);
  let t = performance.now();
  console.log(await s.run('x = 41\nprint("hi")\nx + 1'), performance.now() - t);
  t = performance.now();
  for (let i = 0; i < 100; i++) await s.run('x');
  console.log('100 runs', performance.now() - t);
  console.log(await s.run('import js'));
  console.log(await s.run('from pyodide.ffi import to_js\nto_js({}).constructor.constructor("return globalThis")()'));
  t = performance.now();
  console.log(await s.run('while True: pass', { timeoutMs: 200 }), performance.now() - t);
  console.log(await s.run('x'));
  t = performance.now();
  console.log(await s.run('import time; time.sleep(1e6)', { timeoutMs: 200 }), performance.now() - t);
  console.log(await s.run('x'));
  await sandbox.dispose();
  expect(1).toBe(1);
}, 60000);
