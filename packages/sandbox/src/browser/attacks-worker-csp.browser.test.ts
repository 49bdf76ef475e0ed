/**
 * Issue 16 B1, the CSP layer: a worker that runs arbitrary JavaScript (as one did through a captured global)
 * must not be able to start new code, even with `Blob`, object URLs and `Worker` in hand. The worker here is the
 * test's own code, started by the real frame exactly as the sandbox's worker is.
 */
import { afterEach, expect, it } from 'vitest';
import { firstRelayed, type SandboxFrame, startSandboxFrame } from '../testing/sandbox-frame.js';
import { frameDocument } from './browser-sandbox.js';

let started: SandboxFrame | undefined;

afterEach(() => {
  started?.frame.remove();
  started = undefined;
});

/** Runs in the worker: every way to start code it has, each reported as 'ran' or as how it was refused. */
const compromisedWorker = `
if (self.name === 'nested') postMessage('nested');
else {
const outcome = {};
const violations = [];
self.addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective));
const blobUrl = (code) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
const nested = (name, url) => new Promise((resolve) => {
  try {
    const worker = new Worker(url, { name: 'nested' });
    worker.onmessage = () => resolve('ran');
    worker.onerror = () => resolve('refused');
  } catch (error) {
    resolve('refused: ' + error.name);
  }
}).then((result) => { outcome[name] = result; });
Promise.all([
  nested('blobWorker', blobUrl('postMessage(1)')),
  nested('dataWorker', 'data:text/javascript,postMessage(1)'),
  nested('selfCopy', location.href),
  import(blobUrl('export default 1')).then(() => 'ran', () => 'refused').then((r) => { outcome.blobImport = r; }),
]).then(() => postMessage({ json: JSON.stringify({ op: 'report', outcome, violations }) }));
}
`;

it('refuses every nested worker and blob import a compromised worker attempts (CSP of the worker)', async () => {
  started = await startSandboxFrame(compromisedWorker);
  const { message, exit } = await firstRelayed(started.port);
  expect(exit).toBeUndefined();
  expect(message?.outcome).toEqual({
    blobWorker: 'refused',
    dataWorker: 'refused',
    selfCopy: 'refused',
    blobImport: 'refused',
  });
  expect(message?.violations).toEqual(expect.arrayContaining(['worker-src', 'script-src-elem']));
});

it('lets the frame load no script from any URL (only its own two scripts, by hash)', async () => {
  const policy = /content="([^"]*)"/.exec(await frameDocument())?.[1] ?? '';
  const scriptSources = /script-src ([^;]*)/.exec(policy)?.[1]?.split(' ') ?? [];
  expect(scriptSources.filter((source) => !source.startsWith("'sha256-"))).toEqual(["'wasm-unsafe-eval'"]);
});
