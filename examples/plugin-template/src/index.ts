export { createKeyPrefixDriver } from './key-prefix-driver.js';
export { NotesConfig, notesPlugin } from './notes-plugin.js';
export { createNotesStore, type Note, type NotesStore, searchNotes } from './notes-store.js';
