import type { CacheStore } from '@agenticgen/core';

/** One saved note. */
export interface Note {
  /** Stable id (`note-<n>`). */
  id: string;
  /** Short title. */
  title: string;
  /** The text. */
  body: string;
  /** Free-form tags for filtering. */
  tags: string[];
  /** ISO time of saving. */
  savedAt: string;
}

/**
 * Where notes live. With a `CacheStore` from the runtime (e.g. `@agenticgen/cache` with a file or Redis L2)
 * notes survive restarts and are shared between processes; without one they live in memory.
 */
export interface NotesStore {
  all(): Promise<Note[]>;
  save(note: Omit<Note, 'id' | 'savedAt'>): Promise<Note>;
}

export function createNotesStore(namespace: string, cache?: CacheStore): NotesStore {
  const key = `${namespace}:notes`;
  let memory: Note[] = [];
  // Saves are serialised so two concurrent tool calls cannot both read the old list and lose a note.
  let queue: Promise<unknown> = Promise.resolve();

  const read = async (): Promise<Note[]> => (cache ? ((await cache.get<Note[]>(key)) ?? []) : memory);
  const write = async (notes: Note[]) => {
    if (cache) await cache.set(key, notes);
    else memory = notes;
  };

  return {
    all: read,
    save(input) {
      const saved = queue.then(async () => {
        const notes = await read();
        const note: Note = { ...input, id: `note-${notes.length + 1}`, savedAt: new Date().toISOString() };
        await write([...notes, note]);
        return note;
      });
      queue = saved.catch(() => undefined);
      return saved;
    },
  };
}

/** Case-insensitive word match on title, body and tags; best (most words matched) first. */
export function searchNotes(notes: readonly Note[], query: string, limit: number, tag?: string): Note[] {
  const words = query.toLowerCase().split(/\W+/).filter(Boolean);
  return notes
    .filter((note) => tag === undefined || note.tags.includes(tag))
    .map((note) => {
      const haystack = `${note.title} ${note.body} ${note.tags.join(' ')}`.toLowerCase();
      return { note, score: words.filter((word) => haystack.includes(word)).length };
    })
    .filter((entry) => entry.score > 0 || words.length === 0)
    .sort((left, right) => right.score - left.score)
    .slice(0, limit)
    .map((entry) => entry.note);
}
