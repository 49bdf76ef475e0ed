import type { ChatRequest } from '@agenticgen/core';

/** Tiny PNG header bytes; the fake servers never decode images, the adapters must only encode them right. */
export const pngBytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const pngBase64 = 'iVBORw0KGgo=';

/** A request that exercises every mapping: system, images, tool history, tools, tool choice, format, sampling. */
export const richRequest: ChatRequest = {
  messages: [
    { role: 'system', content: 'You are a weather bot.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture, and the weather in Paris?' },
        { type: 'image', image: pngBytes, mediaType: 'image/png' },
        { type: 'image', image: 'https://example.com/cat.jpg', mediaType: 'image/jpeg' },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
      ],
    },
    {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: { celsius: 21 } }],
    },
  ],
  tools: [
    {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
        required: ['city'],
        additionalProperties: false,
      },
      strict: true,
    },
  ],
  toolChoice: { type: 'tool', toolName: 'get_weather' },
  parallelToolCalls: false,
  temperature: 0.2,
  topP: 0.9,
  maxOutputTokens: 256,
  seed: 7,
  headers: { 'x-trace-id': 'trace-123' },
};
