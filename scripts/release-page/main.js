// The release check's browser page: imports the browser entries of every package as installed from the tarballs
// and exercises each one for real (no mocks of our own code), then publishes `window.__smoke` for the driver:
// `{ done: true, results: { <package>: { ok, detail } } }`. Every check throws on a wrong result.
import { createOpenAICompatibleChatModel } from '@agenticgen/adapters/openai';
import { createCache, createIndexedDbDriver } from '@agenticgen/cache';
import { createAgent, createRuntime, definePlugin, defineTool, Type } from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { createMetricsRegistry, formatPrometheus } from '@agenticgen/metrics';
import { createSandbox } from '@agenticgen/sandbox';
import { createFlatIndex, createHnswIndex, createVectorKernels, wasmSimdSupported } from '@agenticgen/vector';

const log = (line) => {
  document.getElementById('log').textContent += `${line}\n`;
};

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function checkCore() {
  const calls = [];
  const add = defineTool({
    name: 'add',
    description: 'Adds two numbers',
    parameters: Type.Object({ a: Type.Number(), b: Type.Number() }),
    execute: ({ a, b }) => {
      calls.push([a, b]);
      return a + b;
    },
  });
  const runtime = await createRuntime({
    plugins: [definePlugin({ name: 'release-smoke', version: '1.0.0', setup: () => ({ tools: [add] }) })],
  });
  try {
    const outcome = await runtime.callTool({ toolName: 'add', toolCallId: 'call-1', arguments: '{"a":2,"b":3}' });
    expect(outcome.ok && outcome.output === 5, `callTool returned ${JSON.stringify(outcome)}`);
    const refused = await runtime.callTool({ toolName: 'add', toolCallId: 'call-2', arguments: { a: 'two' } });
    expect(!refused.ok, 'callTool accepted arguments that do not match the schema');
    const model = new MockChatModel({
      responses: [{ toolCalls: [{ toolName: 'add', input: { a: 20, b: 22 } }] }, 'The sum is 42.'],
    });
    const agent = createAgent({ name: 'calculator', instructions: 'Add numbers.', model, tools: [add], runtime });
    const result = await agent.run('What is 20 + 22?');
    expect(result.text === 'The sum is 42.', `agent answered ${JSON.stringify(result.text)}`);
    expect(
      calls.some(([a, b]) => a === 20 && b === 22),
      'the agent did not run the tool',
    );
    const toolMessage = model.lastRequest?.messages.find((message) => message.role === 'tool');
    expect(
      toolMessage !== undefined && JSON.stringify(toolMessage).includes('42'),
      'the tool result never reached the model',
    );
    return `callTool → 5, invalid arguments refused (${refused.error.code}), agent: ${result.steps.length} steps → "${result.text}"`;
  } finally {
    await runtime.dispose();
  }
}

async function checkCache() {
  const databaseName = `release-smoke-${Date.now()}`;
  const vector = new Float32Array([0.25, -1.5, 3, Number.MAX_VALUE]);
  const writer = createCache({ namespace: 'smoke', l2: createIndexedDbDriver({ databaseName }) });
  await writer.set('embedding', vector, { ttlMs: 60_000 });
  const fromL1 = await writer.get('embedding');
  expect(fromL1 instanceof Float32Array, 'L1 did not return a Float32Array');
  await writer.dispose();
  // A second cache without L1 can only answer from IndexedDB: a true persistence round trip.
  const reader = createCache({ namespace: 'smoke', l1: false, l2: createIndexedDbDriver({ databaseName }) });
  try {
    const value = await reader.get('embedding');
    expect(value instanceof Float32Array, `IndexedDB returned ${Object.prototype.toString.call(value)}`);
    expect(value.length === vector.length && value.every((item, index) => item === vector[index]), 'values differ');
    const stats = reader.stats();
    await reader.delete('embedding');
    expect((await reader.get('embedding')) === undefined, 'delete did not remove the entry');
    return `Float32Array(${value.length}) round trip through IndexedDB; stats ${JSON.stringify(stats)}`;
  } finally {
    await reader.dispose();
    indexedDB.deleteDatabase(databaseName);
  }
}

function checkMetrics() {
  const registry = createMetricsRegistry();
  const requests = registry.counter('smoke.requests', { description: 'Requests', labelNames: ['route'] });
  requests.add(2, { route: 'home' });
  requests.bind({ route: 'home' }).add();
  const latency = registry.histogram('smoke.latency', { unit: 's', buckets: [0.1, 1], labelNames: ['route'] });
  latency.record(0.05, { route: 'home' });
  latency.record(0.5, { route: 'home' });
  const text = formatPrometheus(registry.collect());
  const expected = [
    /^smoke_requests_total\{route="home"\} 3$/m,
    /^smoke_latency_seconds_bucket\{route="home",le="0\.1"\} 1$/m,
    /^smoke_latency_seconds_bucket\{route="home",le="\+Inf"\} 2$/m,
    /^smoke_latency_seconds_count\{route="home"\} 2$/m,
    /^smoke_latency_seconds_sum\{route="home"\} 0\.55$/m,
  ];
  for (const pattern of expected) expect(pattern.test(text), `exposition lacks ${pattern}:\n${text}`);
  return `counter + histogram in Prometheus text (${text.split('\n').length} lines)`;
}

async function checkVector() {
  const simd = await wasmSimdSupported();
  expect(simd, 'Chromium should support WebAssembly SIMD');
  const kernels = await createVectorKernels({ kernels: 'wasm-simd' });
  expect(kernels.kind === 'wasm-simd', `kernels are ${kernels.kind}`);
  expect(Math.abs(kernels.dot(new Float32Array([1, 2, 3, 4]), new Float32Array([4, 3, 2, 1])) - 20) < 1e-6, 'dot');
  const records = Array.from({ length: 200 }, (_, index) => ({
    id: `doc-${index}`,
    vector: new Float32Array(16).map((_, dimension) => Math.sin(index * 0.37 + dimension * 1.3)),
    metadata: { even: index % 2 === 0 },
  }));
  const target = records[137];
  const query = target.vector.map((value) => value + 0.001);
  const found = [];
  for (const create of [createHnswIndex, createFlatIndex]) {
    const index = await create({ dimensions: 16 });
    try {
      expect(index.kernels === 'wasm-simd', `${index.name} index runs on ${index.kernels}`);
      await index.upsert(records);
      const [best] = await index.query({ vector: query, topK: 3 });
      expect(best?.id === target.id, `${index.name} nearest is ${best?.id}, expected ${target.id}`);
      const filtered = await index.query({ vector: query, topK: 1, filter: { even: true } });
      expect(filtered.length === 1 && Number(filtered[0].id.slice(4)) % 2 === 0, `${index.name} filter ignored`);
      found.push(`${index.name} → ${best.id}`);
    } finally {
      await index.dispose();
    }
  }
  return `${found.join(', ')} on ${kernels.kind} kernels`;
}

async function checkAdapters() {
  // The release check's static server answers /v1/chat/completions like OpenAI would (same origin, 127.0.0.1).
  const model = createOpenAICompatibleChatModel({
    modelId: 'release-smoke',
    baseURL: new URL('v1', location.href).href,
    apiKey: 'not-a-real-key',
    dangerouslyAllowBrowser: true,
  });
  expect(model.provider === 'openai-compatible' && model.modelId === 'release-smoke', 'model identity');
  expect(typeof model.capabilities.contextWindow === 'number', 'capabilities missing');
  const response = await model.generate({ messages: [{ role: 'user', content: 'Say hello' }] });
  expect(response.text === 'Hello from the release check.', `model answered ${JSON.stringify(response.text)}`);
  return `openai-compatible model through the openai SDK: "${response.text}" (${response.usage.totalTokens} tokens)`;
}

async function checkSandbox() {
  const sandbox = createSandbox({
    indexURL: new URL('pyodide/', document.baseURI).href,
    limits: { timeoutMs: 120_000 },
    pool: { warm: 0, max: 1 },
  });
  try {
    const session = await sandbox.createSession();
    const result = await session.run('print(1+1)');
    expect(result.ok && result.stdout === '2\n', `run returned ${JSON.stringify(result)}`);
    await session.dispose();
    return `print(1+1) → ${JSON.stringify(result.stdout)} in ${Math.round(result.durationMs)} ms`;
  } finally {
    await sandbox.dispose();
  }
}

const checks = {
  core: checkCore,
  cache: checkCache,
  metrics: checkMetrics,
  vector: checkVector,
  adapters: checkAdapters,
  sandbox: checkSandbox,
};
const results = {};
for (const [name, check] of Object.entries(checks)) {
  try {
    results[name] = { ok: true, detail: await check() };
  } catch (error) {
    results[name] = { ok: false, detail: String(error?.stack ?? error) };
  }
  log(`${name}: ${results[name].ok ? 'ok' : 'FAIL'} ${results[name].detail}`);
}
window.__smoke = { done: true, crossOriginIsolated, results };
