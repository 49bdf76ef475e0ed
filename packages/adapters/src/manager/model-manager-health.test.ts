import { AgenticGenError } from '@agenticgen/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnthropicChatModel } from '../anthropic/index.js';
import { createOpenAIChatModel } from '../openai/index.js';
import { ask, collectParts, serverLog, uniqueKey } from '../testing/contract-suite.js';
import { browserOptIn, fakeServerUrls } from '../testing/fake-server-urls.js';
import { createScriptedModel, textResponse } from '../testing/scripted-model.js';
import { createModelManager, type ModelManagerEvent } from './model-manager.js';

const urls = fakeServerUrls();

/** A primary that answers 503 on every call (the fake OpenAI server's `overloaded` scenario), and a backup. */
function managerWithFailingPrimary(health = { failureThreshold: 2, coolDownMs: 10_000 }) {
  const key = uniqueKey();
  const events: ModelManagerEvent[] = [];
  const backup = createScriptedModel({ modelId: 'backup-1', answer: () => textResponse('from backup', 'backup-1') });
  const manager = createModelManager({
    models: {
      primary: {
        model: createOpenAIChatModel({
          modelId: `gpt-4.1-mini~overloaded~${key}`,
          apiKey: 'k',
          baseURL: `${urls.openai}/v1`,
          retry: false,
          ...browserOptIn,
        }),
        fallbacks: ['backup'],
      },
      backup,
    },
    health,
    onEvent: (event) => events.push(event),
  });
  const primaryCalls = async () => (await serverLog(urls.openai, key)).requests;
  return { manager, events, backup, primaryCalls };
}

describe('model manager health-aware routing', () => {
  beforeEach(() => {
    // Only the clock is faked: the fake server and the SDK keep their real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('skips a primary that keeps answering 503 until its cool-down ends, then lets one request try it', async () => {
    const { manager, events, primaryCalls } = managerWithFailingPrimary();
    for (let request = 0; request < 2; request++) {
      expect((await manager.generate('primary', ask)).text).toBe('from backup');
    }
    expect(await primaryCalls()).toBe(2);
    expect(events.filter((event) => event.type === 'model-cooldown-start')).toMatchObject([
      { model: 'primary', code: 'overloaded', until: Date.now() + 10_000 },
    ]);

    for (let request = 0; request < 3; request++) {
      const answer = await manager.generate('primary', ask);
      expect(answer.providerMetadata).toMatchObject({ model: 'backup', skipped: ['primary'], fallbacks: [] });
    }
    const parts = await collectParts(manager.stream('primary', ask));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', providerMetadata: { model: 'backup' } });
    expect(await primaryCalls()).toBe(2);
    expect(events.filter((event) => event.type === 'model-skip')).toHaveLength(4);

    vi.advanceTimersByTime(9_999);
    await manager.generate('primary', ask);
    expect(await primaryCalls()).toBe(2);
    vi.advanceTimersByTime(1);
    // The cool-down is over: one trial request reaches the primary, fails, and the primary cools down again.
    expect((await manager.generate('primary', ask)).text).toBe('from backup');
    expect(await primaryCalls()).toBe(3);
    await manager.generate('primary', ask);
    expect(await primaryCalls()).toBe(3);
    expect(events.filter((event) => event.type === 'model-cooldown-start')).toHaveLength(2);
  });

  it('closes the breaker after a successful trial, and never skips the last model of a chain', async () => {
    let primaryFails = true;
    const primary = createScriptedModel({
      modelId: 'primary-1',
      answer: (_request, call) => {
        if (primaryFails) throw new AgenticGenError('overloaded', `[test] primary call ${call} failed`);
        return textResponse('from primary', 'primary-1');
      },
    });
    const backup = createScriptedModel({
      modelId: 'backup-1',
      answer: () => {
        throw new AgenticGenError('overloaded', '[test] the backup is down too');
      },
    });
    const manager = createModelManager({
      models: { primary: { model: primary, fallbacks: ['backup'] }, backup },
      health: { failureThreshold: 1, coolDownMs: 1000 },
    });
    // Both cool down after one failure; the chain still calls them rather than fail without a call.
    await expect(manager.generate('primary', ask)).rejects.toMatchObject({ code: 'overloaded' });
    await expect(manager.generate('primary', ask)).rejects.toMatchObject({ code: 'overloaded' });
    expect([primary.calls.length, backup.calls.length]).toEqual([2, 2]);
    primaryFails = false;
    vi.advanceTimersByTime(1000);
    expect((await manager.generate('primary', ask)).text).toBe('from primary');
    expect((await manager.generate('primary', ask)).text).toBe('from primary');
    expect([primary.calls.length, backup.calls.length]).toEqual([4, 2]);
  });

  it('falls back when a stream fails before any content (Anthropic message_start, then overloaded_error)', async () => {
    const key = uniqueKey();
    const manager = createModelManager({
      models: {
        claude: {
          model: createAnthropicChatModel({
            modelId: `claude-sonnet-4-0~error-before-content~${key}`,
            apiKey: 'k',
            baseURL: urls.anthropic,
            retry: false,
            ...browserOptIn,
          }),
          fallbacks: ['backup'],
        },
        backup: createScriptedModel({ modelId: 'backup-1', answer: () => textResponse('from backup', 'backup-1') }),
      },
      health: false,
    });
    const parts = await collectParts(manager.stream('claude', ask));
    expect(parts.filter((part) => part.type === 'response-start')).toMatchObject([{ modelId: 'backup-1' }]);
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      providerMetadata: {
        model: 'backup',
        answeredBy: { provider: 'scripted', modelId: 'backup-1' },
        fallbacks: [{ model: 'claude', provider: 'anthropic', code: 'overloaded' }],
      },
    });
  });
});
