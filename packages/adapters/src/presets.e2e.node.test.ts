import { createCodingAgent } from '@agenticgen/core';
import { createSandbox } from '@agenticgen/sandbox';
import { afterAll, expect, it } from 'vitest';
import { createOpenAIChatModel } from './openai/index.js';
import { serverLog, uniqueKey } from './testing/contract-suite.js';
import { scriptFakeServer } from './testing/fake-server-script.js';
import { fakeServerUrls } from './testing/fake-server-urls.js';

/**
 * The coding agent with the real Python sandbox (Pyodide in a locked-down child process) behind the real OpenAI
 * SDK and the fake OpenAI server: what Python really computed is what the model reads in the next request.
 * Node only, because the sandbox's Node entry is what runs here; presets.e2e.test.ts covers both runtimes.
 */
const urls = fakeServerUrls();
const sandbox = createSandbox({ pool: { warm: 0 } });
afterAll(() => sandbox.dispose());

const toolCall = (id: string, code: string) => ({ id, name: 'run_python', arguments: JSON.stringify({ code }) });

it('runs the model’s Python in the real sandbox, keeps state between calls and sends results over the wire', async () => {
  const key = uniqueKey();
  await scriptFakeServer(urls.openai, key, [
    { toolCalls: [toolCall('call_define', 'import math\nsquares = [i * i for i in range(10)]\nprint(sum(squares))')] },
    {
      toolCalls: [
        toolCall('call_use', 'math.factorial(len(squares))'),
        toolCall('call_fail', 'squares[0] = 1 / squares[0]'),
      ],
    },
    { text: ['The sum is 285 and 10! is 3628800.'] },
  ]);
  const model = createOpenAIChatModel({
    modelId: `gpt-4.1-mini~scripted~${key}`,
    apiKey: 'sk-test',
    baseURL: `${urls.openai}/v1`,
    retry: false,
  });
  // Sequential tool calls: both share the session, and the failing one must run after the one that reads state.
  const agent = createCodingAgent({ model, sandbox, parallelToolCalls: false });
  try {
    const result = await agent.run('Sum the squares below 10, then take the factorial of how many there are.');
    expect(result.text).toBe('The sum is 285 and 10! is 3628800.');

    const bodies = (await serverLog(urls.openai, key)).bodies as Array<{
      messages: Array<{ role: string; content: string | null; tool_call_id?: string }>;
    }>;
    expect(bodies).toHaveLength(3);
    const toolOutputs = (index: number) =>
      (bodies[index]?.messages ?? [])
        .filter((message) => message.role === 'tool')
        .map((message) => [message.tool_call_id, JSON.parse(message.content ?? 'null')]);
    expect(toolOutputs(1)).toEqual([['call_define', { ok: true, stdout: '285\n', stderr: '', truncated: false }]]);
    const [define, use, fail] = toolOutputs(2);
    expect(define?.[0]).toBe('call_define');
    expect(use).toEqual(['call_use', { ok: true, stdout: '', stderr: '', result: '3628800', truncated: false }]);
    expect(fail?.[0]).toBe('call_fail');
    expect(fail?.[1]).toMatchObject({
      ok: false,
      error: { type: 'ZeroDivisionError', traceback: expect.stringContaining('ZeroDivisionError') },
    });
  } finally {
    await agent.dispose();
  }
}, 180_000);
