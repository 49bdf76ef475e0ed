import { expect, it } from 'vitest';

it('the browser test page is cross-origin isolated, so SharedArrayBuffer is available', () => {
  expect(globalThis.crossOriginIsolated).toBe(true);
  expect(typeof SharedArrayBuffer).toBe('function');
});
