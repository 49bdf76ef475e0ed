import { describe, expect, it } from 'vitest';
import { createModelFromChoice, describeModel } from './model-choice.js';

describe('model choice', () => {
  it('defaults to the offline demo model, labelled as such', () => {
    const model = createModelFromChoice({ kind: 'demo' });
    expect([model.provider, model.modelId]).toEqual(['demo', 'offline-demo']);
    expect(describeModel(model)).toContain('offline demo model');
  });

  it('builds provider models from a typed key, with a default model id per provider', () => {
    const pick = (provider: 'openai' | 'anthropic' | 'gemini', modelId = '') =>
      createModelFromChoice({ kind: 'key', provider, apiKey: ' sk-test ', modelId });
    expect([pick('openai').provider, pick('openai').modelId]).toEqual(['openai', 'gpt-4.1-mini']);
    expect(pick('anthropic').provider).toBe('anthropic');
    expect(pick('gemini', 'gemini-2.5-pro').modelId).toBe('gemini-2.5-pro');
  });

  it('builds an OpenAI-compatible model for a proxy URL', () => {
    const model = createModelFromChoice({ kind: 'proxy', baseURL: 'http://127.0.0.1:9/v1', modelId: 'llama3.2' });
    expect(describeModel(model)).toBe('openai-compatible · llama3.2');
  });

  it('rejects missing or malformed settings with invalid-config and a hint', () => {
    expect(() => createModelFromChoice({ kind: 'key', provider: 'openai', apiKey: '  ', modelId: '' })).toThrow(
      expect.objectContaining({ code: 'invalid-config', message: expect.stringContaining('offline demo model') }),
    );
    expect(() => createModelFromChoice({ kind: 'proxy', baseURL: 'not a url', modelId: 'x' })).toThrow(
      expect.objectContaining({ code: 'invalid-config', message: expect.stringContaining('is not a URL') }),
    );
    expect(() => createModelFromChoice({ kind: 'proxy', baseURL: 'http://127.0.0.1:9/v1', modelId: ' ' })).toThrow(
      expect.objectContaining({ code: 'invalid-config', message: expect.stringContaining('name the model') }),
    );
  });
});
