/**
 * A scripted model and an approval-gated tool for the UI chat tests: the model answers by the last user text,
 * so one server covers streaming, tools, approvals, sources, errors and a slow answer to stop or resume.
 */
import { AgenticGenError, type ChatRequest, definePlugin, defineTool, Type } from '@agenticgen/core';
import { MockChatModel, type MockResponse } from '@agenticgen/core/testing';
import type { ServiceOverrides } from '../src/services/create-services.ts';

export const transfers: string[] = [];

/** The document the `cite` question finds (upload it with `json: wickiesDocument`). */
export const wickiesDocument = {
  name: 'wickies.md',
  content:
    '# Lighthouse keeping\n\nKeepers trimmed the lamp wick every four hours, which is why they were called wickies.',
};

const transfer = defineTool({
  name: 'transfer',
  description: 'Moves money; a person approves each transfer.',
  parameters: Type.Object({ to: Type.String(), amount: Type.Number() }),
  needsApproval: true,
  execute: ({ to, amount }) => {
    transfers.push(`${amount} to ${to}`);
    return { sent: amount, to };
  },
});

const weather = defineTool({
  name: 'weather',
  description: 'Weather of a city.',
  parameters: Type.Object({ city: Type.String() }),
  execute: ({ city }) => ({ city, celsius: 21 }),
});

function lastUserText(request: ChatRequest): string {
  const user = [...request.messages].reverse().find((message) => message.role === 'user');
  if (user === undefined) return '';
  return typeof user.content === 'string'
    ? user.content
    : user.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function answer(request: ChatRequest): MockResponse | string {
  const asked = lastUserText(request);
  const last = request.messages.at(-1);
  if (last?.role === 'tool') {
    const output = JSON.stringify(last.content.map((part) => part.output));
    if (asked.startsWith('cite')) return 'Keepers were called wickies [1].';
    return { text: `Tool said ${output}.`, chunkSize: 6 };
  }
  if (asked.startsWith('weather'))
    return { toolCalls: [{ toolName: 'weather', input: { city: 'Paris' } }], chunkSize: 3 };
  if (asked.startsWith('pay')) return { toolCalls: [{ toolName: 'transfer', input: { to: 'alice', amount: 30 } }] };
  if (asked.startsWith('cite'))
    return { toolCalls: [{ toolName: 'search_knowledge', input: { query: 'wickies', topK: 1 } }] };
  if (asked.startsWith('fail'))
    return {
      text: 'This answer breaks halfway',
      chunkSize: 5,
      error: new AgenticGenError('server', 'the model provider failed'),
      errorAfterParts: 3,
    };
  if (asked.startsWith('slow')) {
    const words = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
    return { text: words, chunkSize: 6, partDelayMs: 20 };
  }
  return { text: `You said: ${asked}`, chunkSize: 4 };
}

/** Service overrides: the scripted model, and the tools as a plugin. */
export function uiChatServices(): ServiceOverrides {
  return {
    model: {
      model: new MockChatModel({ modelId: 'scripted-model', responses: [answer], repeatLast: true }),
      label: 'scripted model',
      offlineDemo: false,
    },
    plugins: [definePlugin({ name: 'ui-chat-tools', version: '1.0.0', setup: () => ({ tools: [transfer, weather] }) })],
  };
}
