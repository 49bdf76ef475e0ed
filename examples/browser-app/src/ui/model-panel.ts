import type { ChatModel } from '@agenticgen/core';
import { createModelFromChoice, describeModel, type ModelChoice } from '../models/model-choice.js';
import { describeError, element } from './dom.js';

/**
 * Chooses the model: the offline demo model (default), a provider key typed by the user (kept only in this
 * page's memory, never stored), or an OpenAI-compatible proxy URL that adds the key on the server.
 */
export function mountModelPanel(container: HTMLElement, onModel: (model: ChatModel) => void): void {
  const kind = element(
    'select',
    { 'data-testid': 'model-kind' },
    element('option', { value: 'demo' }, 'Offline demo model'),
    element('option', { value: 'key' }, 'Provider API key'),
    element('option', { value: 'proxy' }, 'Proxy URL (OpenAI-compatible)'),
  );
  const provider = element(
    'select',
    { 'data-testid': 'model-provider' },
    element('option', { value: 'openai' }, 'OpenAI'),
    element('option', { value: 'anthropic' }, 'Anthropic'),
    element('option', { value: 'gemini' }, 'Gemini'),
  );
  const apiKey = element('input', {
    type: 'password',
    placeholder: 'API key (kept in memory only)',
    autocomplete: 'off',
    'data-testid': 'model-key',
  });
  const baseURL = element('input', {
    type: 'url',
    placeholder: 'https://your-server/api/openai/v1',
    'data-testid': 'model-proxy',
  });
  const modelId = element('input', { placeholder: 'model id (e.g. gpt-4.1-mini)', 'data-testid': 'model-id' });
  const keyFields = element('div', { class: 'fields' }, provider, apiKey);
  const proxyFields = element('div', { class: 'fields' }, baseURL);
  const status = element('p', { class: 'status', 'data-testid': 'model-status' });
  const warning = element(
    'p',
    { class: 'muted small' },
    'A key typed here is sent from this page straight to the provider: fine on your own machine, never in production. Use a proxy that adds the key on your server instead.',
  );

  const sync = () => {
    keyFields.hidden = kind.value !== 'key';
    proxyFields.hidden = kind.value !== 'proxy';
    modelId.hidden = kind.value === 'demo';
    warning.hidden = kind.value !== 'key';
  };
  const apply = () => {
    const choice: ModelChoice =
      kind.value === 'key'
        ? {
            kind: 'key',
            provider: provider.value as 'openai' | 'anthropic' | 'gemini',
            apiKey: apiKey.value,
            modelId: modelId.value,
          }
        : kind.value === 'proxy'
          ? { kind: 'proxy', baseURL: baseURL.value, modelId: modelId.value }
          : { kind: 'demo' };
    try {
      const model = createModelFromChoice(choice);
      onModel(model);
      status.textContent = `Using ${describeModel(model)}`;
      status.classList.remove('error');
    } catch (error) {
      status.textContent = describeError(error);
      status.classList.add('error');
    }
  };
  kind.addEventListener('change', sync);
  const form = element(
    'form',
    {
      class: 'stack',
      onsubmit: (event) => {
        event.preventDefault();
        apply();
      },
    },
    kind,
    keyFields,
    proxyFields,
    modelId,
    warning,
    element('button', { type: 'submit', 'data-testid': 'model-apply' }, 'Use this model'),
    status,
  );
  container.append(element('h2', {}, 'Model'), form);
  sync();
  apply();
}
