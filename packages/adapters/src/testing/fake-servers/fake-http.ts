import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Plumbing shared by the fake provider servers (Node only; the browser tests reach them over HTTP with CORS).
 *
 * The scenario travels in the model id, `<model>~<scenario>~<key>`, so the same official SDK call works
 * from Node and from Chromium without a side channel. `key` isolates counters between tests
 * (e.g. "fail once, then succeed"). `GET /__control/log?key=…` reports what the server saw.
 * `POST /__control/script?key=…` with `{ turns: ScriptedTurn[] }` scripts the `scripted` scenario: the n-th
 * request with that key gets the n-th turn (end-to-end agent runs over the real wire).
 */
export interface ScenarioRequest {
  /** The model id without the scenario suffix. */
  model: string;
  /** Scenario name, `text` by default. */
  scenario: string;
  /** Numeric argument of scenarios such as `many-100000`. */
  count: number;
  /** 1 for the first request with this key. */
  attempt: number;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  /** True when the client asked for a stream. */
  stream: boolean;
  /** The turns scripted for this key (`scripted` scenario), if any. */
  script?: readonly ScriptedTurn[];
}

/** One scripted model answer: text (sent in the given chunks), tool calls, or both. */
export interface ScriptedTurn {
  /** Answer text, streamed chunk by chunk in this order. */
  text?: string[];
  /** Tool calls; `arguments` is the raw JSON text the model "produced" (streamed in two pieces). */
  toolCalls?: Array<{ id: string; name: string; arguments: string }>;
}

/** What the server saw for one key. */
export interface KeyLog {
  /** Requests received. */
  requests: number;
  /** Request bodies, in order. */
  bodies: unknown[];
  /** Request headers (lower-case), in order. */
  headers: Array<Record<string, string>>;
  /** Responses whose connection closed before the server finished writing (client abort). */
  closedEarly: number;
  /** Responses written completely. */
  completed: number;
}

export type ScenarioHandler = (request: ScenarioRequest, response: ServerResponse) => Promise<void> | void;

/** A running fake server. */
export interface FakeServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** What the server saw for a key. */
  log(key: string): KeyLog;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'retry-after, retry-after-ms, x-request-id, request-id, content-type',
  'access-control-max-age': '600',
  // The test page is cross-origin isolated (COEP require-corp).
  'cross-origin-resource-policy': 'cross-origin',
};

export function splitModel(raw: string): { model: string; scenario: string; key: string; count: number } {
  const [model = raw, scenario = 'text', key = ''] = raw.split('~');
  const countMatch = /-(\d+)$/.exec(scenario);
  return {
    model,
    scenario: countMatch ? scenario.slice(0, -countMatch[0].length) : scenario,
    key,
    count: countMatch?.[1] === undefined ? 0 : Number(countMatch[1]),
  };
}

/**
 * Starts a fake server. `route` extracts the raw model id and streaming flag from a request (the body for
 * OpenAI/Anthropic, the path for Gemini); null means 404.
 */
export async function startFakeServer(
  route: (url: URL, body: Record<string, unknown>) => { model: string; stream: boolean } | null,
  handle: ScenarioHandler,
): Promise<FakeServer> {
  const logs = new Map<string, KeyLog>();
  const scripts = new Map<string, ScriptedTurn[]>();
  const logFor = (key: string): KeyLog => {
    let log = logs.get(key);
    if (log === undefined) {
      log = { requests: 0, bodies: [], headers: [], closedEarly: 0, completed: 0 };
      logs.set(key, log);
    }
    return log;
  };
  const server: Server = createServer(async (request, response) => {
    for (const [name, value] of Object.entries(corsHeaders)) response.setHeader(name, value);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'OPTIONS') {
      response.setHeader('access-control-allow-headers', request.headers['access-control-request-headers'] ?? '*');
      response.writeHead(204).end();
      return;
    }
    if (url.pathname === '/__control/log') {
      sendJson(response, 200, logFor(url.searchParams.get('key') ?? ''));
      return;
    }
    let body: Record<string, unknown> = {};
    try {
      const text = await readBody(request);
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      sendJson(response, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    if (url.pathname === '/__control/script') {
      scripts.set(url.searchParams.get('key') ?? '', (body.turns as ScriptedTurn[] | undefined) ?? []);
      response.writeHead(204).end();
      return;
    }
    const target = route(url, body);
    if (target === null) {
      sendJson(response, 404, { error: { message: `no route ${url.pathname}`, type: 'not_found_error' } });
      return;
    }
    const { model, scenario, key, count } = splitModel(target.model);
    const log = logFor(key);
    log.requests++;
    log.bodies.push(body);
    log.headers.push(Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)])));
    let done = false;
    response.on('finish', () => {
      done = true;
      log.completed++;
    });
    response.on('close', () => {
      if (!done) log.closedEarly++;
    });
    try {
      const script = scripts.get(key);
      await handle(
        {
          model,
          scenario,
          count,
          attempt: log.requests,
          body,
          stream: target.stream,
          ...(script === undefined ? {} : { script }),
        },
        response,
      );
    } catch (error) {
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error), type: 'api_error' } });
      else response.destroy();
    }
  });
  // Idle keep-alive sockets must not hold close() up.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log: logFor,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(value));
}

/** Starts an SSE response. */
export function startSse(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.flushHeaders();
}

/** One SSE event as text (`event:` line only when a name is given). */
export function sseEvent(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${payload}\n\n`;
}

/**
 * Writes `text` in slices of `sliceBytes` bytes, waiting for each to be flushed, so the client receives
 * chunks split inside UTF-8 sequences and inside SSE lines.
 */
export async function writeSplit(response: ServerResponse, text: string, sliceBytes = 7): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += sliceBytes) {
    if (response.destroyed) return;
    await writeAndWait(response, bytes.subarray(offset, offset + sliceBytes));
  }
}

/** Writes one piece and resolves once it was handed to the socket (respects backpressure). */
export function writeAndWait(response: ServerResponse, chunk: Buffer | string): Promise<void> {
  return new Promise((resolve) => {
    if (response.destroyed) {
      resolve();
      return;
    }
    response.write(chunk, () => resolve());
  });
}

/** Writes many events in batches (the 100k-chunk stream), respecting backpressure. */
export async function writeEvents(response: ServerResponse, events: Iterable<string>, batch = 200): Promise<void> {
  let buffer: string[] = [];
  for (const event of events) {
    buffer.push(event);
    if (buffer.length >= batch) {
      if (response.destroyed) return;
      await writeAndWait(response, buffer.join(''));
      buffer = [];
    }
  }
  if (buffer.length > 0) await writeAndWait(response, buffer.join(''));
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the client goes away or `ms` elapse (the "hang" scenario). */
export function waitForClose(response: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    response.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Canonical content every fake server produces, so one contract suite can assert on it. */
export const fixtures = {
  textChunks: ['Hello', ', wö', 'rld! 👋', ' Streaming', ' works.'],
  jsonChunks: ['{"name":', '"Ada",', '"age":36}'],
  reasoningChunks: ['Let me ', 'think.'],
  /** What OpenAI sends in `refusal` when it declines a structured-output request. */
  refusalChunks: ["I'm sorry, ", "I can't help with that."],
  reasoningAnswer: '42',
  toolCalls: [
    { id: 'call_weather', name: 'get_weather', argumentChunks: ['{"ci', 'ty":"Pa', 'ris"}'] },
    { id: 'call_time', name: 'get_time', argumentChunks: ['{"timezone":', '"Europe/Paris"}'] },
  ],
  usage: { input: 12, output: 7, cached: 2, reasoning: 3 },
  hangMs: 20_000,
  slowFirstByteMs: 3_000,
} as const;

/** The text of a scenario's answer (the `echo` scenario returns the request body instead). */
export function answerChunks(scenario: string, count: number, body: unknown): string[] {
  switch (scenario) {
    case 'json':
    case 'json-cut':
      return [...fixtures.jsonChunks];
    case 'echo':
      return [JSON.stringify(body)];
    case 'many':
      return Array.from({ length: count }, (_, index) => (index % 10 === 9 ? 'x\n' : 'x'));
    case 'reasoning':
      return [fixtures.reasoningAnswer];
    default:
      return [...fixtures.textChunks];
  }
}
