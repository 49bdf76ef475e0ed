import { type ChatRequest, type ChatStreamPart, collectStream } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createDemoModel } from './demo-model.ts';

const tool = (name: string) => ({ name, description: name, parameters: { type: 'object' } });
const model = createDemoModel({ wordDelayMs: 0 });

async function parts(request: ChatRequest): Promise<ChatStreamPart[]> {
  const collected: ChatStreamPart[] = [];
  for await (const part of model.stream(request)) collected.push(part);
  return collected;
}

describe('the offline demo model', () => {
  it('looks a question up with search_knowledge, as a streamed tool call', async () => {
    const streamed = await parts({
      messages: [{ role: 'user', content: 'Why is the sky blue?' }],
      tools: [tool('search_knowledge')],
    });
    expect(streamed.map((part) => part.type)).toEqual([
      'response-start',
      'tool-call-start',
      'tool-call-delta',
      'tool-call-end',
      'finish',
    ]);
    expect(streamed[3]).toMatchObject({
      toolName: 'search_knowledge',
      input: { query: 'Why is the sky blue?', topK: 3 },
    });
    expect(streamed[4]).toMatchObject({ finishReason: 'tool-calls' });
  });

  it('sends fenced Python to run_python, and both parts of a mixed task to a supervisor’s workers', async () => {
    const python = await parts({
      messages: [{ role: 'user', content: 'Please:\n```python\nprint(1)\n```' }],
      tools: [tool('search_knowledge'), tool('run_python')],
    });
    expect(python.find((part) => part.type === 'tool-call-end')).toMatchObject({
      toolName: 'run_python',
      input: { code: 'print(1)\n' },
    });
    const supervised = await parts({
      messages: [{ role: 'user', content: 'What is pi?\n```python\nimport math; math.pi\n```' }],
      tools: [tool('researcher'), tool('coder')],
    });
    const calls = supervised.filter((part) => part.type === 'tool-call-end');
    expect(calls.map((call) => (call.type === 'tool-call-end' ? call.toolName : ''))).toEqual(['researcher', 'coder']);
  });

  it('quotes the passages it found with numbered citations and their sources', async () => {
    const response = await collectStream(
      model.stream({
        messages: [
          { role: 'user', content: 'Why is the sky blue?' },
          {
            role: 'assistant',
            content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'search_knowledge', input: {} }],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'c1',
                toolName: 'search_knowledge',
                output: {
                  results: [
                    {
                      source: 'optics.md',
                      chunk: 2,
                      text: '## Scattering\nShort wavelengths scatter more.',
                      score: 0.9,
                    },
                    { source: 'air.txt', chunkIndex: 0, text: 'Air is mostly nitrogen.', score: 0.4 },
                  ],
                },
              },
            ],
          },
        ],
      }),
    );
    expect(response.text).toContain('> Short wavelengths scatter more. [1]');
    expect(response.text).not.toContain('## Scattering');
    expect(response.text).toContain('[1] optics.md (passage 3)\n[2] air.txt (passage 1)');
    expect(response.finishReason).toBe('stop');
    expect(response.usage.outputTokens).toBeGreaterThan(0);
  });

  it('says plainly when it found nothing, and reports failed tools', async () => {
    const empty = await model.generate({
      messages: [
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 'c', toolName: 'search_knowledge', output: { results: [] } }],
        },
      ],
    });
    expect(empty.text).toMatch(/found nothing/);
    const failed = await model.generate({
      messages: [
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c',
              toolName: 'run_python',
              output: { code: 'timeout', message: 'too slow' },
              isError: true,
            },
          ],
        },
      ],
    });
    expect(failed.text).toBe('The run_python tool failed (timeout): too slow');
  });
});
