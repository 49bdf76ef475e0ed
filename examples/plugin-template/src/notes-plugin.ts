import { AgenticGenError, definePlugin, defineTool, type Static, Type } from '@agenticgen/core';
import { createNotesStore, searchNotes } from './notes-store.js';

/** The plugin's configuration, validated by the runtime (`config.notes`); defaults fill what is left out. */
export const NotesConfig = Type.Object({
  /** Prefix of the cache keys, so several apps can share one cache. */
  namespace: Type.String({ minLength: 1, default: 'notes' }),
  /** Longest note body accepted. */
  maxNoteLength: Type.Integer({ minimum: 1, maximum: 100_000, default: 2_000 }),
  /** Words a note must not contain; the guard hook refuses such saves before the tool runs. */
  blockedWords: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  /** Name of the runtime cache provider to keep notes in; without one, notes live in memory. */
  cacheProvider: Type.Optional(Type.String()),
});
export type NotesConfig = Static<typeof NotesConfig>;

export const notesPlugin = definePlugin({
  name: 'notes',
  version: '0.1.0',
  config: NotesConfig,
  setup({ config, runtime, meter }) {
    const cache = config.cacheProvider === undefined ? undefined : runtime.providers.cache.get(config.cacheProvider);
    if (config.cacheProvider !== undefined && cache === undefined) {
      throw new AgenticGenError(
        'invalid-config',
        `[notes] cache provider "${config.cacheProvider}" is not registered; add a cache plugin before "notes" or remove cacheProvider`,
      );
    }
    const store = createNotesStore(config.namespace, cache);
    const toolCalls = meter.counter('notes_tool_calls_total', {
      description: 'Calls of the notes tools, by tool and outcome',
      labelNames: ['tool', 'outcome'],
    });

    const saveNote = defineTool({
      name: 'save_note',
      description: 'Saves a note the user wants to keep. Use for facts, decisions and to-dos worth remembering.',
      parameters: Type.Object({
        title: Type.String({ minLength: 1, maxLength: 200, description: 'A short title' }),
        body: Type.String({ minLength: 1, maxLength: config.maxNoteLength, description: 'The note text' }),
        tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 10 })),
      }),
      execute: async ({ title, body, tags }) => {
        const note = await store.save({ title, body, tags: tags ?? [] });
        return { saved: note.id };
      },
    });

    const findNotes = defineTool({
      name: 'find_notes',
      description: 'Finds saved notes by words in their title, text or tags. Returns the best matches first.',
      parameters: Type.Object({
        query: Type.String({ description: 'Words to look for; empty lists the latest notes' }),
        tag: Type.Optional(Type.String({ description: 'Only notes with this tag' })),
        limit: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
      }),
      execute: async ({ query, tag, limit }) => ({ notes: searchNotes(await store.all(), query, limit, tag) }),
    });

    const blocked = config.blockedWords.map((word) => word.toLowerCase());
    return {
      tools: [saveNote, findNotes],
      hooks: {
        // A guard: when it throws, the tool call is refused with this error instead of running.
        beforeToolCall: {
          guard: true,
          handler({ toolName, arguments: rawArguments }) {
            if (toolName !== 'save_note' || blocked.length === 0) return;
            const text = (typeof rawArguments === 'string' ? rawArguments : JSON.stringify(rawArguments)).toLowerCase();
            const found = blocked.find((word) => text.includes(word));
            if (found !== undefined) {
              throw new AgenticGenError('guardrail-tripped', `[notes] the note contains the blocked word "${found}"`);
            }
          },
        },
        // An observer: a failure here would be reported as a plugin-error event and the run would go on.
        afterToolCall({ toolName, outcome }) {
          if (toolName === 'save_note' || toolName === 'find_notes') {
            toolCalls.add(1, { tool: toolName, outcome: outcome.ok ? 'ok' : 'error' });
          }
        },
      },
    };
  },
});
