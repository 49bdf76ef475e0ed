import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { fromUIMessages } from './from-ui-messages.js';

const user = (text: string, id = 'u1') => ({ id, role: 'user', parts: [{ type: 'text', text }] });

function invalid(run: () => unknown): AgenticGenError {
  try {
    run();
  } catch (error) {
    if (AgenticGenError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an invalid-argument error');
}

describe('fromUIMessages', () => {
  it('converts text, images, steps, tool results, errors and denials into core messages', () => {
    const { messages, approvals } = fromUIMessages([
      { id: 's', role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      {
        id: 'u',
        role: 'user',
        parts: [
          { type: 'text', text: 'What is this?' },
          { type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,AAAA', filename: 'a.png' },
        ],
      },
      {
        id: 'a',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          { type: 'reasoning', text: 'hmm' },
          {
            type: 'tool-weather',
            toolCallId: 'w1',
            state: 'output-available',
            input: { city: 'Paris' },
            output: { c: 21 },
          },
          {
            type: 'dynamic-tool',
            toolName: 'probe',
            toolCallId: 'p1',
            state: 'output-error',
            input: {},
            errorText: 'down',
          },
          {
            type: 'tool-transfer',
            toolCallId: 't0',
            state: 'output-denied',
            input: {},
            approval: { id: 't0', approved: false },
          },
          { type: 'step-start' },
          { type: 'text', text: 'A cat, 21 degrees.' },
          { type: 'source-url', sourceId: 's', url: 'https://x' },
          { type: 'data-guardrail', data: {} },
        ],
      },
    ]);
    expect(approvals).toEqual({});
    expect(messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', image: 'data:image/png;base64,AAAA', mediaType: 'image/png' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'w1', toolName: 'weather', input: { city: 'Paris' } },
          { type: 'tool-call', toolCallId: 'p1', toolName: 'probe', input: {} },
          { type: 'tool-call', toolCallId: 't0', toolName: 'transfer', input: {} },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'w1', toolName: 'weather', output: { c: 21 } },
          {
            type: 'tool-result',
            toolCallId: 'p1',
            toolName: 'probe',
            output: { error: { message: 'down' } },
            isError: true,
          },
          {
            type: 'tool-result',
            toolCallId: 't0',
            toolName: 'transfer',
            output: { error: { code: 'tool-denied', message: 'a person denied this call' } },
            isError: true,
          },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'A cat, 21 degrees.' }] },
    ]);
  });

  it('returns the approvals and the suspended run of the last assistant message', () => {
    const result = fromUIMessages([
      user('pay alice and bob'),
      {
        id: 'a',
        role: 'assistant',
        parts: [
          {
            type: 'tool-transfer',
            toolCallId: 't1',
            state: 'approval-responded',
            input: { to: 'alice' },
            approval: { id: 't1', approved: true },
          },
          {
            type: 'tool-transfer',
            toolCallId: 't2',
            state: 'approval-responded',
            input: { to: 'bob' },
            approval: { id: 't2', approved: false, reason: 'no' },
          },
          { type: 'data-suspended', id: 'x', data: { runId: 'run-1', pendingApprovals: [] } },
        ],
      },
    ]);
    expect(result.approvals).toEqual({ t1: { approved: true }, t2: { approved: false, reason: 'no' } });
    expect(result.suspendedRunId).toBe('run-1');
    expect(fromUIMessages([...[result].map(() => user('a')), user('b')]).approvals).toEqual({});
  });

  it.each([
    ['a non-array body', { messages: [] }, 'messages must be an array'],
    ['an empty list', [], 'messages must not be empty'],
    ['an unknown role', [{ id: 'x', role: 'tool', parts: [] }], 'messages[0].role'],
    ['a missing parts array', [{ id: 'x', role: 'user' }], 'messages[0].parts must be an array'],
    ['an unknown part', [{ id: 'x', role: 'user', parts: [{ type: 'video' }] }], 'messages[0].parts[0].type'],
    [
      'a non-image file',
      [{ id: 'x', role: 'user', parts: [{ type: 'file', mediaType: 'application/pdf', url: 'data:,' }] }],
      'only image files',
    ],
    [
      'a file URL of another scheme',
      [{ id: 'x', role: 'user', parts: [{ type: 'file', mediaType: 'image/png', url: 'file:///etc/passwd' }] }],
      'data: or https:',
    ],
    [
      'a bad tool state',
      [{ id: 'x', role: 'assistant', parts: [{ type: 'tool-a', toolCallId: 'c', state: 'weird' }] }],
      'not a tool part state',
    ],
    [
      'a bad tool name',
      [{ id: 'x', role: 'assistant', parts: [{ type: 'tool-a b', toolCallId: 'c', state: 'input-available' }] }],
      'invalid tool',
    ],
    [
      'an approval without a verdict',
      [
        {
          id: 'x',
          role: 'assistant',
          parts: [{ type: 'tool-a', toolCallId: 'c', state: 'approval-responded', approval: { id: 'c' } }],
        },
      ],
      'approval.approved',
    ],
  ])('rejects %s with invalid-argument naming the path', (_name, body, expected) => {
    const error = invalid(() => fromUIMessages(body));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toContain(expected);
  });

  it('enforces each limit', () => {
    expect(invalid(() => fromUIMessages([user('a'), user('b'), user('c')], { maxMessages: 2 })).message).toContain(
      'limit is 2',
    );
    const manyParts = { id: 'x', role: 'user', parts: Array.from({ length: 4 }, () => ({ type: 'text', text: 'a' })) };
    expect(invalid(() => fromUIMessages([manyParts], { maxPartsPerMessage: 3 })).message).toContain('limit is 3');
    expect(invalid(() => fromUIMessages([user('x'.repeat(101))], { maxTotalCharacters: 100 })).message).toContain(
      '100 characters',
    );
    // The deprecated `maxTotalChars` still works; the new name wins when both are given.
    expect(invalid(() => fromUIMessages([user('x'.repeat(101))], { maxTotalChars: 100 })).message).toContain(
      '100 characters',
    );
    expect(() =>
      fromUIMessages([user('x'.repeat(101))], { maxTotalChars: 100, maxTotalCharacters: 200 }),
    ).not.toThrow();
    let deep: unknown = {};
    for (let level = 0; level < 10; level += 1) deep = { deep };
    const deepTool = {
      id: 'x',
      role: 'assistant',
      parts: [{ type: 'tool-a', toolCallId: 'c', state: 'output-available', input: {}, output: deep }],
    };
    expect(invalid(() => fromUIMessages([deepTool], { maxJsonDepth: 5 })).message).toContain('deeper than 5');
  });

  it('never echoes a long offending value', () => {
    const error = invalid(() => fromUIMessages([{ id: 'x', role: 'x'.repeat(10_000), parts: [] }]));
    expect(error.message.length).toBeLessThan(200);
  });

  it('never crashes on arbitrary JSON: it returns validated messages or throws invalid-argument', () => {
    const part = fc.oneof(
      fc.record({
        type: fc.constantFrom('text', 'reasoning', 'step-start'),
        text: fc.oneof(fc.string(), fc.integer()),
      }),
      fc.record({
        type: fc.constantFrom('tool-weather', 'dynamic-tool', 'tool-', 'tool-__proto__'),
        toolName: fc.option(fc.string()),
        toolCallId: fc.oneof(fc.string(), fc.constant(undefined)),
        state: fc.constantFrom(
          'input-streaming',
          'input-available',
          'approval-responded',
          'output-available',
          'output-error',
          'output-denied',
          'x',
        ),
        input: fc.jsonValue(),
        output: fc.jsonValue(),
        errorText: fc.option(fc.string()),
        approval: fc.option(fc.record({ id: fc.string(), approved: fc.oneof(fc.boolean(), fc.string()) })),
      }),
      fc.record({
        type: fc.constantFrom('file'),
        mediaType: fc.constantFrom('image/png', 'text/plain', 1),
        url: fc.string(),
      }),
      fc.record({ type: fc.string(), data: fc.jsonValue() }),
      fc.anything(),
    );
    const message = fc.record({
      id: fc.oneof(fc.string(), fc.constant(null)),
      role: fc.constantFrom('user', 'assistant', 'system', 'tool', '__proto__'),
      parts: fc.oneof(fc.array(part, { maxLength: 6 }), fc.anything()),
    });
    fc.assert(
      fc.property(fc.oneof(fc.array(message, { maxLength: 5 }), fc.anything()), (body) => {
        let result: ReturnType<typeof fromUIMessages>;
        try {
          result = fromUIMessages(body);
        } catch (error) {
          expect(AgenticGenError.hasCode(error, 'invalid-argument')).toBe(true);
          return;
        }
        for (const chat of result.messages) {
          expect(['system', 'user', 'assistant', 'tool']).toContain(chat.role);
          if (typeof chat.content === 'string') continue;
          for (const item of chat.content) {
            expect(['text', 'image', 'tool-call', 'tool-result']).toContain(item.type);
            if (item.type === 'tool-call' || item.type === 'tool-result')
              expect(item.toolName).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
          }
        }
        JSON.stringify(result);
      }),
      { numRuns: 2000 },
    );
  });
});
