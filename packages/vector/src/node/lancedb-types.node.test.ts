import type * as LanceDb from '@lancedb/lancedb';
import { describe, expectTypeOf, it } from 'vitest';
import type { LanceDbModule } from './lancedb-options.js';

// The published types describe the injectable LanceDB module structurally, so they never import the optional
// peer; the real module must still fit the option (checked by the typecheck).
describe('LanceDB store option types', () => {
  it('take the @lancedb/lancedb module and refuse other objects', () => {
    expectTypeOf<typeof LanceDb>().toExtend<LanceDbModule>();
    expectTypeOf<{ connect(): void }>().not.toExtend<LanceDbModule>();
  });
});
