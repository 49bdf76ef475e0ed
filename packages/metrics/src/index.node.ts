/** Node entry: everything of the browser-safe entry plus the `http` handler for `/metrics`. */
export * from './index.js';
export { createMetricsHandler, type MetricsHandlerOptions } from './node/http-handler.js';
