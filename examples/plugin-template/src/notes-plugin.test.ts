import { readFileSync } from 'node:fs';
import { AgenticGenError, type CacheStore, createRuntime, definePlugin } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { notesPlugin } from './index.js';

/** A CacheStore over a Map, standing in for @agenticgen/cache: what matters here is the contract. */
function mapCache(entries = new Map<string, unknown>()): CacheStore {
  return {
    get: async <T>(key: string) => structuredClone(entries.get(key)) as T | undefined,
    set: async (key, value) => void entries.set(key, structuredClone(value)),
    delete: async (key) => void entries.delete(key),
    has: async (key) => entries.has(key),
    getOrSet: async <T>(key: string, loader: () => Promise<T>) => {
      if (!entries.has(key)) entries.set(key, await loader());
      return entries.get(key) as T;
    },
  };
}

const cachePlugin = (cache: CacheStore) =>
  definePlugin({ name: 'map-cache', version: '1.0.0', setup: () => ({ providers: { cache: { default: cache } } }) });

describe('notes plugin in a real runtime', () => {
  it('contributes both tools, which save and find notes', async () => {
    const runtime = await createRuntime({ plugins: [notesPlugin] });
    expect(runtime.tools.list().map((tool) => tool.name)).toEqual(['save_note', 'find_notes']);
    const saved = await runtime.callTool({
      toolName: 'save_note',
      toolCallId: 'call-1',
      arguments: JSON.stringify({ title: 'Deploy', body: 'Ship the cache on Friday', tags: ['ops'] }),
    });
    expect(saved).toMatchObject({ ok: true, output: { saved: 'note-1' } });
    await runtime.callTool({
      toolName: 'save_note',
      toolCallId: 'call-2',
      arguments: { title: 'Lunch', body: 'Pizza' },
    });
    const found = await runtime.callTool({
      toolName: 'find_notes',
      toolCallId: 'call-3',
      arguments: { query: 'cache friday' },
    });
    expect(found.ok && (found.output as { notes: { title: string }[] }).notes.map((note) => note.title)).toEqual([
      'Deploy',
    ]);
    await runtime.dispose();
  });

  it('gives the model a structured error for invalid arguments instead of running the tool', async () => {
    const runtime = await createRuntime({ plugins: [notesPlugin], config: { notes: { maxNoteLength: 10 } } });
    const outcome = await runtime.callTool({
      toolName: 'save_note',
      toolCallId: 'call-1',
      arguments: { title: 'Too long', body: 'x'.repeat(11) },
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('tool-invalid-arguments');
      expect(outcome.error.issues?.[0]?.path).toBe('/body');
    }
    const found = await runtime.callTool({ toolName: 'find_notes', toolCallId: 'call-2', arguments: { query: '' } });
    expect(found.ok && (found.output as { notes: unknown[] }).notes).toEqual([]);
    await runtime.dispose();
  });

  it('rejects a bad config with an error naming the plugin and the field', async () => {
    const attempt = createRuntime({ plugins: [notesPlugin], config: { notes: { maxNoteLength: 'long' } } });
    const error = await attempt.catch((thrown: unknown) => thrown);
    expect(AgenticGenError.isInstance(error)).toBe(true);
    expect((error as AgenticGenError).message).toContain('notes');
    expect((error as AgenticGenError).message).toContain('/maxNoteLength');
  });

  it('refuses saves with blocked words through its guard hook', async () => {
    const runtime = await createRuntime({ plugins: [notesPlugin], config: { notes: { blockedWords: ['password'] } } });
    const refused = await runtime
      .callTool({
        toolName: 'save_note',
        toolCallId: 'c',
        arguments: { title: 'creds', body: 'the PASSWORD is hunter2' },
      })
      .then(
        (outcome) => outcome,
        (error: unknown) => error,
      );
    const refusal = AgenticGenError.isInstance(refused)
      ? refused.code
      : (refused as { error?: { code: string } }).error?.code;
    expect(refusal).toBe('guardrail-tripped');
    const listed = await runtime.callTool({ toolName: 'find_notes', toolCallId: 'd', arguments: { query: '' } });
    expect(listed.ok && (listed.output as { notes: unknown[] }).notes).toEqual([]);
    await runtime.dispose();
  });

  it('keeps notes in the runtime cache provider, so a second runtime (a restart) sees them', async () => {
    const entries = new Map<string, unknown>();
    const config = { notes: { cacheProvider: 'default', namespace: 'team' } };
    const first = await createRuntime({ plugins: [cachePlugin(mapCache(entries)), notesPlugin], config });
    await Promise.all(
      ['a', 'b', 'c'].map((title, index) =>
        first.callTool({ toolName: 'save_note', toolCallId: `s${index}`, arguments: { title, body: `note ${title}` } }),
      ),
    );
    await first.dispose();
    const second = await createRuntime({ plugins: [cachePlugin(mapCache(entries)), notesPlugin], config });
    const listed = await second.callTool({
      toolName: 'find_notes',
      toolCallId: 'l',
      arguments: { query: '', limit: 10 },
    });
    expect(
      listed.ok && (listed.output as { notes: { title: string }[] }).notes.map((note) => note.title).sort(),
    ).toEqual(['a', 'b', 'c']);
    await second.dispose();
  });

  it('fails setup clearly when the configured cache provider is missing', async () => {
    const error = await createRuntime({ plugins: [notesPlugin], config: { notes: { cacheProvider: 'redis' } } }).catch(
      (thrown: unknown) => thrown,
    );
    expect(AgenticGenError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).toContain('notes');
  });

  it('declares in its manifest exactly what it contributes', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).agenticgen;
    const runtime = await createRuntime({ plugins: [notesPlugin] });
    expect(manifest.plugin).toBe(notesPlugin.name);
    expect(manifest.tools).toEqual(runtime.tools.list().map((tool) => tool.name));
    expect(runtime.hooks.plugins('beforeToolCall')).toContain('notes');
    await runtime.dispose();
  });
});
