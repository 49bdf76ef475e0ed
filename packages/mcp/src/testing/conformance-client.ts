// The client under test for `@modelcontextprotocol/conformance client`: the suite starts a scenario server,
// then runs this file with the server URL as the last argument and the scenario in MCP_CONFORMANCE_SCENARIO.
import { createMcpClient } from '@agenticgen/mcp';
import { type ConformanceContext, conformanceAuth } from './conformance-oauth.js';

const url = process.argv.at(-1) ?? '';
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';

/** Accepts an elicitation with every default of the requested schema filled in (SEP-1034). */
function acceptWithDefaults(schema: { properties?: Record<string, { default?: unknown }> }) {
  const content: Record<string, string | number | boolean> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (property.default !== undefined) content[name] = property.default as string | number | boolean;
  }
  return { action: 'accept' as const, content };
}

const auth = scenario.startsWith('auth/')
  ? conformanceAuth(scenario, JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as ConformanceContext)
  : {};
const client = createMcpClient({
  name: 'agenticgen-conformance',
  transport: { type: 'streamable-http', url, ...auth },
  elicitation: async (request) =>
    acceptWithDefaults('requestedSchema' in request ? (request.requestedSchema as never) : {}),
});
const context = { signal: new AbortController().signal, toolCallId: 'conformance', values: {} };
try {
  const tools = await client.tools();
  if (scenario === 'tools_call') {
    await tools.find((tool) => tool.name === 'add_numbers')?.execute({ a: 2, b: 3 }, context);
  } else if (scenario !== 'initialize') {
    // Every other scenario offers one tool that exercises the feature under test.
    const [tool] = tools;
    await tool?.execute({}, context);
  }
} finally {
  await client.close();
}
