import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { honoursRestoreHook, restoreSnapshotSparsely } from './sparse-restore-patch.js';

const pyodideDirectory = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));

it("rewrites the installed Pyodide's full snapshot copy into one that skips zero blocks", () => {
  const source = readFileSync(join(pyodideDirectory, 'pyodide.asm.mjs'), 'utf8');
  const patched = restoreSnapshotSparsely(source);
  expect(patched).not.toBe(source);
  expect(patched).not.toContain('return Module.HEAP8.set(t),l}');
});

it('copies every block that is non-zero in the snapshot or in the memory, and only those', () => {
  const patched = restoreSnapshotSparsely('function restore(Module,t,l){return Module.HEAP8.set(t),l}');
  const restore = new Function(`${patched}; return restore;`)();
  const block = 65536;
  const snapshot = new Int8Array(4 * block);
  snapshot[block + 7] = 1; // block 1: data in the snapshot
  const heap = new Int8Array(4 * block);
  heap[3 * block + 5] = 9; // block 3: data already in the memory, zero in the snapshot
  const writes: number[] = [];
  const recording = Object.assign(heap, {
    set(bytes: ArrayLike<number>, offset: number) {
      writes.push(offset / block);
      Int8Array.prototype.set.call(heap, bytes, offset);
    },
  });
  expect(restore({ HEAP8: recording }, snapshot, 'meta')).toBe('meta');
  expect(writes).toEqual([1, 3]);
  expect(heap[block + 7]).toBe(1);
  expect(heap[3 * block + 5]).toBe(0);
});

it("leaves the copy to the loader configuration's _restoreHeap, with the heap part's offset in the snapshot", () => {
  const patched = restoreSnapshotSparsely(
    'function restore(Module,API,t,l){t=t.subarray(16);return Module.HEAP8.set(t),l}',
  );
  expect(honoursRestoreHook(patched)).toBe(true);
  expect(honoursRestoreHook('return Module.HEAP8.set(t),l}')).toBe(false);
  const restore = new Function(`${patched}; return restore;`)();
  const calls: [Int8Array, number][] = [];
  const heap = new Int8Array(65536);
  const placeholder = new Uint8Array(16 + 65536);
  placeholder[20] = 7; // would be copied by the built-in path; the hook path must not touch the heap itself
  const api = { config: { _restoreHeap: (target: Int8Array, offset: number) => calls.push([target, offset]) } };
  expect(restore({ HEAP8: heap }, api, placeholder, 'meta')).toBe('meta');
  expect(calls).toEqual([[heap, 16]]);
  expect(heap[4]).toBe(0);
});
