import { describe, expect, it } from 'vitest';
import type { ChatRequest, ToolResultPart } from '../../contracts/chat-model.js';
import { createHashingEmbedder } from '../../knowledge/hashing-embedder.js';
import { createKnowledgeBase } from '../../knowledge/knowledge-base.js';
import { createMemoryVectorStore } from '../../knowledge/memory-vector-store.js';
import { createArithmeticSandbox } from '../../testing/arithmetic-sandbox.js';
import { checkAsyncResource } from '../../testing/async-resource-checks.js';
import { MockChatModel } from '../../testing/mock-chat-model.js';
import { citationsOf, createCodingAgent, createCreativeAgent, createResearchAgent } from './index.js';

const lastToolOutputs = (request: ChatRequest | undefined) =>
  ((request?.messages.at(-1)?.content ?? []) as ToolResultPart[]).map((part) => part.output);

describe('coding agent preset', () => {
  it('gets run_python only with a sandbox; runs code in one persistent session and returns errors as data', async () => {
    const withoutSandbox = createCodingAgent({ model: new MockChatModel({ responses: ['x'] }) });
    expect(withoutSandbox.tools.has('run_python')).toBe(false);

    const { sandbox, log } = createArithmeticSandbox();
    const model = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: 'run_python', input: { code: 'x = 21' } }] },
        {
          toolCalls: [
            { toolName: 'run_python', input: { code: 'print(x * 2)' } },
            { toolName: 'run_python', input: { code: 'print(y * 2)' } },
          ],
        },
        'x * 2 is 42.',
      ],
    });
    const agent = createCodingAgent({ model, sandbox });
    const result = await agent.run('What is x*2 for x=21?');
    expect(result.text).toBe('x * 2 is 42.');
    expect(log.runs).toEqual(['x = 21', 'print(x * 2)', 'print(y * 2)']);
    expect(log.sessions).toBe(1);
    expect(lastToolOutputs(model.requests[2])).toEqual([
      { ok: true, stdout: '42\n', stderr: '', truncated: false },
      {
        ok: false,
        stdout: '',
        stderr: '',
        truncated: false,
        error: {
          type: 'NameError',
          message: "name 'y' is not defined",
          traceback: expect.stringContaining('NameError'),
        },
      },
    ]);
    expect(String(model.requests[0]?.messages[0]?.content)).toContain('run_python');
    await agent.dispose();
    expect(log.disposed).toBe(1);
  });

  it('the coding agent is released by `await using`: its session is disposed once, however often', async () => {
    const { sandbox, log } = createArithmeticSandbox();
    const model = new MockChatModel({
      responses: [{ toolCalls: [{ toolName: 'run_python', input: { code: 'x = 1' } }] }, 'done'],
    });
    await checkAsyncResource(
      async () => {
        const agent = createCodingAgent({ model, sandbox });
        await agent.run('set x');
        return agent;
      },
      () => expect(log.disposed).toBe(1),
    );
  });

  it('can require approval before running code', async () => {
    const { sandbox, log } = createArithmeticSandbox();
    const agent = createCodingAgent({
      model: new MockChatModel({ responses: [{ toolCalls: [{ toolName: 'run_python', input: { code: 'x = 1' } }] }] }),
      sandbox,
      approveCode: true,
    });
    const result = await agent.run('set x');
    expect(result.status).toBe('suspended');
    expect(log.runs).toEqual([]);
  });
});

describe('research agent preset', () => {
  it('retrieves from the knowledge base and cites the sources it used', async () => {
    const embedder = createHashingEmbedder({ dimensions: 256 });
    const knowledgeBase = createKnowledgeBase({ vectorStore: createMemoryVectorStore({ dimensions: 256 }), embedder });
    await knowledgeBase.add([
      {
        id: 'tides',
        source: 'https://example.org/tides',
        content: 'Ocean tides are caused by the gravitational pull of the Moon and the Sun.',
      },
      { id: 'bread', source: 'https://example.org/bread', content: 'Sourdough bread rises with a wild yeast starter.' },
    ]);
    const model = new MockChatModel({
      responses: [
        { toolCalls: [{ toolName: 'search_knowledge', input: { query: 'what causes ocean tides' } }] },
        (request) => {
          // Answer from the top passage, as a model would, citing its ref.
          const output = lastToolOutputs(request)[0] as { results: Array<{ ref: string; text: string }> };
          const top = output.results[0];
          return `${top?.text} [${top?.ref}] [unknown#9]`;
        },
      ],
    });
    const agent = createResearchAgent({ model, knowledgeBase, topK: 2 });
    const result = await agent.run('What causes tides?');
    expect(result.text).toContain('gravitational pull');
    expect(citationsOf(result)).toEqual([
      {
        ref: 'tides#0',
        source: 'https://example.org/tides',
        documentId: 'tides',
        chunkIndex: 0,
        text: 'Ocean tides are caused by the gravitational pull of the Moon and the Sun.',
      },
    ]);
    expect(String(model.requests[0]?.messages[0]?.content)).toContain('cite');
  });
});

describe('creative agent preset', () => {
  it('has no tools and samples with creative defaults that callers can override', async () => {
    const model = new MockChatModel({ responses: ['A poem.', 'Another.'] });
    await createCreativeAgent({ model }).run('Write a haiku');
    expect(model.requests[0]?.tools).toBeUndefined();
    expect([model.requests[0]?.temperature, model.requests[0]?.topP]).toEqual([0.9, 0.95]);
    await createCreativeAgent({ model, temperature: 1.2, seed: 7 }).run('Again');
    expect([model.requests[1]?.temperature, model.requests[1]?.seed]).toEqual([1.2, 7]);
    expect(() => createCreativeAgent({ model, tools: [] } as never)).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
  });
});
