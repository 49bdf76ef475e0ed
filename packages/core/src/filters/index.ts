export * from './metadata-filter.js';
