import { defineTool, type ToolContext, Type } from '@agenticgen/core';
import { mcpError } from '../errors.js';
import { createMcpServer, type McpServerFactory, mcpContent, mcpToolContext } from '../index.js';
import { createFixtureOptions } from '../server/fixture-server.js';

/**
 * The server the conformance suite's server scenarios drive: createMcpServer with the fixed test tools,
 * resources and prompts the scenarios name (node_modules/@modelcontextprotocol/conformance), every one a core
 * tool on the MCP tool context, next to the plain fixture's tool, agent and knowledge base.
 */
export async function createConformanceServer(): Promise<McpServerFactory> {
  const options = await createFixtureOptions();
  return createMcpServer({
    ...options,
    name: 'conformance-fixture',
    tools: [...(options.tools ?? []), ...testTools],
    resources: [
      {
        uri: 'test://static-text',
        name: 'static-text',
        description: 'A text resource.',
        mimeType: 'text/plain',
        read: () => ({ text: 'This is the content of the static text resource.' }),
      },
      {
        uri: 'test://static-binary',
        name: 'static-binary',
        description: 'A PNG.',
        mimeType: 'image/png',
        read: () => ({ blob: redPixel }),
      },
      {
        uri: 'test://watched-resource',
        name: 'watched-resource',
        description: 'A resource to subscribe to.',
        mimeType: 'text/plain',
        read: () => ({ text: 'watched' }),
      },
    ],
    resourceTemplates: [
      {
        uriTemplate: 'test://template/{id}/data',
        name: 'template-data',
        description: 'Data by id.',
        mimeType: 'application/json',
        read: (_uri, { id }) => ({ text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }),
      },
    ],
    prompts: [
      {
        name: 'test_simple_prompt',
        description: 'A simple prompt.',
        get: () => 'This is a simple prompt for testing.',
      },
      {
        name: 'test_prompt_with_arguments',
        description: 'A prompt with two arguments.',
        arguments: [
          { name: 'arg1', description: 'First test argument', required: true },
          { name: 'arg2', description: 'Second test argument', required: true },
        ],
        get: ({ arg1, arg2 }) => `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
        complete: { arg1: (value) => ['paris', 'park', 'party'].filter((word) => word.startsWith(value)) },
      },
      {
        name: 'test_prompt_with_embedded_resource',
        description: 'A prompt embedding a resource.',
        arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
        get: ({ resourceUri = '' }) => [
          {
            role: 'user',
            content: {
              type: 'resource',
              resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
            },
          },
          { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
        ],
      },
      {
        name: 'test_prompt_with_image',
        description: 'A prompt with an image.',
        get: () => [
          { role: 'user', content: { type: 'image', data: redPixel, mimeType: 'image/png' } },
          { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
        ],
      },
    ],
  });
}

/** A 1×1 red PNG and a 1-sample WAV, the smallest valid media the scenarios accept. */
const redPixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const silentWav = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQIAAAAAAA==';

function mcp(context: ToolContext) {
  const found = mcpToolContext(context);
  if (found === undefined) throw mcpError('unsupported', 'this tool runs only inside an MCP server');
  return found;
}

/** Resolves after `ms`, or rejects when the call is cancelled (the scenarios ask for ~50 ms between events). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

const noArguments = Type.Object({});
const testTools = [
  defineTool({
    name: 'test_simple_text',
    description: 'Answers text.',
    parameters: noArguments,
    execute: () => 'This is a simple text response for testing.',
  }),
  defineTool({
    name: 'test_image_content',
    description: 'Answers an image.',
    parameters: noArguments,
    execute: () => mcpContent([{ type: 'image', data: redPixel, mimeType: 'image/png' }]),
  }),
  defineTool({
    name: 'test_audio_content',
    description: 'Answers audio.',
    parameters: noArguments,
    execute: () => mcpContent([{ type: 'audio', data: silentWav, mimeType: 'audio/wav' }]),
  }),
  defineTool({
    name: 'test_embedded_resource',
    description: 'Answers an embedded resource.',
    parameters: noArguments,
    execute: () =>
      mcpContent([
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ]),
  }),
  defineTool({
    name: 'test_multiple_content_types',
    description: 'Answers text, an image and a resource.',
    parameters: noArguments,
    execute: () =>
      mcpContent([
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: redPixel, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: '{"test":"data","value":123}',
          },
        },
      ]),
  }),
  defineTool({
    name: 'test_tool_with_logging',
    description: 'Logs three messages.',
    parameters: noArguments,
    async execute(_args, context) {
      await mcp(context).log('info', 'Tool execution started');
      await pause(50, context.signal);
      await mcp(context).log('info', 'Tool processing data');
      await pause(50, context.signal);
      await mcp(context).log('info', 'Tool execution completed');
      return 'Logging test completed';
    },
  }),
  defineTool({
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50, 100 of 100.',
    parameters: noArguments,
    async execute(_args, context) {
      for (const progress of [0, 50, 100]) {
        if (progress > 0) await pause(50, context.signal);
        await mcp(context).progress(progress, { total: 100 });
      }
      return 'Progress test completed';
    },
  }),
  defineTool({
    name: 'test_error_handling',
    description: 'Always fails.',
    parameters: noArguments,
    execute: () => {
      throw new Error('This tool intentionally returns an error for testing');
    },
  }),
  defineTool({
    name: 'test_sampling',
    description: 'Asks the client model.',
    parameters: Type.Object({ prompt: Type.String({ maxLength: 10_000 }) }),
    async execute({ prompt }, context) {
      const result = await mcp(context).sample({
        messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
        maxTokens: 100,
      });
      return `LLM response: ${result.content.type === 'text' ? result.content.text : `[${result.content.type}]`}`;
    },
  }),
  defineTool({
    name: 'test_elicitation',
    description: 'Asks the user.',
    parameters: Type.Object({ message: Type.String({ maxLength: 10_000 }) }),
    async execute({ message }, context) {
      const result = await mcp(context).elicit({
        message,
        requestedSchema: {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        },
      });
      return `User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;
    },
  }),
  defineTool({
    name: 'test_elicitation_sep1034_defaults',
    description: 'Asks the user with defaults.',
    parameters: noArguments,
    async execute(_args, context) {
      const result = await mcp(context).elicit({
        message: 'Please review and update the form fields with defaults',
        requestedSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'User name', default: 'John Doe' },
            age: { type: 'integer', description: 'User age', default: 30 },
            score: { type: 'number', description: 'User score', default: 95.5 },
            status: {
              type: 'string',
              description: 'User status',
              enum: ['active', 'inactive', 'pending'],
              default: 'active',
            },
            verified: { type: 'boolean', description: 'Verification status', default: true },
          },
          required: [],
        },
      });
      return `Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;
    },
  }),
  defineTool({
    name: 'test_elicitation_sep1330_enums',
    description: 'Asks the user with every enum form.',
    parameters: noArguments,
    async execute(_args, context) {
      const result = await mcp(context).elicit({
        message: 'Please select options from the enum fields',
        requestedSchema: {
          type: 'object',
          properties: {
            untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            titledSingle: {
              type: 'string',
              oneOf: [
                { const: 'value1', title: 'First Option' },
                { const: 'value2', title: 'Second Option' },
                { const: 'value3', title: 'Third Option' },
              ],
            },
            legacyEnum: {
              type: 'string',
              enum: ['opt1', 'opt2', 'opt3'],
              enumNames: ['Option One', 'Option Two', 'Option Three'],
            },
            untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
            titledMulti: {
              type: 'array',
              items: {
                anyOf: [
                  { const: 'value1', title: 'First Choice' },
                  { const: 'value2', title: 'Second Choice' },
                  { const: 'value3', title: 'Third Choice' },
                ],
              },
            },
          },
          required: [],
        },
      });
      return `Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;
    },
  }),
];
