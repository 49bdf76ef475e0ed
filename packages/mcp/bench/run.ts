/**
 * Tool-call overhead of our client against the SDK's `Client.callTool` called directly, both talking to the
 * same in-memory SDK server with a no-op tool, in the same process and run. Ours includes what an agent gets:
 * core's argument validation, the timeout/abort guard of `executeTool`, and the result mapping.
 * Run: npm run bench -w packages/mcp (through src/testing/run-source.mjs: the current sources, core included,
 * run by Node with types stripped, without building dist/ first).
 */
import { writeFileSync } from 'node:fs';
import { executeTool } from '@agenticgen/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createMcpClient } from '../src/index.node.ts';

/** One server, shared by both clients: a no-op tool with a one-field schema. */
const server = new Server({ name: 'bench', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, () => ({
  tools: [{ name: 'noop', inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } }],
}));
server.setRequestHandler(CallToolRequestSchema, () => ({ content: [{ type: 'text', text: 'ok' }] }));
// The SDK server takes one transport per instance; the two clients get their own linked pair each, so the
// second pair goes to a second server instance with the same handlers.
const secondServer = new Server({ name: 'bench', version: '1.0.0' }, { capabilities: { tools: {} } });
secondServer.setRequestHandler(ListToolsRequestSchema, () => ({
  tools: [{ name: 'noop', inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } }],
}));
secondServer.setRequestHandler(CallToolRequestSchema, () => ({ content: [{ type: 'text', text: 'ok' }] }));

const [sdkSide, sdkServerSide] = InMemoryTransport.createLinkedPair();
await server.connect(sdkServerSide);
const sdk = new Client({ name: 'sdk', version: '1.0.0' });
await sdk.connect(sdkSide);
await sdk.listTools();

const ours = createMcpClient({
  transport: {
    type: 'custom',
    create: () => {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      void secondServer.connect(serverSide);
      return clientSide;
    },
  },
});
const [noop] = await ours.tools();
if (noop === undefined) throw new Error('no tool');

const callsPerRound = 2_000;
const rounds = 7;
async function time(call: (index: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < callsPerRound; index++) await call(index);
  return ((performance.now() - started) * 1_000_000) / callsPerRound;
}
const sdkCall = (index: number) => sdk.callTool({ name: 'noop', arguments: { n: index } });
const ourCall = async (index: number) => {
  const outcome = await executeTool(noop, { n: index }, { toolCallId: `c${index}` });
  if (!outcome.ok) throw new Error(outcome.error.message);
};
// Warm both paths, then alternate rounds so drift on a shared machine hits both alike.
await time(sdkCall);
await time(ourCall);
const sdkTimes: number[] = [];
const ourTimes: number[] = [];
for (let round = 0; round < rounds; round++) {
  sdkTimes.push(await time(sdkCall));
  ourTimes.push(await time(ourCall));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const figure = {
  name: 'tool-call-overhead',
  unit: 'ns/op',
  ours: Math.round(median(ourTimes)),
  peers: { '@modelcontextprotocol/sdk': Math.round(median(sdkTimes)) },
  ratio: Number((median(ourTimes) / median(sdkTimes)).toFixed(3)),
};
console.log(figure);
await ours.close();
await sdk.close();
const results = { node: process.version, date: new Date().toISOString(), figures: [figure] };
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench/results.json');
