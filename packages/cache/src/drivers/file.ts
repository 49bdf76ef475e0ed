import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AgenticGenError, type AsyncResource } from '@agenticgen/core';
import { cacheError } from '../errors.js';
import { type CodecOptions, decodeEntry, encodeEntry } from '../serialization/codec.js';
import { type CacheDriver, hardExpiryOf } from './driver.js';

export interface FileDriverOptions extends CodecOptions {
  /** Folder that holds the entries (created when missing). One folder per cache deployment; do not share it with other data. */
  directory: string;
  /**
   * `fsync` each entry before it is renamed into place, so a power loss cannot leave an empty file behind a
   * completed write (default false: a process crash is already safe without it, a power cut costs a refetch).
   */
  durable?: boolean;
}

/**
 * Node file-system L2. An entry is one file at `<directory>/<2 hex>/<2 hex>/<sha-256 of key>`, written to a temp
 * file in the same folder and renamed into place, so a reader sees the old or the new file, never a half-written
 * one. Each file carries its key, a length and a CRC-32: a truncated or damaged file is detected and removed.
 * Temp files left by a crash are ignored by reads and removed when a driver opens the folder (in the background;
 * `dispose()` waits for it) and by `clear()`. A temp file younger than a minute may belong to a write in progress in
 * another process sharing the folder, so it is left alone.
 */
export function createFileDriver(options: FileDriverOptions): CacheDriver & AsyncResource {
  if (typeof options?.directory !== 'string' || options.directory.length === 0) {
    throw cacheError('invalid-config', 'createFileDriver needs { directory: "<folder for cache files>" }');
  }
  const { directory, durable = false } = options;
  const codec: CodecOptions = {};
  if (options.compression !== undefined) codec.compression = options.compression;
  if (options.compressAboveBytes !== undefined) codec.compressAboveBytes = options.compressAboveBytes;
  let disposed = false;
  // Opening sweeps what a crashed writer left; reads never wait for it (temp files are invisible to them).
  const sweep = listFiles(directory)
    .then((files) => Promise.all(files.filter((file) => file.endsWith('.tmp')).map(removeAbandonedTemp)))
    .catch(() => undefined);

  const pathOf = (key: string) => {
    const hash = createHash('sha256').update(key).digest('hex');
    const folder = join(directory, hash.slice(0, 2), hash.slice(2, 4));
    return { folder, file: join(folder, hash) };
  };
  const check = () => {
    if (disposed) throw cacheError('disposed', 'the file driver was disposed; create a new one');
  };

  async function readEntryFile(file: string) {
    try {
      return await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  return {
    name: 'file',
    async get(key) {
      check();
      const { file } = pathOf(key);
      const bytes = await readEntryFile(file);
      if (bytes === undefined) return undefined;
      let decoded: Awaited<ReturnType<typeof decodeEntry>>;
      try {
        decoded = await decodeEntry(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      } catch (error) {
        await unlink(file).catch(() => undefined);
        throw error;
      }
      // A different key under the same hash can only mean a damaged file (SHA-256 does not collide in practice).
      if (decoded.key !== key) {
        await unlink(file).catch(() => undefined);
        throw cacheError(
          'cache-entry-corrupt',
          `the file for ${JSON.stringify(key)} holds another key; it was dropped`,
        );
      }
      const hardExpiry = hardExpiryOf(decoded.entry);
      if (hardExpiry !== undefined && hardExpiry <= Date.now()) {
        await unlink(file).catch(() => undefined);
        return undefined;
      }
      return decoded.entry;
    },
    async set(key, entry) {
      check();
      const bytes = await encodeEntry(key, entry, codec);
      const { folder, file } = pathOf(key);
      await mkdir(folder, { recursive: true });
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(bytes);
        if (durable) await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(temporary, file);
      } catch (error) {
        await unlink(temporary).catch(() => undefined);
        throw error;
      }
    },
    async delete(key) {
      check();
      await unlink(pathOf(key).file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    },
    async clear(prefix) {
      check();
      if (prefix === undefined) {
        const children = await readdir(directory).catch(() => [] as string[]);
        await Promise.all(children.map((child) => rm(join(directory, child), { recursive: true, force: true })));
        return;
      }
      // Keys are hashed into file names, so a prefix clear reads each file's key (clear is rare; reads stay O(1)).
      for (const file of await listFiles(directory)) {
        if (file.endsWith('.tmp')) {
          await removeAbandonedTemp(file);
          continue;
        }
        const bytes = await readEntryFile(file);
        if (bytes === undefined) continue;
        try {
          const { key } = await decodeEntry(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          if (key.startsWith(prefix)) await unlink(file).catch(() => undefined);
        } catch (error) {
          if (!AgenticGenError.hasCode(error, 'cache-entry-corrupt')) throw error;
          await unlink(file).catch(() => undefined);
        }
      }
    },
    async dispose() {
      disposed = true;
      await sweep;
    },
    [Symbol.asyncDispose]() {
      return this.dispose();
    },
  };
}

/** Age past which a temp file cannot belong to a write in progress (a write takes milliseconds). */
const abandonedTempAgeMs = 60_000;

/** Removes a temp file left by a crash mid-write; a young one may belong to a write in progress and stays. */
async function removeAbandonedTemp(file: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (info !== undefined && Date.now() - info.mtimeMs > abandonedTempAgeMs) await unlink(file).catch(() => undefined);
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}
