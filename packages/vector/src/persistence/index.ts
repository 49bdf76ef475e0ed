export { type LoadIndexOptions, loadIndex } from './load-index.js';
