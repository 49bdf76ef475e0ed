/**
 * Tool-call overhead of our client against the SDK's `Client.callTool` called directly, both talking to the
 * same in-memory SDK server with a no-op tool, in the same process and run. Ours includes what an agent gets:
 * core's argument validation, the call's own signal and timeout of `executeTool` (the SDK request enforces the
 * time limit, see `enforcesLimits`), and the result mapping.
 * Run: npm run bench -w packages/mcp (through src/testing/run-source.mjs: the current sources, core included,
 * run by Node with types stripped, without building dist/ first).
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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

// Many short rounds, alternating which path goes first, so load drift on a shared machine hits both alike.
// Each round is timed in this process's CPU time (what the calls cost, not how long other processes held the
// cores) and in wall time; the ratio is of the two medians, the spread that of the per-round ratios.
const callsPerRound = 20_000;
const rounds = 31;
async function time(call: (index: number) => Promise<unknown>): Promise<{ cpu: number; wall: number }> {
  // Collect the previous round's garbage first, so one path never pays for the other's allocations.
  (globalThis as { gc?: () => void }).gc?.();
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < callsPerRound; index++) await call(index);
  const wall = ((performance.now() - started) * 1_000_000) / callsPerRound;
  const cpuUsed = process.cpuUsage(cpuStarted);
  return { cpu: ((cpuUsed.user + cpuUsed.system) * 1_000) / callsPerRound, wall };
}
// Both sides check what they got, as a caller does (the SDK's `isError`, our outcome's `ok`): the same async
// wrapper and await around each call.
const sdkCall = async (index: number) => {
  const result = await sdk.callTool({ name: 'noop', arguments: { n: index } });
  if (result.isError === true) throw new Error('tool error');
};
// The model's call id comes with the call (a string the provider's answer already holds): not built per call.
const callId = 'call_1';
const ourCall = async (index: number) => {
  const outcome = await executeTool(noop, { n: index }, { toolCallId: callId });
  if (!outcome.ok) throw new Error(outcome.error.message);
};
// Warm both paths (JIT, inline caches) before measuring.
for (let warm = 0; warm < 4; warm++) {
  await time(sdkCall);
  await time(ourCall);
}
const sdkTimes: { cpu: number; wall: number }[] = [];
const ourTimes: { cpu: number; wall: number }[] = [];
for (let round = 0; round < rounds; round++) {
  if (round % 2 === 0) {
    sdkTimes.push(await time(sdkCall));
    ourTimes.push(await time(ourCall));
  } else {
    ourTimes.push(await time(ourCall));
    sdkTimes.push(await time(sdkCall));
  }
}
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const quantile = (values: number[], q: number) => sorted(values)[Math.floor((values.length - 1) * q)] ?? Number.NaN;
const round3 = (value: number) => Number(value.toFixed(3));
const ratios = (metric: 'cpu' | 'wall') =>
  ourTimes.map((ours, index) => ours[metric] / (sdkTimes[index] as { cpu: number; wall: number })[metric]);
const cpuRatios = ratios('cpu');
const wallRatios = ratios('wall');
const figure = {
  name: 'tool-call-overhead',
  unit: 'ns/op',
  ours: Math.round(
    quantile(
      ourTimes.map((time) => time.cpu),
      0.5,
    ),
  ),
  peers: {
    '@modelcontextprotocol/sdk': Math.round(
      quantile(
        sdkTimes.map((time) => time.cpu),
        0.5,
      ),
    ),
  },
  ratio: round3(
    quantile(
      ourTimes.map((time) => time.cpu),
      0.5,
    ) /
      quantile(
        sdkTimes.map((time) => time.cpu),
        0.5,
      ),
  ),
  method: `CPU time per call, medians of ${rounds} alternating rounds of ${callsPerRound} sequential calls each`,
  // The spread of the per-round ratios (ours / the SDK round next to it).
  spread: { p10: round3(quantile(cpuRatios, 0.1)), p90: round3(quantile(cpuRatios, 0.9)) },
  wall: {
    ours: Math.round(
      quantile(
        ourTimes.map((time) => time.wall),
        0.5,
      ),
    ),
    sdk: Math.round(
      quantile(
        sdkTimes.map((time) => time.wall),
        0.5,
      ),
    ),
    ratio: round3(
      quantile(
        ourTimes.map((time) => time.wall),
        0.5,
      ) /
        quantile(
          sdkTimes.map((time) => time.wall),
          0.5,
        ),
    ),
    spread: { p10: round3(quantile(wallRatios, 0.1)), p90: round3(quantile(wallRatios, 0.9)) },
  },
  loadAverage: Number(loadavg()[0]?.toFixed(1)),
};
console.log(figure);
await ours.close();
await sdk.close();
const results = { node: process.version, date: new Date().toISOString(), figures: [figure] };
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench/results.json');
