// Monitoring: charts drawn from the server's metrics history, refreshed every 2 s while visible.
import { drawLineChart } from './charts.js';
import { $, api, state } from './shared.js';

export async function refreshMonitoring() {
  clearTimeout(state.monitoringTimer);
  if ($('#tab-monitoring').hidden) return;
  try {
    const { samples } = await api('/api/monitoring/history');
    const pick = (key) => samples.map((sample) => sample[key]);
    drawLineChart($('#chart-requests'), [{ label: 'req/s', values: pick('requestRate') }]);
    drawLineChart($('#chart-latency'), [
      { label: 'p50', values: pick('latencyP50') },
      { label: 'p95', values: pick('latencyP95') },
      { label: 'p99', values: pick('latencyP99') },
    ]);
    drawLineChart($('#chart-tokens'), [{ label: 'tokens/s', values: pick('tokenRate') }]);
    drawLineChart($('#chart-cache'), [{ label: 'hit ratio', values: pick('cacheHitRatio') }], { fixedMax: 1 });
    drawLineChart($('#chart-sandbox'), [{ label: 'runs/s', values: pick('sandboxRunRate') }]);
    drawLineChart($('#chart-connections'), [
      { label: 'sockets', values: pick('connections') },
      { label: 'runs', values: pick('activeRuns') },
    ]);
    $('#tab-monitoring').dataset.samples = String(samples.length);
  } catch (error) {
    document.querySelector('[data-feature="metrics"]').textContent = error.message;
  }
  state.monitoringTimer = setTimeout(refreshMonitoring, 2000);
}
