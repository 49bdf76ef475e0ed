import './styles.css';
import { createOfflineDemoModel } from '@agenticgen/adapters';
import type { ChatModel } from '@agenticgen/core';
import { createAppServices } from './app/services.js';
import { mountChatPanel } from './ui/chat-panel.js';
import { byTestId, describeError } from './ui/dom.js';
import { mountKnowledgePanel } from './ui/knowledge-panel.js';
import { mountMetricsPanel } from './ui/metrics-panel.js';
import { mountModelPanel } from './ui/model-panel.js';

/** Boots the app: storage first (knowledge and cache come back from IndexedDB), then the panels. */
async function start(): Promise<void> {
  const status = byTestId(document, 'app-status');
  const isolation = byTestId(document, 'isolation');
  isolation.textContent = crossOriginIsolated
    ? 'cross-origin isolated'
    : 'NOT cross-origin isolated (serve with COOP/COEP)';
  isolation.classList.toggle('error', !crossOriginIsolated);

  const services = await createAppServices();
  let model: ChatModel = createOfflineDemoModel();
  mountModelPanel(byTestId(document, 'model-panel'), (chosen) => {
    model = chosen;
  });
  mountKnowledgePanel(
    byTestId(document, 'knowledge-panel'),
    () => services.knowledge,
    async () => {
      services.knowledge = await services.knowledge.reset();
      await services.answers.clear();
    },
  );
  const metrics = mountMetricsPanel(byTestId(document, 'metrics-panel'), services.registry);
  mountChatPanel(byTestId(document, 'chat-panel'), {
    createAgent: (onLookup) => services.createAgent(model, onLookup),
    onRunEnd: () => metrics.refresh(),
  });
  document.body.dataset.ready = 'true';
  status.textContent = 'Ready. Starting Python in the background…';

  // Pyodide takes a few seconds to start; warm it up so the first run is quick, without blocking the page.
  const python = byTestId(document, 'python-status');
  python.textContent = 'Python: starting…';
  services
    .warmUpPython()
    .then(() => {
      python.textContent = 'Python: ready (Pyodide in a sandboxed worker)';
      document.body.dataset.python = 'ready';
      status.textContent = 'Ready.';
    })
    .catch((error: unknown) => {
      python.textContent = `Python unavailable: ${describeError(error)}`;
      python.classList.add('error');
      document.body.dataset.python = 'failed';
      status.textContent = 'Ready (without Python).';
    });
}

start().catch((error: unknown) => {
  const status = document.querySelector('[data-testid="app-status"]');
  if (status !== null) status.textContent = `Could not start: ${describeError(error)}`;
  document.body.dataset.ready = 'failed';
  console.error(error);
});
