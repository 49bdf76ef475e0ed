import { createMetricsHistory, formatPrometheus, type MetricsRegistry } from '@agenticgen/metrics';
import { metricNames, summarizeMetrics } from '../metrics/metrics-summary.js';
import { element } from './dom.js';

const windowMs = 1000;
const points = 60;

/**
 * The live metrics panel: figures from `registry.collect()` and a one-minute chart of model calls and sandbox
 * runs per second from a metrics history, refreshed every second. The raw Prometheus exposition is one click away.
 */
export function mountMetricsPanel(
  container: HTMLElement,
  registry: MetricsRegistry,
): { refresh(): void; stop(): void } {
  const history = createMetricsHistory(registry, { windows: [windowMs], capacity: points });
  const figures = element('dl', { class: 'figures', 'data-testid': 'metrics-figures' });
  const chart = element('canvas', {
    width: '320',
    height: '80',
    class: 'chart',
    'aria-label': 'model calls and sandbox runs per second',
  });
  const exposition = element('pre', { class: 'exposition', 'data-testid': 'metrics-exposition' });
  const updated = element('p', { class: 'muted', 'data-testid': 'metrics-updated' });
  container.append(
    element('h2', {}, 'Metrics'),
    figures,
    element(
      'p',
      { class: 'legend' },
      element('span', { class: 'swatch model' }),
      'model calls/s ',
      element('span', { class: 'swatch sandbox' }),
      'Python runs/s',
    ),
    chart,
    element(
      'details',
      { ontoggle: () => renderFigures() },
      element('summary', {}, 'Prometheus exposition'),
      exposition,
    ),
    updated,
  );

  const renderFigures = () => {
    const snapshot = registry.collect();
    const summary = summarizeMetrics(snapshot);
    const milliseconds = (value: number) => (Number.isNaN(value) ? '–' : `${value.toFixed(value < 10 ? 1 : 0)} ms`);
    const tools = Object.entries(summary.toolCalls)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    const rows: Array<[string, string, string]> = [
      ['Agent runs', String(summary.agentRuns), 'agent-runs'],
      ['Model calls', String(summary.modelCalls), 'model-calls'],
      ['Mean model latency', milliseconds(summary.modelLatencyMs), 'model-latency'],
      ['Tokens in/out', `${summary.inputTokens} / ${summary.outputTokens}`, 'tokens'],
      ['Tool calls', tools || '0', 'tool-calls'],
      ['Cache hits/misses', `${summary.cacheHits} / ${summary.cacheMisses}`, 'cache'],
      ['Python runs (errors)', `${summary.sandboxRuns} (${summary.sandboxErrors})`, 'sandbox-runs'],
      ['Mean Python run', milliseconds(summary.sandboxLatencyMs), 'sandbox-latency'],
    ];
    figures.replaceChildren(
      ...rows.flatMap(([label, value, id]) => [
        element('dt', {}, label),
        element('dd', { 'data-testid': `metric-${id}` }, value),
      ]),
    );
    if (container.querySelector('details')?.open === true) exposition.textContent = formatPrometheus(snapshot);
    updated.textContent = `Updated ${new Date(snapshot.timestamp).toLocaleTimeString()}`;
  };
  // The history needs evenly spaced ticks; figures may also be refreshed on demand (e.g. when a run ends).
  const tick = () => {
    history.tick();
    renderFigures();
    drawChart(chart, [
      rates(history.query(metricNames.modelCalls, { window: windowMs })),
      rates(history.query(metricNames.sandbox, { window: windowMs })),
    ]);
  };
  tick();
  const timer = setInterval(tick, windowMs);
  return { refresh: renderFigures, stop: () => clearInterval(timer) };
}

/** Per-window rates summed over label sets, oldest first. */
function rates(series: ReadonlyArray<{ points: ReadonlyArray<{ timestamp: number; rate?: number }> }>): number[] {
  const byTime = new Map<number, number>();
  for (const item of series)
    for (const point of item.points)
      byTime.set(point.timestamp, (byTime.get(point.timestamp) ?? 0) + (point.rate ?? 0));
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, rate]) => rate);
}

function drawChart(canvas: HTMLCanvasElement, lines: number[][]): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  const top = Math.max(1, ...lines.flat());
  const colours = ['#2f6fde', '#d9822b'];
  lines.forEach((values, line) => {
    context.strokeStyle = colours[line] ?? '#888';
    context.lineWidth = 2;
    context.beginPath();
    const recent = values.slice(-points);
    recent.forEach((value, index) => {
      const x = width - (recent.length - 1 - index) * (width / (points - 1));
      const y = height - 4 - (value / top) * (height - 8);
      if (index === 0) context.moveTo(x, y);
      else context.lineTo(x, y);
    });
    context.stroke();
  });
}
