export { matchesFilter, validateFilter } from './metadata-filter.js';
