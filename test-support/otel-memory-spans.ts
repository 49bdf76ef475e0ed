/**
 * For each test of the calling file (or `describe`): a global OpenTelemetry tracer provider that keeps finished
 * spans in memory, removed after the test. Runs in Node and in Chromium (no context manager; see
 * otel-async-context.ts for spans that must nest across awaits in Node).
 */
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach } from 'vitest';

/** The spans of the running test. */
export type MemorySpans = Pick<InMemorySpanExporter, 'getFinishedSpans' | 'reset'>;

export function useInMemorySpans(): MemorySpans {
  let exporter = new InMemorySpanExporter();
  let provider: BasicTracerProvider | undefined;
  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(provider);
  });
  afterEach(async () => {
    trace.disable();
    await provider?.shutdown();
  });
  return { getFinishedSpans: () => exporter.getFinishedSpans(), reset: () => exporter.reset() };
}
