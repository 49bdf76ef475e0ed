// Monitoring: uPlot charts of the server's metrics history (time on the x axis), refreshed every 2 s while
// the tab is visible.
import { createTimeChart } from './charts.js';
import { $, api, state } from './shared.js';

/** Chart id → the series it draws from the history samples. */
const definitions = {
  requests: { series: [{ key: 'requestRate', label: 'Requests/s' }] },
  latency: {
    series: [
      { key: 'latencyP50', label: 'p50', unit: ' ms' },
      { key: 'latencyP95', label: 'p95', unit: ' ms' },
      { key: 'latencyP99', label: 'p99', unit: ' ms' },
    ],
  },
  tokens: { series: [{ key: 'tokenRate', label: 'Tokens/s' }] },
  cache: { series: [{ key: 'cacheHitRatio', label: 'Hit ratio' }], max: 1 },
  sandbox: { series: [{ key: 'sandboxRunRate', label: 'Runs/s' }] },
  connections: {
    series: [
      { key: 'connections', label: 'WebSocket connections' },
      { key: 'activeRuns', label: 'Active runs' },
    ],
  },
};
/** Created on first show: uPlot sizes a chart from its container, which is hidden until then. */
let charts;

export async function refreshMonitoring() {
  clearTimeout(state.monitoringTimer);
  if ($('#tab-monitoring').hidden) return;
  charts ??= Object.entries(definitions).map(([id, definition]) => ({
    definition,
    update: createTimeChart($(`#chart-${id}`), definition.series, { max: definition.max }),
  }));
  try {
    const { samples } = await api('/api/monitoring/history');
    const times = samples.map((sample) => sample.time);
    for (const { definition, update } of charts) {
      update(
        times,
        definition.series.map(({ key }) => samples.map((sample) => sample[key])),
      );
    }
    $('#tab-monitoring').dataset.samples = String(samples.length);
  } catch (error) {
    document.querySelector('[data-feature="metrics"]').textContent = error.message;
  }
  state.monitoringTimer = setTimeout(refreshMonitoring, 2000);
}
