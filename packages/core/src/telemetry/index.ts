export { noopMeter } from './noop-meter.js';
export { definedAttributes, type SpanAttributes, tracerName, type WithSpanOptions, withSpan } from './with-span.js';
