import type { TestProject } from 'vitest/node';
import { type FakeServerUrls, startFakeServers } from './fake-servers/index.js';

/**
 * Vitest global setup (Node side of both projects): starts the fake provider servers on random 127.0.0.1
 * ports and provides their URLs, so the same test files reach them from Node and from Chromium.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers = await startFakeServers();
  project.provide('adapterFakeServers', servers.urls);
  return () => servers.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URLs of the adapters' fake provider servers. */
    adapterFakeServers: FakeServerUrls;
  }
}
