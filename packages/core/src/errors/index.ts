export * from './abort.js';
export * from './agenticgen-error.js';
