/**
 * A third-party plugin installed into the starter server: the template from examples/plugin-template, loaded
 * next to the server's own plugins, shows up in the HTTP API and runs through the server's runtime.
 */
// From source: the template is built only when its author publishes it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesPlugin } from '../../plugin-template/src/index.ts';
import { startTestServer, type TestServer } from './harness.ts';

describe('plugin template installed into the starter server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      services: { plugins: [notesPlugin], pluginConfig: { notes: { blockedWords: ['password'] } } },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists the plugin tools in the API next to the server tools', async () => {
    const response = await server.api('/api/tools');
    expect(response.status).toBe(200);
    const { tools } = (await response.json()) as { tools: Array<{ name: string }> };
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['save_note', 'find_notes']));
  });

  it('runs the plugin tools and its guard hook through the server runtime', async () => {
    const runtime = server.app.context.services.runtime;
    expect(runtime.plugins.map((plugin) => plugin.name)).toContain('notes');
    const saved = await runtime.callTool({
      toolName: 'save_note',
      toolCallId: 'c1',
      arguments: { title: 'Release', body: 'Tag v0.1.0 after CI is green' },
    });
    expect(saved).toMatchObject({ ok: true, output: { saved: 'note-1' } });
    const found = await runtime.callTool({ toolName: 'find_notes', toolCallId: 'c2', arguments: { query: 'release' } });
    expect(found.ok && (found.output as { notes: Array<{ title: string }> }).notes[0]?.title).toBe('Release');
    const refused = await runtime
      .callTool({ toolName: 'save_note', toolCallId: 'c3', arguments: { title: 'x', body: 'my password' } })
      .then(
        (outcome) => (outcome.ok ? 'ran' : outcome.error.code),
        (error: { code?: string }) => error.code,
      );
    expect(refused).toBe('guardrail-tripped');
  });
});
