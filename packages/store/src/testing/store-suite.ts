/**
 * The contract every store driver passes (memory in core, PGlite, PostgreSQL). Each case uses fresh random ids,
 * so drivers sharing one database across cases (PostgreSQL) need no cleanup between them.
 */
import { AgenticGenError, type AgentStore, type ErrorCode, storeLimits } from '@agenticgen/core';
import { checkAsyncResource } from '@agenticgen/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;
const user = (text: string) => ({ message: { role: 'user' as const, content: text } });
const hasCode = (code: ErrorCode) => (error: unknown) => AgenticGenError.hasCode(error, code);

/** What a driver tells the suite about itself. */
export interface StoreContractSuiteOptions {
  /**
   * Each operation completes when it is called, with nothing to wait for (the memory store): the cases of an
   * abort that lands while an operation waits do not apply.
   */
  completesWhenCalled?: boolean;
}

export function runStoreContractSuite(
  name: string,
  factory: () => AgentStore | Promise<AgentStore>,
  options: StoreContractSuiteOptions = {},
): void {
  describe(`store contract: ${name}`, () => {
    let store: AgentStore;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    it('is released by `await using` (and close/dispose again resolve); a released store refuses with disposed', async () => {
      await checkAsyncResource(factory, async (released) => {
        await expect(released.getThread('any')).rejects.toSatisfy(hasCode('disposed'));
        await released.close();
      });
    });

    it('creates, reads, updates and deletes a thread; a duplicate id is already-exists', async () => {
      const id = unique('thread');
      const created = await store.createThread({ id, resourceId: 'user-1', title: 'Trip', metadata: { lang: 'en' } });
      expect(created).toMatchObject({ id, resourceId: 'user-1', title: 'Trip', metadata: { lang: 'en' } });
      expect(await store.getThread(id)).toEqual(created);
      await expect(store.createThread({ id })).rejects.toSatisfy(hasCode('already-exists'));
      const updated = await store.updateThread(id, { title: 'Trip to Rome', metadata: { lang: 'it' } });
      expect(updated).toMatchObject({ title: 'Trip to Rome', metadata: { lang: 'it' } });
      expect(updated.updatedAt).toBeGreaterThan(created.updatedAt);
      await store.deleteThread(id);
      expect(await store.getThread(id)).toBeUndefined();
      await expect(store.updateThread(id, { title: 'x' })).rejects.toSatisfy(hasCode('not-found'));
      await expect(store.appendMessages(id, [user('hi')])).rejects.toSatisfy(hasCode('not-found'));
    });

    it('deleting a thread deletes its messages: a new thread under the same id starts empty, at position 1', async () => {
      const id = unique('thread');
      await store.createThread({ id });
      await store.appendMessages(id, [user('one')]);
      await store.appendMessages(id, [user('two'), user('three')]);
      await store.deleteThread(id);
      await store.createThread({ id });
      expect((await store.listMessages(id)).items).toEqual([]);
      const [again] = await store.appendMessages(id, [user('again')]);
      expect(again?.seq).toBe(1);
      expect((await store.listMessages(id)).items.map((message) => message.message.content)).toEqual(['again']);
    });

    it('appends messages with parts in order and pages the last ones backwards', async () => {
      const { id } = await store.createThread({});
      const toolCall = {
        role: 'assistant' as const,
        content: [
          { type: 'text' as const, text: 'Checking' },
          { type: 'tool-call' as const, toolCallId: 'c1', toolName: 'weather', input: { city: 'Rome' } },
        ],
      };
      const stored = await store.appendMessages(id, [user('one'), { message: toolCall, metadata: { kind: 'call' } }]);
      expect(stored.map((message) => message.seq)).toEqual([1, 2]);
      expect(stored[1]?.message).toEqual(toolCall);
      await store.appendMessages(
        id,
        Array.from({ length: 8 }, (_, index) => user(`m${index + 3}`)),
      );
      const last = await store.listMessages(id, { limit: 4 });
      expect(last.items.map((message) => message.seq)).toEqual([7, 8, 9, 10]);
      const before = await store.listMessages(id, { limit: 4, cursor: last.nextCursor });
      expect(before.items.map((message) => message.seq)).toEqual([3, 4, 5, 6]);
      const rest = await store.listMessages(id, { limit: 4, cursor: before.nextCursor });
      expect(rest.items.map((message) => message.seq)).toEqual([1, 2]);
      expect(rest.nextCursor).toBeUndefined();
      const first = await store.listMessages(id, { from: 'first', limit: 3 });
      expect(first.items.map((message) => message.message.content)).toEqual(['one', toolCall.content, 'm3']);
      const next = await store.listMessages(id, { from: 'first', limit: 3, cursor: first.nextCursor });
      expect(next.items[0]?.seq).toBe(4);
      const calls = await store.listMessages(id, { metadata: { kind: 'call' } });
      expect(calls.items.map((message) => message.seq)).toEqual([2]);
    });

    it('an append with one invalid message stores none of the batch', async () => {
      const { id } = await store.createThread({});
      await expect(
        store.appendMessages(id, [user('ok'), { message: { role: 'robot', content: 'x' } as never }]),
      ).rejects.toSatisfy(hasCode('invalid-argument'));
      expect((await store.listMessages(id)).items).toEqual([]);
    });

    it('lists threads by resource and metadata, most recently updated first, in pages', async () => {
      const resourceId = unique('user');
      const ids: string[] = [];
      for (let index = 0; index < 5; index++) {
        const thread = await store.createThread({ resourceId, metadata: { topic: index % 2 === 0 ? 'even' : 'odd' } });
        ids.push(thread.id);
      }
      await store.appendMessages(ids[0] as string, [user('bump')]);
      const page = await store.listThreads({ resourceId, limit: 2 });
      expect(page.items.map((thread) => thread.id)).toEqual([ids[0], ids[4]]);
      const second = await store.listThreads({ resourceId, limit: 2, cursor: page.nextCursor });
      expect(second.items.map((thread) => thread.id)).toEqual([ids[3], ids[2]]);
      const third = await store.listThreads({ resourceId, limit: 2, cursor: second.nextCursor });
      expect(third.items.map((thread) => thread.id)).toEqual([ids[1]]);
      expect(third.nextCursor).toBeUndefined();
      const odd = await store.listThreads({ resourceId, metadata: { topic: 'odd' } });
      expect(odd.items.map((thread) => thread.id).sort()).toEqual([ids[1], ids[3]].sort());
    });

    it('rejects bad input with invalid-argument and bounded messages', async () => {
      const { id } = await store.createThread({});
      const long = 'x'.repeat(10_000);
      await expect(store.getThread(long)).rejects.toSatisfy(
        (error) => hasCode('invalid-argument')(error) && (error as Error).message.length < 300,
      );
      await expect(store.listMessages(id, { limit: storeLimits.maxPageSize + 1 })).rejects.toSatisfy(
        hasCode('invalid-argument'),
      );
      await expect(store.listMessages(id, { cursor: 'nope' })).rejects.toSatisfy(hasCode('invalid-argument'));
      await expect(store.createThread({ metadata: { nested: { a: 1 } } as never })).rejects.toSatisfy(
        hasCode('invalid-argument'),
      );
      const tooMany = Array.from({ length: storeLimits.maxBatch + 1 }, () => user('x'));
      await expect(store.appendMessages(id, tooMany)).rejects.toSatisfy(hasCode('invalid-argument'));
    });

    it('thread summaries: kept with the thread, only a further one replaces it, updatedAt unchanged', async () => {
      const thread = await store.createThread({});
      expect(thread.summary).toBeUndefined();
      expect(await store.saveThreadSummary(thread.id, { text: 'Ada asked about Rome.', throughSeq: 4 })).toBe(true);
      const read = await store.getThread(thread.id);
      expect(read?.summary).toMatchObject({ text: 'Ada asked about Rome.', throughSeq: 4 });
      expect(read?.updatedAt).toBe(thread.updatedAt);
      expect(await store.saveThreadSummary(thread.id, { text: 'older', throughSeq: 3 })).toBe(false);
      expect(await store.saveThreadSummary(thread.id, { text: 'same', throughSeq: 4 })).toBe(false);
      expect(await store.saveThreadSummary(thread.id, { text: 'Ada booked.', throughSeq: 9 })).toBe(true);
      expect((await store.getThread(thread.id))?.summary).toMatchObject({ text: 'Ada booked.', throughSeq: 9 });
      const tooLong = 'x'.repeat(storeLimits.maxSummaryLength + 1);
      await expect(store.saveThreadSummary(thread.id, { text: tooLong, throughSeq: 10 })).rejects.toSatisfy(
        (error) => hasCode('invalid-argument')(error) && (error as Error).message.length < 300,
      );
      await expect(store.saveThreadSummary(thread.id, { text: 'x', throughSeq: 0 })).rejects.toSatisfy(
        hasCode('invalid-argument'),
      );
      await expect(store.saveThreadSummary(unique('thread'), { text: 'x', throughSeq: 1 })).rejects.toSatisfy(
        hasCode('not-found'),
      );
    });

    it('working memory: versioned writes per scope, compare-and-set conflicts', async () => {
      const scope = { kind: 'resource' as const, id: unique('user') };
      expect(await store.getWorkingMemory(scope)).toBeUndefined();
      const first = await store.setWorkingMemory(scope, { name: 'Ada' }, { expectedVersion: 0 });
      expect(first).toMatchObject({ value: { name: 'Ada' }, version: 1 });
      await expect(store.setWorkingMemory(scope, { name: 'Bob' }, { expectedVersion: 0 })).rejects.toSatisfy(
        hasCode('conflict'),
      );
      const second = await store.setWorkingMemory(scope, { name: 'Ada', city: 'Rome' }, { expectedVersion: 1 });
      expect(second.version).toBe(2);
      expect(await store.getWorkingMemory({ kind: 'thread', id: scope.id })).toBeUndefined();
      expect((await store.getWorkingMemory(scope))?.value).toEqual({ name: 'Ada', city: 'Rome' });
      await store.deleteWorkingMemory(scope);
      expect(await store.getWorkingMemory(scope)).toBeUndefined();
    });

    it('checkpoints: latest wins, stale steps are refused, runs are listed by status', async () => {
      const runId = unique('run');
      const kind = unique('kind');
      await store.saveCheckpoint({ runId, kind, name: 'agent-a', status: 'running', step: 1, state: { n: 1 } });
      await store.saveCheckpoint({ runId, kind, name: 'agent-a', status: 'running', step: 2, state: { n: 2 } });
      expect(await store.loadCheckpoint(runId)).toMatchObject({ step: 2, state: { n: 2 }, status: 'running' });
      await expect(
        store.saveCheckpoint({ runId, kind, name: 'agent-a', status: 'running', step: 1, state: {} }),
      ).rejects.toSatisfy(hasCode('conflict'));
      const running = await store.listRuns({ status: 'running', kind });
      expect(running.map((run) => run.runId)).toEqual([runId]);
      await store.saveCheckpoint({ runId, kind, name: 'agent-a', status: 'completed', step: 2, state: { n: 2 } });
      expect(await store.listRuns({ status: 'running', kind })).toEqual([]);
      await store.saveNodeResult(runId, 'fetch', { rows: 3 });
      await store.saveNodeResult(runId, 'fetch', { rows: 99 });
      expect(await store.loadNodeResults(runId)).toEqual({ fetch: { rows: 3 } });
      await store.deleteRun(runId);
      expect(await store.loadCheckpoint(runId)).toBeUndefined();
      expect(await store.loadNodeResults(runId)).toEqual({});
    });

    it("a saved checkpoint is a snapshot: later changes to the caller's state or to a loaded copy never reach it", async () => {
      const runId = unique('run');
      const messages = [{ role: 'user', content: 'one' }];
      const state = { messages, usage: { total: 1 } };
      await store.saveCheckpoint({ runId, kind: 'agent', name: 'a', status: 'running', step: 1, state });
      messages.push({ role: 'assistant', content: 'two' });
      (messages[0] as { content: string }).content = 'changed';
      state.usage.total = 2;
      expect((await store.loadCheckpoint(runId))?.state).toEqual({
        messages: [{ role: 'user', content: 'one' }],
        usage: { total: 1 },
      });
      // The next checkpoint of the same (append-only in practice) list stores what it holds now, edits included.
      await store.saveCheckpoint({ runId, kind: 'agent', name: 'a', status: 'running', step: 2, state });
      const loaded = await store.loadCheckpoint(runId);
      expect(loaded?.state).toEqual({
        messages: [
          { role: 'user', content: 'changed' },
          { role: 'assistant', content: 'two' },
        ],
        usage: { total: 2 },
      });
      const messagesOf = (checkpoint: { state: unknown } | undefined) =>
        (checkpoint?.state as { messages?: unknown[] } | undefined)?.messages ?? [];
      messagesOf(loaded).pop();
      expect(messagesOf(await store.loadCheckpoint(runId))).toHaveLength(2);
    });

    it('suspensions resolve once', async () => {
      const runId = unique('run');
      const schema = { type: 'object', properties: { approved: { type: 'boolean' } } };
      await store.saveSuspension({ runId, suspensionId: 's1', reason: 'manager approval', schema });
      await expect(store.saveSuspension({ runId, suspensionId: 's1', reason: 'again' })).rejects.toSatisfy(
        hasCode('already-exists'),
      );
      expect(await store.listSuspensions({ runId, status: 'pending' })).toMatchObject([
        { suspensionId: 's1', reason: 'manager approval', schema, status: 'pending' },
      ]);
      const outcomes = await Promise.all([
        store.resolveSuspension(runId, 's1', { approved: true }),
        store.resolveSuspension(runId, 's1', { approved: false }),
      ]);
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const [resolved] = await store.listSuspensions({ runId });
      expect(resolved?.status).toBe('resolved');
      expect(await store.listSuspensions({ runId, status: 'pending' })).toEqual([]);
      await expect(store.resolveSuspension(runId, 'missing', {})).rejects.toSatisfy(hasCode('not-found'));
    });

    it('ledger: begin reports the previous state, completed calls are not restarted', async () => {
      const key = `${unique('run')}:call-1`;
      expect(await store.beginCall(key, 'charge')).toBeUndefined();
      expect(await store.beginCall(key, 'charge')).toMatchObject({ status: 'started', attempts: 1 });
      expect((await store.getCall(key))?.attempts).toBe(2);
      await store.completeCall(key, { output: { receipt: 'r-1' }, isError: false });
      const again = await store.beginCall(key, 'charge');
      expect(again).toMatchObject({ status: 'completed', output: { receipt: 'r-1' }, isError: false, attempts: 2 });
      expect((await store.getCall(key))?.attempts).toBe(2);
      await expect(store.completeCall(`${unique('run')}:x`, { output: 1, isError: false })).rejects.toSatisfy(
        hasCode('not-found'),
      );
    });

    it('an already-aborted signal rejects every operation with aborted, and nothing is written', async () => {
      const thread = await store.createThread({});
      const key = `${unique('run')}:call-1`;
      await store.beginCall(key, 'charge');
      const runId = unique('run');
      await store.saveSuspension({ runId, suspensionId: 's1', reason: 'approval' });
      const scope = { kind: 'thread' as const, id: thread.id };
      const controller = new AbortController();
      controller.abort();
      const signal = controller.signal;
      const newId = unique('thread');
      const calls: [string, () => Promise<unknown>][] = [
        ['createThread', () => store.createThread({ id: newId }, { signal })],
        ['getThread', () => store.getThread(thread.id, { signal })],
        ['updateThread', () => store.updateThread(thread.id, { title: 'changed' }, { signal })],
        ['deleteThread', () => store.deleteThread(thread.id, { signal })],
        ['listThreads', () => store.listThreads({}, { signal })],
        ['appendMessages', () => store.appendMessages(thread.id, [user('lost')], { signal })],
        ['listMessages', () => store.listMessages(thread.id, {}, { signal })],
        ['saveThreadSummary', () => store.saveThreadSummary(thread.id, { text: 'lost', throughSeq: 1 }, { signal })],
        ['getWorkingMemory', () => store.getWorkingMemory(scope, { signal })],
        ['setWorkingMemory', () => store.setWorkingMemory(scope, { lost: true }, { signal })],
        ['deleteWorkingMemory', () => store.deleteWorkingMemory(scope, { signal })],
        [
          'saveCheckpoint',
          () =>
            store.saveCheckpoint(
              { runId, kind: 'agent', name: 'a', status: 'running', step: 1, state: {} },
              { signal },
            ),
        ],
        ['loadCheckpoint', () => store.loadCheckpoint(runId, { signal })],
        ['listRuns', () => store.listRuns({ status: 'running' }, { signal })],
        ['deleteRun', () => store.deleteRun(runId, { signal })],
        ['saveNodeResult', () => store.saveNodeResult(runId, 'node', { lost: true }, { signal })],
        ['loadNodeResults', () => store.loadNodeResults(runId, { signal })],
        ['saveSuspension', () => store.saveSuspension({ runId, suspensionId: 's2', reason: 'lost' }, { signal })],
        ['listSuspensions', () => store.listSuspensions({ runId }, { signal })],
        ['resolveSuspension', () => store.resolveSuspension(runId, 's1', { lost: true }, { signal })],
        ['beginCall', () => store.beginCall(key, 'charge', { signal })],
        ['completeCall', () => store.completeCall(key, { output: 'lost', isError: false }, { signal })],
        ['getCall', () => store.getCall(key, { signal })],
      ];
      for (const [operation, call] of calls) {
        const outcome = await call().then(
          () => 'resolved',
          (error: unknown) => (AgenticGenError.hasCode(error, 'aborted') ? 'aborted' : String(error)),
        );
        expect({ operation, outcome }).toEqual({ operation, outcome: 'aborted' });
      }
      expect(await store.getThread(newId)).toBeUndefined();
      const kept = await store.getThread(thread.id);
      expect(kept).toEqual(thread);
      expect((await store.listMessages(thread.id)).items).toEqual([]);
      expect(await store.getWorkingMemory(scope)).toBeUndefined();
      expect(await store.loadCheckpoint(runId)).toBeUndefined();
      expect(await store.loadNodeResults(runId)).toEqual({});
      expect(await store.listSuspensions({ runId })).toMatchObject([{ suspensionId: 's1', status: 'pending' }]);
      expect(await store.getCall(key)).toMatchObject({ status: 'started', attempts: 1 });
    });

    it.skipIf(options.completesWhenCalled === true)(
      'an abort while writes wait behind others rejects them with aborted and writes none of them; the others complete',
      async () => {
        const { id } = await store.createThread({});
        const runId = unique('run');
        const scope = { kind: 'resource' as const, id: unique('user') };
        // Enough unsignalled writes in flight that the signalled ones wait for a connection, a lock or their turn.
        const busy = Array.from({ length: 12 }, (_, index) => store.appendMessages(id, [user(`busy ${index}`)]));
        const controller = new AbortController();
        const signal = controller.signal;
        const waiting = [
          store.appendMessages(id, [user('aborted')], { signal }),
          store.setWorkingMemory(scope, { aborted: true }, { signal }),
          store.saveCheckpoint({ runId, kind: 'agent', name: 'a', status: 'running', step: 1, state: {} }, { signal }),
          store.deleteThread(id, { signal }),
          store.deleteRun(runId, { signal }),
        ];
        controller.abort();
        for (const call of waiting) await expect(call).rejects.toSatisfy(hasCode('aborted'));
        await Promise.all(busy);
        const stored = await store.listMessages(id, { limit: 100 });
        expect(stored.items.map((message) => message.message.content).sort()).toEqual(
          Array.from({ length: 12 }, (_, index) => `busy ${index}`).sort(),
        );
        expect(await store.getWorkingMemory(scope)).toBeUndefined();
        expect(await store.loadCheckpoint(runId)).toBeUndefined();
      },
    );

    it('fails with disposed after close', async () => {
      const closing = await factory();
      await closing.close();
      await expect(closing.getThread('t')).rejects.toSatisfy(hasCode('disposed'));
    });
  });
}
