import { AgenticGenError } from '@agenticgen/core';
import { expect, it } from 'vitest';
import { createIndexedDbStore } from './indexeddb.js';

it('outside a browser the IndexedDB store is refused with unsupported', async () => {
  await expect(createIndexedDbStore({ name: 'app' })).rejects.toSatisfy((error) =>
    AgenticGenError.hasCode(error, 'unsupported'),
  );
});
