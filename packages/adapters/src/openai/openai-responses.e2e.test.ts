import { type AgentEvent, createCodingAgent } from '@agenticgen/core';
import { createArithmeticSandbox } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import { serverLog, uniqueKey } from '../testing/contract-suite.js';
import { scriptFakeServer } from '../testing/fake-server-script.js';
import { browserOptIn, fakeServerUrls } from '../testing/fake-server-urls.js';
import { createOpenAIResponsesChatModel } from './index.js';

/**
 * A whole agent tool loop over the Responses API (Node and Chromium): the openai SDK streams typed events from
 * the fake server's scripted turns, and the second request must carry the conversation in the Responses
 * shape — the model's `function_call` item and our `function_call_output` with the same `call_id`.
 */
const urls = fakeServerUrls();

/** A Responses API model whose answers are the fake server's script for `key`. */
const scriptedResponsesModel = (key: string) =>
  createOpenAIResponsesChatModel({
    modelId: `gpt-4.1-mini~scripted~${key}`,
    apiKey: 'sk-test',
    baseURL: `${urls.openai}/v1`,
    retry: false,
    ...browserOptIn,
  });

interface ResponsesBody {
  instructions?: string;
  input: Array<Record<string, unknown>>;
  tools?: Array<{ type: string; name: string; parameters: unknown }>;
  stream?: boolean;
}

describe('an agent over the OpenAI Responses API', () => {
  it('runs a tool call from a streamed function_call and sends the result back as function_call_output', async () => {
    const key = uniqueKey();
    await scriptFakeServer(urls.openai, key, [
      {
        text: ['Checking with Python.'],
        toolCalls: [{ id: 'call_r1', name: 'run_python', arguments: JSON.stringify({ code: 'print(6 * 7)' }) }],
      },
      { text: ['The answer ', 'is 42.'] },
    ]);
    const model = scriptedResponsesModel(key);
    const { sandbox, log } = createArithmeticSandbox();
    const run = createCodingAgent({ model, sandbox }).stream('What is 6 times 7? Check with Python.');
    const events: AgentEvent[] = [];
    for await (const event of run) events.push(event);
    const result = await run.result;

    expect(log.runs).toEqual(['print(6 * 7)']);
    expect(result.text).toBe('The answer is 42.');
    expect(result.stopReason).toBe('stop');
    expect(events.find((event) => event.type === 'tool-call')).toMatchObject({
      toolCallId: 'call_r1',
      toolName: 'run_python',
      input: { code: 'print(6 * 7)' },
    });

    const bodies = (await serverLog(urls.openai, key)).bodies as unknown as ResponsesBody[];
    expect(bodies).toHaveLength(2);
    expect(bodies[0]?.stream).toBe(true);
    expect(bodies[0]?.tools?.map((tool) => [tool.type, tool.name])).toContainEqual(['function', 'run_python']);
    const followUp = bodies[1]?.input ?? [];
    const call = followUp.find((item) => item.type === 'function_call');
    const output = followUp.find((item) => item.type === 'function_call_output');
    expect(call).toMatchObject({ call_id: 'call_r1', name: 'run_python' });
    expect(JSON.parse(String(call?.arguments))).toEqual({ code: 'print(6 * 7)' });
    expect(output).toMatchObject({ call_id: 'call_r1' });
    expect(String(output?.output)).toContain('42');
  });

  it('reports an exhausted script as a request error instead of inventing an answer', async () => {
    const key = uniqueKey();
    await scriptFakeServer(urls.openai, key, []);
    const model = scriptedResponsesModel(key);
    await expect(model.generate({ messages: [{ role: 'user', content: 'Hi' }] })).rejects.toMatchObject({
      code: 'invalid-request',
    });
  });
});
