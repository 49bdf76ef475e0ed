// Model comparison: one prompt on the models checked (POST /api/models/compare, @agenticgen/adapters'
// compareModels), as a table and a grouped bar chart of time to first token and total latency.
import { createBarChart } from './charts.js';
import { $, api, escapeHtml } from './shared.js';

let updateChart;

export async function refreshModels() {
  try {
    const { models } = await api('/api/models');
    const checked = new Set(
      [...document.querySelectorAll('#compare-models input:not(:checked)')].map((input) => input.value),
    );
    $('#compare-models').replaceChildren(
      $('#compare-models legend'),
      ...models.map((model) => {
        const label = document.createElement('label');
        label.className = 'chip';
        label.title = `${model.provider} · ${model.modelId}`;
        label.innerHTML = `<input type="checkbox" value="${escapeHtml(model.label)}" /> ${escapeHtml(model.label)}`;
        // Every model is compared unless the user unchecked it.
        label.querySelector('input').checked = !checked.has(model.label);
        return label;
      }),
    );
  } catch (error) {
    $('#compare-status').textContent = error.message;
  }
}

$('#compare-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const models = [...document.querySelectorAll('#compare-models input:checked')].map((input) => input.value);
  const prompt = $('#compare-prompt').value.trim();
  const status = $('#compare-status');
  if (!prompt || models.length === 0) {
    status.textContent = 'Check at least one model and write a prompt.';
    return;
  }
  status.className = 'muted';
  status.textContent = `running on ${models.length} model(s)…`;
  $('#compare-run').disabled = true;
  try {
    const maxOutputTokens = Number($('#compare-max-tokens').value) || 256;
    const { results } = await api('/api/models/compare', { json: { prompt, models, maxOutputTokens } });
    renderTable(results);
    renderChart(results);
    status.textContent = `done · ${results.filter((result) => result.error).length} failed`;
  } catch (error) {
    status.className = 'error';
    status.textContent = error.message;
  } finally {
    $('#compare-run').disabled = false;
  }
});

const milliseconds = (value) => (typeof value === 'number' ? `${Math.round(value)} ms` : '–');

function renderTable(results) {
  $('#compare-table').hidden = false;
  $('#compare-results').replaceChildren(
    ...results.map((result) => {
      const row = document.createElement('tr');
      row.dataset.model = result.model;
      const cost = typeof result.costUsd === 'number' ? `$${result.costUsd.toFixed(5)}` : '–';
      const output = result.error
        ? `<span class="error">${escapeHtml(`${result.error.code}: ${result.error.message}`)}</span>`
        : escapeHtml(result.output);
      row.innerHTML = `<td><strong>${escapeHtml(result.model)}</strong><div class="muted mono">${escapeHtml(
        `${result.provider} · ${result.modelId}`,
      )}</div></td><td data-figure="ttft">${milliseconds(result.ttftMs)}</td><td data-figure="latency">${milliseconds(
        result.latencyMs,
      )}</td><td data-figure="tokens">${result.inputTokens ?? '–'} / ${result.outputTokens ?? '–'}</td><td>${cost}</td><td>${escapeHtml(
        result.finishReason ?? '',
      )}</td><td class="output-cell">${output}</td>`;
      return row;
    }),
  );
}

function renderChart(results) {
  $('#compare-chart-figure').hidden = false;
  updateChart ??= createBarChart($('#compare-chart'), [{ label: 'First token (ms)' }, { label: 'Total (ms)' }]);
  updateChart(
    results.map((result) => result.model),
    [results.map((result) => result.ttftMs ?? null), results.map((result) => result.latencyMs ?? null)],
  );
}
