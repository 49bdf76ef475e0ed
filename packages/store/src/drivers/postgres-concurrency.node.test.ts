import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StoredMessage } from '@agenticgen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PostgresTestServer,
  postgresServerAvailable,
  startPostgresServer,
} from '../../../../test-support/postgres-server.js';
import { createPostgresStore } from './postgres.js';

const hooks = fileURLToPath(new URL('../testing/fixtures/source-hooks.mjs', import.meta.url));
const writerScript = fileURLToPath(new URL('../testing/fixtures/append-writer.ts', import.meta.url));
const available = postgresServerAvailable();
let server: PostgresTestServer | undefined;

describe.runIf(available)('postgres store across processes', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('two processes appending to one thread lose nothing, keep each writer order and each batch contiguous', async () => {
    const url = server?.url as string;
    const store = await createPostgresStore({ connectionString: url, maxConnections: 2 });
    const thread = await store.createThread({ title: 'shared' });
    const count = 300;
    const writers = ['a', 'b'].map((writer) => {
      const child = spawn(process.execPath, ['--import', hooks, writerScript], {
        env: { ...process.env, DATABASE_URL: url, WRITER: writer, THREAD_ID: thread.id, COUNT: String(count) },
      });
      let output = '';
      const ready = new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('ready')) resolve();
        });
      });
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => {
        errors += chunk.toString();
      });
      const exited = new Promise<string>((resolve, reject) =>
        child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`writer ${writer}: ${errors}`)))),
      );
      return { child, ready, exited };
    });
    await Promise.all(writers.map((writer) => writer.ready));
    for (const { child } of writers) (child as ChildProcess).stdin?.end('go\n');
    const outputs = await Promise.all(writers.map((writer) => writer.exited));
    expect(outputs.map((output) => output.trim())).toEqual(['ready\ndone', 'ready\ndone']);

    const all: StoredMessage[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listMessages(thread.id, { from: 'first', limit: 100, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(all.map((message) => message.seq)).toEqual(Array.from({ length: 2 * count }, (_, index) => index + 1));
    for (const writer of ['a', 'b']) {
      const mine = all
        .filter((message) => message.metadata.writer === writer)
        .map((message) => message.message.content);
      expect(mine).toEqual(Array.from({ length: count }, (_, index) => `${writer}:${index}`));
    }
    // A batch's messages sit next to each other: same writer and batch, consecutive positions.
    const batches = new Map<string, number[]>();
    for (const message of all) {
      const key = `${message.metadata.writer}:${message.metadata.batch}`;
      batches.set(key, [...(batches.get(key) ?? []), message.seq]);
    }
    for (const seqs of batches.values()) {
      expect(seqs).toEqual(seqs.map((_, index) => (seqs[0] as number) + index));
    }
    // Interleaving happened (the test would prove little if one writer had finished before the other began).
    const switches = all.filter(
      (message, index) => index > 0 && all[index - 1]?.metadata.writer !== message.metadata.writer,
    );
    expect(switches.length).toBeGreaterThan(1);
    await store.close();
  });
});
