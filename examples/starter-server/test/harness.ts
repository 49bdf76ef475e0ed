import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '@agenticgen/core';
import WebSocket from 'ws';
import { type App, createApp } from '../src/app.ts';
import { defaultLimits, type ServerConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createServices, type ServiceOverrides } from '../src/services/create-services.ts';

export const testToken = 'test-token-0123456789abcdef';

/** Reads an SSE body into `{ event, data }` records. */
export async function readSse(response: Response): Promise<Array<{ event: string; data: Record<string, unknown> }>> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return {
        event: (eventLine ?? '').slice(7),
        data: JSON.parse((dataLine ?? '').slice(6)) as Record<string, unknown>,
      };
    });
}

export interface TestServer {
  app: App;
  url: string;
  wsUrl: string;
  token: string;
  config: ServerConfig;
  /** Fetch with the bearer token. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Adds a document about bees to the server's knowledge base, then asks about it in `/api/chat` (a model that
 * searches finds "waggle dance"); `headers` pick the answer's format (`accept: text/event-stream` streams it).
 */
export async function askAboutBees(server: TestServer, headers?: Record<string, string>): Promise<Response> {
  await server.api('/api/knowledge/documents', {
    method: 'POST',
    json: { name: 'bees.txt', content: 'Honey bees communicate the direction of flowers with a waggle dance.' },
  });
  return server.api('/api/chat', {
    method: 'POST',
    json: { messages: [{ role: 'user', content: 'How do bees share where flowers are?' }] },
    ...(headers === undefined ? {} : { headers }),
  });
}

/** Starts the real server on 127.0.0.1 with a random port and a temporary data folder. */
export async function startTestServer(
  options: {
    config?: Partial<ServerConfig>;
    limits?: Partial<ServerConfig['limits']>;
    services?: ServiceOverrides;
    /** Environment the services read (provider keys); empty by default, so the offline demo model answers. */
    environment?: NodeJS.ProcessEnv;
    /**
     * Threads and runs in the configured store (PGlite in the data folder, or `databaseUrl`), as `npm start`
     * does. Off by default: opening PGlite takes seconds, and most tests need no persistence (memory store).
     */
    persistentStore?: boolean;
  } = {},
): Promise<TestServer> {
  const dataDir = options.config?.dataDir ?? mkdtempSync(join(tmpdir(), 'agenticgen-starter-'));
  const config: ServerConfig = {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    tokens: [testToken, 'second-token-abcdefghijklmnop'],
    generatedToken: false,
    limits: { ...defaultLimits, ...options.limits },
    heartbeatMs: 30_000,
    authTimeoutMs: 2_000,
    drainTimeoutMs: 5_000,
    sandboxPoolSize: 1,
    metricsSampleMs: 250,
    ...options.config,
  };
  const log = createLogger({ silent: process.env.STARTER_TEST_LOGS !== '1' });
  const services = await createServices(config, log, options.environment ?? {}, {
    demoWordDelayMs: 0,
    sandbox: false,
    ...(options.persistentStore === true ? {} : { store: createMemoryStore() }),
    ...options.services,
  });
  const app = createApp({ config, services, log });
  const url = await app.listen();
  return {
    app,
    url,
    wsUrl: `${url.replace('http', 'ws')}/ws`,
    token: testToken,
    config,
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${testToken}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(`${url}${path}`, { ...init, headers, body: body ?? null });
    },
    async close() {
      await app.shutdown('test finished');
      // A data folder the test chose outlives the server (restart tests start a second one on it).
      if (options.config?.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A WebSocket client that records every message and its close code. */
export interface TestClient {
  socket: WebSocket;
  messages: Array<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Resolves with the first (already received or future) message matching `predicate`. */
  next(predicate: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

export function openClient(url: string, options: { headers?: Record<string, string> } = {}): Promise<TestClient> {
  const socket = new WebSocket(url, { headers: options.headers ?? {} });
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<{
    predicate: (message: Record<string, unknown>) => boolean;
    resolve: (message: Record<string, unknown>) => void;
  }> = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const client: TestClient = {
    socket,
    messages,
    closed,
    send: (message) => socket.send(JSON.stringify(message)),
    next(predicate, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 500)}`),
            ),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: (message) => {
            clearTimeout(timer);
            resolve(message);
          },
        });
      });
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('error', reject);
  });
}

/** Opens a client and authenticates with the `auth` message. */
export async function openAuthenticatedClient(server: TestServer): Promise<TestClient> {
  const client = await openClient(server.wsUrl);
  client.send({ type: 'auth', token: server.token });
  await client.next((message) => message.type === 'welcome');
  return client;
}
