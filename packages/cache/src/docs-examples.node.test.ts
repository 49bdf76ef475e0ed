/**
 * Runs the TypeScript examples of docs/cache.md, so the documentation cannot drift from the code. Blocks that need
 * a browser (IndexedDB, fetch) or only declare their inputs are skipped, and so is the contract-suite block (it
 * declares vitest suites, which only a test file can do: drivers/memory.test.ts runs it); the Redis example runs
 * against a private redis-server.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisTestServer, redisServerAvailable, startRedisServer } from '../../../test-support/redis-server.js';

const markdown = readFileSync(new URL('../../../docs/cache.md', import.meta.url), 'utf8');
const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
const runnable = blocks.filter(
  (code) =>
    code.includes('import ') && !/declare const|createIndexedDbDriver|fetch\(|@agenticgen\/cache\/testing/.test(code),
);
const folder = mkdtempSync(join(tmpdir(), 'agenticgen-cache-docs-'));
const redisAvailable = redisServerAvailable();
let server: RedisTestServer | undefined;

beforeAll(async () => {
  if (redisAvailable) {
    server = await startRedisServer();
    process.env.REDIS_URL = server.url;
  }
});
afterAll(async () => {
  delete process.env.REDIS_URL;
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('docs/cache.md examples', () => {
  it('has runnable examples', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(6);
  });

  for (const [index, code] of runnable.entries()) {
    const title =
      code
        .split('\n')
        .find((line) => line.trim() !== '' && !line.startsWith('import'))
        ?.slice(0, 60) ?? `block ${index}`;
    it.skipIf(code.includes('createRedisDriver') && !redisAvailable)(`runs: ${title}`, async () => {
      const file = join(folder, `example-${index}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        await import(/* @vite-ignore */ file);
      } finally {
        log.mockRestore();
      }
    });
  }
});
