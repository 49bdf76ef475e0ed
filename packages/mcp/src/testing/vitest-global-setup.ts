import type { TestProject } from 'vitest/node';
import { type McpFixtureUrls, startHttpFixture } from './http-fixture-server.js';

/**
 * Vitest global setup (Node side of both projects): starts the fixture MCP server over Streamable HTTP
 * (stateful, stateless, bearer-protected) and HTTP+SSE, so the same tests reach it from Node and Chromium.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fixture = await startHttpFixture();
  project.provide('mcpFixtureUrls', fixture.urls);
  return () => fixture.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** URLs of the MCP fixture server (packages/mcp). */
    mcpFixtureUrls: McpFixtureUrls;
  }
}
