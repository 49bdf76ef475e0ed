/**
 * The Node entry of @agenticgen/vector: everything from the browser-safe entry plus the LanceDB store
 * (loaded lazily) and file persistence.
 */
export * from './index.js';
