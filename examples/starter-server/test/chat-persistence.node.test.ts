/**
 * Issue 20 in the starter: chat threads and runs live in the store (PGlite in the data folder by default,
 * PostgreSQL with DATABASE_URL), so history, a suspended approval and an answer cut by a restart survive it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '@agenticgen/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type PostgresTestServer,
  postgresServerAvailable,
  startPostgresServer,
} from '../../../test-support/postgres-server.ts';
import { loadConfig, type ServerConfig } from '../src/config.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { transfers, uiChatServices } from './ui-chat-fixture.ts';

interface UIPart {
  type: string;
  text?: string;
  state?: string;
  toolCallId?: string;
  input?: unknown;
  approval?: { id: string; approved?: boolean };
  data?: unknown;
}
interface UIMessage {
  id: string;
  role: string;
  metadata?: unknown;
  parts: UIPart[];
}

const userMessage = (text: string, id: string): UIMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });
const textOf = (message: UIMessage | undefined) =>
  (message?.parts ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');

async function chat(server: TestServer, id: string, messages: UIMessage[]): Promise<string> {
  const response = await server.api('/api/ui/chat', { method: 'POST', json: { id, messages } });
  expect(response.status).toBe(200);
  return response.text();
}

async function storedMessages(server: TestServer, id: string): Promise<UIMessage[]> {
  const response = await server.api(`/api/ui/chat/${id}/messages`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: UIMessage[] }).messages;
}

/** The persistence scenarios, against one store configuration; `restart` starts a fresh server on it. */
function persistenceSuite(name: string, storeConfig: () => Partial<ServerConfig>) {
  describe(`chat persistence (${name})`, () => {
    const servers: TestServer[] = [];
    const start = async () => {
      const server = await startTestServer({
        config: storeConfig(),
        services: uiChatServices(),
        persistentStore: true,
      });
      servers.push(server);
      return server;
    };
    afterAll(async () => {
      for (const server of servers) await server.close().catch(() => undefined);
    });

    it('keeps the chat history across a restart, and the next question continues the thread', async () => {
      const first = await start();
      await chat(first, 'history', [userMessage('hello', 'u1')]);
      const before = await storedMessages(first, 'history');
      expect(before.map((message) => [message.role, textOf(message)])).toEqual([
        ['user', 'hello'],
        ['assistant', 'You said: hello'],
      ]);
      // The figures under a reloaded answer: its run and tokens.
      expect(before[1]?.metadata).toMatchObject({
        runId: expect.any(String),
        usage: { totalTokens: expect.any(Number) },
      });
      await first.close();

      const second = await start();
      const after = await storedMessages(second, 'history');
      expect(after).toEqual(before);
      await chat(second, 'history', [...after, userMessage('again', 'u2')]);
      expect((await storedMessages(second, 'history')).map(textOf)).toEqual([
        'hello',
        'You said: hello',
        'again',
        'You said: again',
      ]);
      // Threads are per token: another token sees nothing under the same chat id.
      const other = await second.api('/api/ui/chat/history/messages', {
        headers: { authorization: 'Bearer second-token-abcdefghijklmnop' },
      });
      expect(((await other.json()) as { messages: unknown[] }).messages).toEqual([]);
    });

    it('a tool approval pending at a restart is answered on the new server, and only once', async () => {
      transfers.length = 0;
      const first = await start();
      const body = await chat(first, 'approval', [userMessage('pay alice', 'u1')]);
      expect(body).toContain('"type":"tool-approval-request"');
      await first.close();

      const second = await start();
      const reloaded = await storedMessages(second, 'approval');
      const assistant = reloaded.at(-1) as UIMessage;
      const tool = assistant.parts.find((part) => part.type === 'tool-transfer');
      expect(tool).toMatchObject({ state: 'approval-requested', input: { to: 'alice', amount: 30 } });
      expect(assistant.parts.some((part) => part.type === 'data-suspended')).toBe(true);
      Object.assign(tool as UIPart, {
        state: 'approval-responded',
        approval: { id: tool?.approval?.id, approved: true },
      });
      const answered = await chat(second, 'approval', reloaded);
      expect(answered).toContain('"type":"tool-output-available"');
      expect(transfers).toEqual(['30 to alice']);

      const again = await second.api('/api/ui/chat', { method: 'POST', json: { id: 'approval', messages: reloaded } });
      expect(again.status).toBe(409);
      expect(transfers).toEqual(['30 to alice']);
      const final = await storedMessages(second, 'approval');
      expect(textOf(final.at(-1))).toBe('Tool said [{"sent":30,"to":"alice"}].');
      expect(final.at(-1)?.parts.find((part) => part.type === 'tool-transfer')?.state).toBe('output-available');
    });

    it('an answer cut by a restart is resumed by the next server, and a reloading page reads it', async () => {
      const first = await start();
      const controller = new AbortController();
      const response = await first.api('/api/ui/chat', {
        method: 'POST',
        json: { id: 'interrupted', messages: [userMessage('slow', 'u1')] },
        signal: controller.signal,
      });
      // Mid-answer: once the first words have arrived.
      const reader = response.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
      let head = '';
      while (!head.includes('"type":"text-delta"')) head += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      await first.close();

      const second = await start();
      const resumed = await second.api('/api/ui/chat/interrupted/stream');
      expect(resumed.status).toBe(200);
      const text = await resumed.text();
      const streamed = [...text.matchAll(/"type":"text-delta","id":"[^"]+","delta":"([^"]*)"/g)]
        .map((match) => match[1])
        .join('');
      expect(streamed.split(' ')).toHaveLength(400);
      expect(text).toContain('"type":"finish"');
      await vi.waitFor(async () => {
        const messages = await storedMessages(second, 'interrupted');
        expect(messages.map((message) => message.role)).toEqual(['user', 'assistant']);
        expect(textOf(messages[1]).split(' ')).toHaveLength(400);
      });
    });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'agenticgen-starter-store-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
persistenceSuite('PGlite in the data folder', () => ({ dataDir }));

let postgres: PostgresTestServer | undefined;
describe.runIf(postgresServerAvailable())('with DATABASE_URL', () => {
  beforeAll(async () => {
    postgres = await startPostgresServer();
  });
  afterAll(async () => {
    await postgres?.stop();
  });
  // The server trusts local connections; the password is there to prove it is never shown.
  const databaseUrl = () => String(postgres?.url).replace('postgres@', 'postgres:s3cret-pw@');
  persistenceSuite('PostgreSQL', () => ({ databaseUrl: databaseUrl() }));

  it('no sticky sessions: an approval asked on one instance is answered on another, once', async () => {
    transfers.length = 0;
    const config = { databaseUrl: databaseUrl() };
    const first = await startTestServer({ config, services: uiChatServices(), persistentStore: true });
    const second = await startTestServer({ config, services: uiChatServices(), persistentStore: true });
    try {
      await chat(first, 'two-instances', [userMessage('pay alice', 'u1')]);
      const reloaded = await storedMessages(second, 'two-instances');
      const tool = reloaded.at(-1)?.parts.find((part) => part.type === 'tool-transfer') as UIPart;
      Object.assign(tool, { state: 'approval-responded', approval: { id: tool.approval?.id, approved: true } });
      const [onSecond, onFirst] = await Promise.all([
        second.api('/api/ui/chat', { method: 'POST', json: { id: 'two-instances', messages: reloaded } }),
        first.api('/api/ui/chat', { method: 'POST', json: { id: 'two-instances', messages: reloaded } }),
      ]);
      // Both instances got the same answer at once: exactly one resumes the run, the other says it was taken.
      expect([onSecond.status, onFirst.status].sort()).toEqual([200, 409]);
      await Promise.all([onSecond.text(), onFirst.text()]);
      expect(transfers).toEqual(['30 to alice']);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('reports the store in /api/info without the password of DATABASE_URL', async () => {
    const server = await startTestServer({ config: { databaseUrl: databaseUrl() }, persistentStore: true });
    try {
      const info = (await (await server.api('/api/info')).json()) as {
        features: Record<string, { available: boolean; detail: string }>;
      };
      expect(info.features.store?.available).toBe(true);
      expect(info.features.store?.detail).toContain(`127.0.0.1:${postgres?.port}`);
      expect(info.features.store?.detail).not.toContain('s3cret');
    } finally {
      await server.close();
    }
  });
});

describe('chat threads: limits, bad input, stale runs', () => {
  it('returns at most the newest 200 messages of a long thread', async () => {
    const store = createMemoryStore();
    const server = await startTestServer({ services: { store } });
    try {
      const thread = await store.createThread({
        id: 'chat:token-0:long',
        metadata: { owner: 'token-0', chatId: 'long' },
      });
      const messages = Array.from({ length: 250 }, (_, index) => ({
        message: { role: 'user' as const, content: `message ${index}` },
      }));
      await store.appendMessages(thread.id, messages);
      const shown = await storedMessages(server, 'long');
      expect(shown).toHaveLength(200);
      expect(textOf(shown[0])).toBe('message 50');
      expect(textOf(shown.at(-1))).toBe('message 249');
    } finally {
      await server.close();
    }
  });

  it('at start, a running run no chat waits for is marked failed instead of being listed at every start', async () => {
    const store = createMemoryStore();
    const orphan = {
      runId: 'orphan',
      kind: 'agent',
      name: 'assistant',
      step: 0,
      state: { phase: 'input', input: 'hi' },
    };
    await store.saveCheckpoint({ ...orphan, status: 'running' });
    const server = await startTestServer({ services: { store } });
    try {
      expect((await store.loadCheckpoint('orphan'))?.status).toBe('failed');
      expect(await store.listRuns({ status: 'running' })).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('refuses a malformed chat id with 400', async () => {
    const server = await startTestServer();
    try {
      expect((await server.api('/api/ui/chat/bad%20id/messages')).status).toBe(400);
    } finally {
      await server.close();
    }
  });
});

describe('store configuration', () => {
  it('reads DATABASE_URL and AGENTICGEN_STORE_DIR (relative to the working folder)', () => {
    const config = loadConfig(
      [],
      { AGENTICGEN_TOKENS: 'a-token-of-16-chars', DATABASE_URL: 'postgres://db/x', AGENTICGEN_STORE_DIR: 'chats' },
      '/srv/app',
    );
    expect(config).toMatchObject({ databaseUrl: 'postgres://db/x', storeDir: '/srv/app/chats' });
    expect(loadConfig([], { AGENTICGEN_TOKENS: 'a-token-of-16-chars' }, '/srv/app')).not.toHaveProperty('databaseUrl');
  });
});
