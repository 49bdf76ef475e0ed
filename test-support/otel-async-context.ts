/**
 * OpenTelemetry for Node tests as an app that registered the Node SDK has it: the active context follows async
 * calls through AsyncLocalStorage (@opentelemetry/context-async-hooks) and finished spans are kept in memory.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll } from 'vitest';

/**
 * Registers, for the calling test file, an AsyncLocalStorage context manager and a tracer provider that keeps
 * finished spans in memory; returns the exporter to read them from. Both are removed after the file.
 */
export function useInMemoryTracing(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => {
    trace.disable();
    context.disable();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  return exporter;
}
