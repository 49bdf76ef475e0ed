/**
 * One path of the tool-call bench alone, for `node --cpu-prof`: `node --cpu-prof src/testing/run-source.mjs
 * bench/profile.ts ours|sdk [calls]`. Same server, tool and transport as bench/run.ts; prints CPU µs per call.
 */
import { executeTool } from '@agenticgen/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createMcpClient } from '../src/index.node.ts';

const path = process.argv[2] === 'sdk' ? 'sdk' : 'ours';
const calls = Number(process.argv[3] ?? 100_000);
const server = new Server({ name: 'bench', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, () => ({
  tools: [{ name: 'noop', inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } }],
}));
server.setRequestHandler(CallToolRequestSchema, () => ({ content: [{ type: 'text', text: 'ok' }] }));
const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
await server.connect(serverSide);
let call: (index: number) => Promise<unknown>;
if (path === 'sdk') {
  const sdk = new Client({ name: 'sdk', version: '1.0.0' });
  await sdk.connect(clientSide);
  await sdk.listTools();
  call = (index) => sdk.callTool({ name: 'noop', arguments: { n: index } });
} else {
  const ours = createMcpClient({ transport: { type: 'custom', create: () => clientSide } });
  const [noop] = await ours.tools();
  if (noop === undefined) throw new Error('no tool');
  const callId = 'call_1';
  call = async (index) => {
    const outcome = await executeTool(noop, { n: index }, { toolCallId: callId });
    if (!outcome.ok) throw new Error(outcome.error.message);
  };
}
const started = process.cpuUsage();
for (let index = 0; index < calls; index++) await call(index);
const used = process.cpuUsage(started);
console.log(path, ((used.user + used.system) / calls).toFixed(2), 'µs CPU per call');
process.exit(0);
