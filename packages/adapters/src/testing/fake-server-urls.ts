import { inject } from 'vitest';
import type { FakeServerUrls } from './fake-servers/index.js';

/** The fake servers' URLs, provided by the global setup in Node and in Chromium alike. */
export function fakeServerUrls(): FakeServerUrls {
  return inject('adapterFakeServers');
}

/** SDKs refuse to run in a browser without an explicit opt-in; tests opt in, users should use a proxy. */
export const browserOptIn = { dangerouslyAllowBrowser: true } as const;
