import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm, writeFile } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { AgenticGenError } from '@agenticgen/core';
import type { FlatIndex } from '../indexes/flat-index.js';
import type { HnswIndex } from '../indexes/hnsw-index.js';
import { createKernelBackend } from '../kernels/load-kernels.js';
import { BinaryReader, type Crc32, corrupt, crc32, portableCrc32 } from '../persistence/binary-io.js';
import {
  decodeIndex,
  finishIndex,
  type IndexHead,
  type LoadIndexOptions,
  readIndexHead,
  storageFor,
} from '../persistence/load-index.js';

/**
 * Node's native CRC-32 (zlib.crc32, Node ≥ 22.2): ~4× faster than the portable `crc-32` package on a large
 * index, same checksums. Older Node 22 releases fall back to the package.
 */
export const nodeCrc32: Crc32 =
  typeof zlib.crc32 === 'function' ? (data, previous) => zlib.crc32(data, previous) >>> 0 : portableCrc32;

/**
 * Loads an index saved with `index.save()` (see the browser-safe `loadIndex`); in Node the checksum runs on
 * zlib's native CRC-32.
 */
export function loadIndex(bytes: Uint8Array, options: LoadIndexOptions = {}): Promise<FlatIndex | HnswIndex> {
  return decodeIndex(bytes, options, nodeCrc32);
}

/**
 * Saves an index to `path` atomically: the bytes go to a temporary file beside it, which is renamed over
 * the target, so a crash mid-write leaves the previous file intact, never a truncated one.
 */
export async function saveIndexToFile(index: FlatIndex | HnswIndex, path: string): Promise<void> {
  const bytes = await index.save();
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes, { flush: true });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Loads an index saved with `saveIndexToFile`; a damaged file throws `corrupt-index`, a missing one `not-found`.
 * The float32 rows (nearly all of the file) are read straight into the index's WebAssembly memory — one
 * copy, no file-sized buffer in between — and the CRC-32 is checked section by section over what was read.
 */
export async function loadIndexFromFile(path: string, options: LoadIndexOptions = {}): Promise<FlatIndex | HnswIndex> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ENOENT') {
      throw new AgenticGenError('not-found', `[vector] no index file at ${path}; save one with saveIndexToFile first`, {
        cause,
      });
    }
    throw cause;
  }
  try {
    const backend = await createKernelBackend(options.kernels);
    const fileSize = (await file.stat()).size;
    if (fileSize < 28) throw corrupt(`only ${fileSize} bytes`);
    // The head (ids, metadata, norms) has no length field: read a prefix, and a longer one while it is cut short.
    let prefix: Uint8Array = new Uint8Array(0);
    let head: IndexHead | undefined;
    let headLength = 0;
    for (
      let length = Math.min(fileSize - 4, 4 << 20);
      head === undefined;
      length = Math.min(fileSize - 4, length * 4)
    ) {
      prefix = await readAt(file, new Uint8Array(length), 0, length, 0);
      try {
        const reader = new BinaryReader(prefix);
        head = readIndexHead(reader);
        headLength = reader.offset;
      } catch (error) {
        const cutShort = AgenticGenError.isInstance(error) && error.code === 'corrupt-index';
        if (!cutShort || length >= fileSize - 4) throw error;
      }
    }
    const tailLength = fileSize - 4 - headLength - head.rowBytes;
    if (tailLength < 0) throw corrupt('file shorter than its rows');
    const storage = storageFor(head, backend, options);
    let crc = crc32(prefix, 0, headLength, 0, nodeCrc32);
    if (head.rowBytes > 0) {
      // Straight into the arena (the memory does not grow while this loader owns it).
      const rows = new Uint8Array(backend.buffer(), storage.arena.rowOffset(0), head.rowBytes);
      await readAt(file, rows, 0, head.rowBytes, headLength);
      crc = crc32(rows, 0, rows.length, crc, nodeCrc32);
    }
    const tail = await readAt(file, new Uint8Array(tailLength + 4), 0, tailLength + 4, headLength + head.rowBytes);
    crc = crc32(tail, 0, tailLength, crc, nodeCrc32);
    if (new DataView(tail.buffer, tail.byteOffset + tailLength, 4).getUint32(0, true) !== crc) {
      throw corrupt('checksum mismatch');
    }
    return finishIndex(head, storage, new BinaryReader(tail, tailLength));
  } finally {
    await file.close();
  }
}

/** Reads exactly `length` bytes at `position` into `into[offset…]`; a short file is a `corrupt-index` error. */
async function readAt(
  file: FileHandle,
  into: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<Uint8Array> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(into, offset + done, length - done, position + done);
    if (bytesRead === 0) throw corrupt('file shorter than its sections');
    done += bytesRead;
  }
  return into;
}
