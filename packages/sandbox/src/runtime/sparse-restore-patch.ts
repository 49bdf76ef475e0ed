/**
 * Pyodide restores a memory snapshot by copying all of it into a fresh wasm memory (`Module.HEAP8.set(t)` in
 * `pyodide.asm.mjs`). A fresh wasm memory is zero pages the operating system has not committed yet, so copying
 * the snapshot's zero runs commits them for nothing: every restored worker then holds the whole snapshot in
 * resident memory. This rewrites that copy to skip each 64 KiB block that is zero in the snapshot and still zero
 * in the memory (the memory's own check keeps data Pyodide wrote before the restore correct).
 *
 * Where the loader's configuration carries `_restoreHeap(heap, offset)` (Node: the worker's host copies the heap
 * part straight from the one shared snapshot, the same block by block rule), the copy is left to it, so the
 * worker never holds a private copy of the snapshot: `t` is then a placeholder of the snapshot's length that holds
 * only its header, and `t.byteOffset` is where the heap part starts in the snapshot.
 *
 * If a Pyodide release changes the text, nothing is rewritten and the restore is Pyodide's own; the test beside
 * this file pins the installed release's text.
 */
const fullCopy = 'return Module.HEAP8.set(t),l}';
const sparseCopy =
  'return ((heap,bytes)=>{const hook=typeof API==="undefined"?undefined:API.config&&API.config._restoreHeap;' +
  'if(typeof hook==="function"){hook(heap,bytes.byteOffset);return}const zero=(view,from,to)=>{for(let i=from;i<to;i++)if(view[i]!==0)return false;return true};' +
  'for(let at=0;at<bytes.length;at+=65536){const end=Math.min(at+65536,bytes.length);' +
  'if(!zero(bytes,at,end)||!zero(heap,at,end))heap.set(bytes.subarray(at,end),at)}})(Module.HEAP8,t),l}';

export function restoreSnapshotSparsely(asmSource: string): string {
  return asmSource.includes(fullCopy) ? asmSource.replace(fullCopy, sparseCopy) : asmSource;
}

/** Whether `restoreSnapshotSparsely` rewrote this source (then `_restoreHeap` in the loader's config is honoured). */
export function honoursRestoreHook(asmSource: string): boolean {
  return asmSource.includes('API.config._restoreHeap');
}
