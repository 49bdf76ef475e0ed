export { noopMeter } from './noop-meter.js';
export { type SpanAttributes, tracerName, type WithSpanOptions, withSpan } from './with-span.js';
