export { loadIndex, type LoadIndexOptions } from './load-index.js';
