import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { readEnvelope, readRunResult } from './envelope.js';
import { type SandboxTransport, WorkerLink } from './worker-link.js';

function fakeTransport() {
  const sent: { worker: number; json: string }[] = [];
  const transport: SandboxTransport = {
    start: async () => undefined,
    spawn: () => {},
    send: (worker, json) => sent.push({ worker, json }),
    interrupt: () => {},
    terminate: () => {},
    onEnvelope: () => {},
    onCrash: () => {},
    close: async () => {},
  };
  return { transport, sent };
}

const runReply = (id: number, value: unknown) => ({
  t: 'message',
  w: 1,
  json: JSON.stringify({ op: 'reply', id, ok: true, value }),
});
const goodResult = { ok: true, truncated: false, stdout: 'real\n', stderr: '', durationMs: 1, heapBytes: 1 };

describe('messages from the sandbox are validated and forged ones dropped', () => {
  it('drops replies for requests that are not pending, malformed JSON and wrong shapes', async () => {
    const { transport, sent } = fakeTransport();
    const dropped: string[] = [];
    const link = new WorkerLink(1, transport, (reason) => dropped.push(reason));
    link.receive(readEnvelope({ t: 'message', w: 1, json: JSON.stringify({ op: 'ready', heapBytes: 10 }) }) as never);
    await link.ready;
    const pending = link.request({ op: 'run', code: '1' });
    const { id } = JSON.parse(sent[0]?.json ?? '{}') as { id: number };
    // Forged: a reply to a request id that was never sent, garbage, a second "ready", an unknown op.
    link.receive(readEnvelope(runReply(id + 1, { ...goodResult, stdout: 'forged' })) as never);
    link.receive(readEnvelope({ t: 'message', w: 1, json: '{not json' }) as never);
    link.receive(readEnvelope({ t: 'message', w: 1, json: JSON.stringify({ op: 'ready', heapBytes: 1 }) }) as never);
    link.receive(readEnvelope({ t: 'message', w: 1, json: JSON.stringify({ op: 'eval', code: 'x' }) }) as never);
    expect(dropped).toHaveLength(4);
    link.receive(readEnvelope(runReply(id, goodResult)) as never);
    const reply = await pending;
    expect(readRunResult(reply.value)?.stdout).toBe('real\n');
  });

  it('rejects envelopes and results with the wrong types', () => {
    expect(readEnvelope(null)).toBeUndefined();
    expect(readEnvelope({ t: 'message', w: 0, json: '{}' })).toBeUndefined();
    expect(readEnvelope({ t: 'message', w: 1, json: {} })).toBeUndefined();
    expect(readEnvelope({ t: 'message', w: 1, json: '{}', payload: 'bytes' })).toBeUndefined();
    expect(readEnvelope({ t: 'spawn', w: 1 })).toBeUndefined();
    expect(readRunResult({ ...goodResult, stdout: 42 })).toBeUndefined();
    expect(readRunResult({ ...goodResult, ok: false })).toBeUndefined();
    expect(readRunResult({ ...goodResult, result: { repr: '1', mime: { 'text/plain': 1 } } })).toBeUndefined();
    expect(readRunResult({ ...goodResult, result: { repr: '1', mime: { 'not a mime': 'x' } } })).toBeUndefined();
    const rebuilt = readRunResult({ ...goodResult, extra: 'dropped', __proto__: { polluted: true } });
    expect(rebuilt).toEqual({ ...goodResult });
  });

  it('fails pending requests with sandbox-crashed when the worker exits', async () => {
    const { transport } = fakeTransport();
    const link = new WorkerLink(2, transport, () => {});
    link.receive({ t: 'message', w: 2, json: JSON.stringify({ op: 'ready', heapBytes: 1 }) });
    await link.ready;
    const pending = link.request({ op: 'run', code: '1' });
    link.receive({ t: 'exit', w: 2, reason: 'killed' });
    const error = await pending.catch((caught: unknown) => caught);
    expect(AgenticGenError.hasCode(error, 'sandbox-crashed')).toBe(true);
    expect(link.alive).toBe(false);
  });
});
