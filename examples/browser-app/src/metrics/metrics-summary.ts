import type { HistogramSeriesSnapshot, MetricsSnapshot, ScalarSeriesSnapshot } from '@agenticgen/metrics';

/** The figures the metrics panel shows, computed from one registry snapshot. */
export interface MetricsSummary {
  agentRuns: number;
  modelCalls: number;
  /** Mean model call latency in ms (NaN before the first call). */
  modelLatencyMs: number;
  inputTokens: number;
  outputTokens: number;
  /** Tool calls by tool name. */
  toolCalls: Record<string, number>;
  cacheHits: number;
  cacheMisses: number;
  sandboxRuns: number;
  sandboxErrors: number;
  /** Mean sandbox run time in ms (NaN before the first run). */
  sandboxLatencyMs: number;
}

/** Metric names recorded by @agenticgen/metrics' plugin and sandbox wrapper (OpenTelemetry GenAI names). */
export const metricNames = {
  agentRuns: 'gen_ai.invoke_agent.duration',
  modelCalls: 'gen_ai.client.operation.duration',
  tokens: 'gen_ai.client.token.usage',
  tools: 'gen_ai.execute_tool.duration',
  cache: 'agenticgen.cache.requests',
  sandbox: 'agenticgen.sandbox.run.duration',
} as const;

export function summarizeMetrics(snapshot: MetricsSnapshot): MetricsSummary {
  const histograms = (name: string) =>
    (snapshot.families.find((family) => family.name === name)?.series ?? []) as HistogramSeriesSnapshot[];
  const scalars = (name: string) =>
    (snapshot.families.find((family) => family.name === name)?.series ?? []) as ScalarSeriesSnapshot[];
  const count = (series: HistogramSeriesSnapshot[]) => series.reduce((total, item) => total + item.count, 0);
  const sum = (series: HistogramSeriesSnapshot[]) => series.reduce((total, item) => total + item.sum, 0);
  const meanMs = (series: HistogramSeriesSnapshot[]) =>
    count(series) === 0 ? Number.NaN : (sum(series) / count(series)) * 1000;

  const models = histograms(metricNames.modelCalls);
  const tokens = histograms(metricNames.tokens);
  const sandbox = histograms(metricNames.sandbox);
  const toolCalls: Record<string, number> = {};
  for (const series of histograms(metricNames.tools)) {
    const name = series.labels['gen_ai.tool.name'] ?? 'unknown';
    toolCalls[name] = (toolCalls[name] ?? 0) + series.count;
  }
  const cacheReads = (result: string) =>
    scalars(metricNames.cache)
      .filter((series) => series.labels['cache.result'] === result)
      .reduce((total, series) => total + series.value, 0);
  return {
    agentRuns: count(histograms(metricNames.agentRuns)),
    modelCalls: count(models),
    modelLatencyMs: meanMs(models),
    inputTokens: sum(tokens.filter((series) => series.labels['gen_ai.token.type'] === 'input')),
    outputTokens: sum(tokens.filter((series) => series.labels['gen_ai.token.type'] === 'output')),
    toolCalls,
    cacheHits: cacheReads('hit') + cacheReads('stale-hit'),
    cacheMisses: cacheReads('miss'),
    sandboxRuns: count(sandbox),
    sandboxErrors: count(sandbox.filter((series) => series.labels.status === 'error')),
    sandboxLatencyMs: meanMs(sandbox),
  };
}
